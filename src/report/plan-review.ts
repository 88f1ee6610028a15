// The plan as a pull request reviews it (the sticky comment and the job summary): the plan section with
// the commit it planned, when live state was read and the run, then the guards' verdict, right after its
// verdict line. The one place these parts are put together for the action.
import type { Plan } from '../model/plan.js';
import type { GuardVerdict } from '../plan/guards.js';
import { renderGuardVerdictMarkdown } from './guard-verdict.js';
import { planSection } from './plan.js';
import type { CommitRef } from './staleness.js';

export interface PlanReviewParts {
  /** The commit planned (the pull request head). */
  commit: CommitRef;
  /** When the run read the live state, ISO 8601. */
  readAt: string;
  runLink: string;
  verdict: GuardVerdict;
}

/** The plan section, with what it was planned from and the verdict, in at most `maxChars` (it degrades to fit). */
export function planReviewSection(plan: Plan, parts: PlanReviewParts, maxChars: number): string {
  return planSection(plan, {
    maxChars,
    review: { commit: parts.commit, readAt: parts.readAt, runLink: parts.runLink },
    guards: renderGuardVerdictMarkdown(parts.verdict),
  });
}
