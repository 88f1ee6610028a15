// The guards' verdict on a plan, stated where the plan is reviewed (the PR comment, the job summary,
// `geo-permissions plan`): one verdict line, a table of every guard, then each refusal's message. The
// refusal messages and details carry policy- and Twilio-sourced names, so they are escaped here.
import type { GuardVerdict } from '../plan/guards.js';
import { mdText, termText } from './escape.js';
import { tableOf } from './markdown.js';
import { painter, table, type TextOptions } from './text.js';

/** A comment shows this many refusal messages; the job log's text has them all. */
const MAX_MARKDOWN_REFUSALS = 10;

export interface VerdictWording {
  /** What the guards would refuse: "the merge" (a PR plan) or "an apply" (the CLI). */
  subject?: string;
}

const verdictLine = (verdict: GuardVerdict, subject: string): string =>
  verdict.refused ? `Guards: ${subject} would be REFUSED` : 'Guards: pass';

/** For a comment or the job summary. */
export function renderGuardVerdictMarkdown(verdict: GuardVerdict, wording: VerdictWording = {}): string {
  const line = verdictLine(verdict, wording.subject ?? 'the merge');
  const rows = verdict.checks.map((c) => [
    `\`${c.guard}\``,
    c.passed ? '✅ pass' : '❌ refused',
    mdText(c.detail),
  ]);
  const shown = verdict.refusals.slice(0, MAX_MARKDOWN_REFUSALS);
  const more = verdict.refusals.length - shown.length;
  return [
    verdict.refused ? `❌ **${line}**` : `✅ **${line}**`,
    '',
    ...tableOf(['guard', 'verdict', 'detail'], rows),
    ...(shown.length ? [''] : []),
    ...shown.map((r) => `- **${r.guard}**: ${mdText(r.message)}`),
    ...(more > 0 ? [`- …and ${more} more refusal(s); the job log lists them all.`] : []),
  ].join('\n');
}

/** For a terminal or the job log: the verdict line, the aligned table, then every refusal. */
export function renderGuardVerdictText(
  verdict: GuardVerdict,
  options: TextOptions & VerdictWording = { color: false },
): string {
  const paint = painter(options.color);
  const line = verdictLine(verdict, options.subject ?? 'the merge');
  const rows = verdict.checks.map((c) => [c.guard, c.passed ? 'pass' : 'refused', termText(c.detail)]);
  return [
    verdict.refused ? paint('red', line) : paint('green', line),
    ...table([['guard', 'verdict', 'detail'], ...rows]),
    ...verdict.refusals.map((r) => `refused (${r.guard}): ${termText(r.message)}`),
    '',
  ].join('\n');
}
