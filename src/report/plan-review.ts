// The plan as a pull request reviews it (the sticky comment and the job summary): the plan section with
// the commit it planned under its heading and the guards' verdict right after its summary line. The
// one place these parts are put together, so they move as one when the plan's layout changes.
import type { Plan } from '../model/plan.js';
import type { GuardVerdict } from '../plan/guards.js';
import { renderGuardVerdictMarkdown } from './guard-verdict.js';
import { planSection } from './plan.js';

export interface PlanReviewParts {
  /** plannedCommitLine (staleness.ts): the commit planned and the run. */
  planned: string;
  verdict: GuardVerdict;
}

/** Inserts `block` as its own paragraph after the first line matching `after`, else at the top. */
function insertAfter(lines: string[], after: (line: string) => boolean, block: string): string[] {
  const at = lines.findIndex(after) + 1;
  return [...lines.slice(0, at), ...(at > 0 ? [''] : []), block, ...(at > 0 ? [] : ['']), ...lines.slice(at)];
}

/** The plan section, heading, commit line and verdict in at most `maxChars` (the plan degrades to fit). */
export function planReviewSection(plan: Plan, parts: PlanReviewParts, maxChars: number): string {
  const verdict = renderGuardVerdictMarkdown(parts.verdict);
  // Room for what is added, so the plan itself degrades (never cut) to keep the whole within maxChars.
  const added = parts.planned.length + verdict.length + 8;
  const lines = planSection(plan, { maxChars: Math.max(0, maxChars - added) }).split('\n');
  const withCommit = insertAfter(lines, (l) => l.startsWith('### '), parts.planned);
  // The summary line is the plan's first bold line (report/markdown.ts `heading`).
  return insertAfter(withCommit, (l) => l.startsWith('**'), verdict).join('\n');
}
