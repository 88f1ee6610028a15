// Which commit the sticky plan comment planned, and the banner that says so when a later push was not
// planned (invalid, or no plan could be made), so an old plan is never read as the current one.
import { mdCode, mdText } from './escape.js';

/** A commit as a comment links it. */
export interface CommitRef {
  sha: string;
  url: string;
}

/** Why the latest push left the plan comment as it was. */
export type NotPlanned = { kind: 'invalid' } | { kind: 'unplanned'; why: string };

/** A banner's reason is one sentence, never a report: a long error is cut. */
const MAX_WHY_CHARS = 300;

const clip = (text: string): string =>
  text.length > MAX_WHY_CHARS ? `${text.slice(0, MAX_WHY_CHARS - 1)}…` : text;

/** The commit as a linked short SHA; a payload value that is no SHA is shown literally, unlinked. */
export function commitText(commit: CommitRef | null): string {
  if (!commit) return 'an earlier commit';
  if (/^[0-9a-f]{4,64}$/i.test(commit.sha)) return `[\`${commit.sha.slice(0, 7)}\`](${commit.url})`;
  return mdCode(commit.sha.slice(0, 64));
}

/** The banner put at the top of the plan comment when the latest push was not planned. */
export function staleBanner(
  latest: CommitRef,
  planned: CommitRef | null,
  reason: NotPlanned,
  runUrl: string,
): string {
  const head = `⚠️ **The latest push ${commitText(latest)}`;
  const forPlan = `this plan is for ${commitText(planned)}`;
  const line =
    reason.kind === 'invalid'
      ? `${head} is invalid: ${forPlan}.**`
      : `${head} could not be planned: ${mdText(clip(reason.why))}. ${forPlan[0]!.toUpperCase()}${forPlan.slice(1)}.**`;
  return `> ${line} See [the run](${runUrl}); the plan below is not current until a push is planned again.`;
}

/** The job summary's note once the banner is on the comment. */
export function staleCommentNote(pr: number, planned: CommitRef | null): string {
  return `The plan comment on PR #${pr} still shows the plan for ${commitText(planned)}; a banner at its top now says this push was not planned.`;
}
