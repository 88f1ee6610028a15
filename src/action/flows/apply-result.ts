import { GitHubError, type GitHubGateway } from '../../model/github-port.js';
import type { ApplyResult, Plan } from '../../model/plan.js';
import { applyCommentMarker } from '../../github/markers.js';
import { findOwnComment } from '../../github/sticky.js';
import { applyCommentBody, planShard } from '../../github/bodies.js';
import { reportingWrite, upsertComment } from '../../github/writes.js';
import { renderReport } from '../../report/index.js';
import { runLink } from '../../report/run-link.js';
import { setOutputs } from '../runner-io.js';
import { applyRecordPath, writeJsonReport } from './live.js';
import type { Review } from './review-gate.js';
import type { FlowInput } from './shared.js';

/** Keeps the apply result as JSON at applyRecordPath, and points the output `plan-json` at it. */
export async function writeApplyRecord(input: FlowInput, result: ApplyResult): Promise<string> {
  const file = await writeJsonReport(
    input,
    'apply',
    renderReport('apply', 'json', result),
    applyRecordPath(input),
  );
  setOutputs({ 'plan-json': file });
  return file;
}

/**
 * True when this run found nothing to apply, yet the merged pull request has no result of this commit
 * although its reviewed plan showed changes: an earlier run wrote them and could not post its result
 * (GitHub down, a 5xx, a 403), or they were made by hand. This run's read-back of every account then is
 * the result to post. An incomplete read proves nothing, so it posts none.
 */
export function resultMissing(input: FlowInput, review: Review | null, plan: Plan): review is Review {
  if (!review?.binding || !review.reviewed || !input.settings.comment) return false;
  if (plan.summary.changes > 0 || plan.accounts.some((a) => a.error !== null)) return false;
  if (review.reviewed.fingerprint === plan.fingerprint) return false;
  const marker = applyCommentMarker(plan.policyFile, input.ctx.sha, planShard(plan));
  return findOwnComment(review.comments, marker, review.login) === null;
}

/**
 * Posts the result on the merged pull request (one comment per merge commit, upserted on re-runs).
 * A re-run with nothing to do leaves a posted result as it is, and posts a missing one. A failed post
 * fails the job, saying where the record is and that a re-run posts it.
 */
export async function postApplyResult(
  gh: GitHubGateway,
  input: FlowInput,
  post: { review: Review | null; plan: Plan; markdown: string; record: string | null; missing: boolean },
): Promise<string | null> {
  const { review, plan } = post;
  if (!review || !input.settings.comment || !(plan.summary.changes > 0 || post.missing)) return null;
  const marker = applyCommentMarker(plan.policyFile, input.ctx.sha, planShard(plan));
  const body = applyCommentBody(
    plan.policyFile,
    input.ctx.sha,
    post.markdown,
    runLink(input.ctx),
    planShard(plan),
  );
  try {
    // After a cancel the runner kills the job soon: the post gets a short grace, the record stays.
    const url = await input.cancel.quickly(
      reportingWrite('post the apply result on the merged pull request', () =>
        upsertComment(gh, review.pr.number, marker, input.settings.botLogin, body),
      ),
    );
    if (url) setOutputs({ 'comment-url': url });
    return null;
  } catch (err) {
    if (!(err instanceof GitHubError)) throw err;
    const why = err.message;
    const kept = post.record
      ? `the apply ran and its record is ${post.record}`
      : 'nothing was applied; the job summary says why';
    const failure = `could not post the apply result on PR #${review.pr.number} (${why}); ${kept}. Re-run this job to post it`;
    input.summary.push(`### Result not posted\n\n${failure}.`);
    return failure;
  }
}
