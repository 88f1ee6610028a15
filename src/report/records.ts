// The action's words for the unreviewed-enable refusal and for the apply and revert records that a
// later run completes.
import type { CellChange } from '../model/plan.js';
import { describeChange, parseMarkerKey } from '../plan/cells.js';
import { CATEGORY_LABEL, country, plural, transition } from './format.js';
import { mdText } from './escape.js';
import { tableOf } from './markdown.js';
import { runLink } from './run-link.js';

/** The workflow run a record names (the action's run context has these fields). */
export interface RunRef {
  serverUrl: string;
  owner: string;
  repo: string;
  runId: string;
  runAttempt: string;
  sha: string;
}

/** "1 enable", "2 enables and 1 inheritance change": what an unreviewed plan would widen. */
export function wideningWords(changes: readonly CellChange[]): { words: string; verb: 'was' | 'were' } {
  const inherit = changes.filter((c) => c.category === 'voice.inherit').length;
  const enables = changes.length - inherit;
  const words = [
    enables ? plural(enables, 'enable') : '',
    inherit ? plural(inherit, 'inheritance change') : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return { words, verb: changes.length === 1 ? 'was' : 'were' };
}

/** Why enables were left out of an apply that had no reviewed plan, each cell, and what to do instead. */
export function unreviewedSection(why: string, refused: readonly CellChange[]): string {
  const { words } = wideningWords(refused);
  return [
    `### Refused: ${words} without a reviewed plan`,
    '',
    `${mdText(why)}. Without a reviewed plan only changes that narrow access (disables) apply; these widen it ` +
      'and were not applied:',
    '',
    ...tableOf(
      ['account', 'permission', 'country', 'change'],
      refused.map((c) => [mdText(c.account), CATEGORY_LABEL[c.category], country(c, mdText), transition(c)]),
    ),
    '',
    'To apply them, open a pull request with the policy change so its plan is reviewed, and merge it. ' +
      'To apply enables under the guards alone instead, set `allow-unreviewed-enables: true` (unsafe: ' +
      'nothing then binds the apply to what a reviewer saw).',
    '',
  ].join('\n');
}

/** The note of an apply that took `allow-unreviewed-enables: true`. */
export function unreviewedAppliedSection(why: string, widening: readonly CellChange[]): string {
  const { words } = wideningWords(widening);
  return (
    `### Applied without a reviewed plan\n\n${mdText(why)}; \`allow-unreviewed-enables: true\` let ${words} ` +
    'apply under the guards alone.'
  );
}

/** Who applied a commit whose result this run posts: an earlier attempt of this run, or an unknown run. */
export function earlierApply(ctx: RunRef): string {
  const attempt = Number(ctx.runAttempt);
  if (!Number.isSafeInteger(attempt) || attempt < 2)
    return (
      'an earlier run of this commit applied it without posting its result, or the changes were made ' +
      'outside this workflow'
    );
  const previous = attempt - 1;
  const link = `${runLink(ctx)}/attempts/${previous}`;
  return attempt === 2
    ? `attempt 1 of this run (${link}) applied it but could not post its result`
    : `an earlier attempt of this run (the last one, attempt ${previous}: ${link}) applied it but could not post its result`;
}

/** The result of a re-run that found nothing left to apply, posted because no result of the commit was. */
export function recoveredApplySection(ctx: RunRef, policyFile: string, prNumber: number): string {
  return [
    '### Live state matches the reviewed policy',
    '',
    `Nothing was left to apply: this run read every account back and found each cell as \`${policyFile}\` at ` +
      `${ctx.sha.slice(0, 7)} wants it, so the changes the plan reviewed on PR #${prNumber} showed are in ` +
      `effect. No apply result of this commit was recorded here: ${earlierApply(ctx)}. That run's job summary ` +
      'and its apply record (an artifact, when the workflow uploads it as examples/workflows/apply.yml does) ' +
      'have the cell-by-cell detail.',
  ].join('\n');
}

const LIST_LIMIT = 25;
/** The cells a revert set out to write, listed for people (at most 25, then a count). */
export function revertCellList(cells: readonly string[]): string {
  const shown = cells.slice(0, LIST_LIMIT).map((key) => {
    const cell = parseMarkerKey(key);
    return `- ${mdText(cell ? describeChange(cell) : key)}`;
  });
  if (cells.length > LIST_LIMIT) shown.push(`- … and ${cells.length - LIST_LIMIT} more`);
  return shown.join('\n');
}

/** The revert record as posted before the first write. */
export function revertPendingText(ctx: RunRef, cells: readonly string[]): string {
  return [
    '### Reverting to the policy (`on-drift: revert`)',
    '',
    `[Run ${ctx.runId}](${runLink(ctx)}) is writing ${plural(cells.length, 'cell')} back to the policy:`,
    '',
    revertCellList(cells),
    '',
    'If this stays the last word here, that run could not record its result; the next scan records it.',
  ].join('\n');
}

/** What a later scan writes into a revert record its run could not finish. */
export function revertRecoveredText(
  ctx: RunRef,
  original: { runId: string; attempt: string },
  cells: readonly string[] | null,
  scan: { complete: boolean; drifted: number },
): string {
  const link = `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/actions/runs/${original.runId}/attempts/${original.attempt}`;
  const found = !scan.complete
    ? 'some accounts could not be read, so what the revert left in effect is not confirmed yet'
    : scan.drifted === 0
      ? 'the live state matches the policy'
      : `${plural(scan.drifted, 'cell')} still ${scan.drifted === 1 ? 'differs' : 'differ'} from the policy (this issue lists them)`;
  return [
    `### Reverted to the policy by run ${original.runId} (\`on-drift: revert\`)`,
    '',
    `[Run ${original.runId}, attempt ${original.attempt}](${link}) set out to write ` +
      `${cells ? 'these cells' : 'the drifted cells'} back to the policy, and could not record its result here:`,
    ...(cells ? ['', revertCellList(cells)] : []),
    '',
    `This scan ([run ${ctx.runId}](${runLink(ctx)})) read the accounts back: ${found}.`,
  ].join('\n');
}
