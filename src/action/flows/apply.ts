import * as core from '@actions/core';
import { guardAndApply } from '../../apply/guard-and-apply.js';
import type { Plan } from '../../model/plan.js';
import type { GitHubGateway, PullRequestRef } from '../../model/github-port.js';
import { applyCommentMarker, parseReviewedPlan, planCommentMarker } from '../../github/markers.js';
import { findOwnComment, foreignMarkerAuthors } from '../../github/sticky.js';
import { ownLogin } from '../../github/identity.js';
import { applySection, notAppliedSection, renderReport } from '../../report/index.js';
import { checkReviewedPlan, withoutCells } from '../../plan/binding.js';
import type { BindingResult } from '../../plan/binding.js';
import { createGitHub } from '../adapters.js';
import { runUrl } from '../context.js';
import { notOnDefaultBranch } from '../mode.js';
import { reportingWrite, upsertComment } from '../../github/writes.js';
import { applyCommentBody } from '../../github/bodies.js';
import { setOutputs } from '../runner-io.js';
import { planLive, writeJsonReport } from './live.js';
import type { FlowInput, FlowResult } from './shared.js';

/** The merged pull request of the pushed commit, if it was merged through one. */
export function mergedPullRequest(pulls: readonly PullRequestRef[], sha: string): PullRequestRef | null {
  return pulls.find((p) => p.merged && p.mergeCommitSha === sha) ?? pulls.find((p) => p.merged) ?? null;
}

interface Review {
  pr: PullRequestRef;
  binding: BindingResult;
}

/** Re-reads the plan reviewed on the merged pull request and binds this apply to it. */
async function bindToReview(gh: GitHubGateway, input: FlowInput, plan: Plan): Promise<Review | null> {
  const pr = mergedPullRequest(await gh.findPullRequestsForCommit(input.ctx.sha), input.ctx.sha);
  if (!pr) {
    core.info(`commit ${input.ctx.sha.slice(0, 7)} was not merged through a pull request: guards only`);
    return null;
  }
  const marker = planCommentMarker(plan.policyFile);
  const comments = await gh.listComments(pr.number);
  const login = await ownLogin(gh, input.settings.botLogin);
  const comment = findOwnComment(comments, marker, login);
  const foreign = foreignMarkerAuthors(comments, marker, login);
  if (!comment && foreign.length) {
    // Never "guards only" over a name mismatch: a plan we cannot vouch for reviewed no enable.
    const why =
      `PR #${pr.number} has a plan comment by ${foreign.join(', ')}, not by ${login} (the identity of this ` +
      "run's github-token), so it is not trusted as the reviewed plan: every enable is refused as unreviewed, " +
      'and restrictive changes still apply. If the plan job used another token (a GitHub App, a user), give ' +
      'this job the same one';
    core.warning(why);
    input.summary.push(`### ⚠️ The plan comment was not recognised\n\n${why}.`);
    return { pr, binding: checkReviewedPlan(null, plan, pr.number) };
  }
  if (!comment && !input.settings.comment) {
    // `comment: false` keeps no plan on pull requests: then, and only then, the guards alone bind the apply.
    core.notice(
      `comment: false and no plan comment on PR #${pr.number}: this apply is bound by the guards only`,
    );
    return null;
  }
  const reviewed = comment ? parseReviewedPlan(comment.body) : null;
  return { pr, binding: checkReviewedPlan(reviewed, plan, pr.number) };
}

/**
 * Merge: re-plan, refuse enables that were not reviewed (disables proceed), check the guards, apply with
 * read-back, and report cell by cell on the merged pull request and in the summary.
 */
export async function runApply(input: FlowInput): Promise<FlowResult> {
  const offBranch = notOnDefaultBranch(input.ctx);
  if (offBranch) {
    const failure = `apply writes only from the default branch, and ${offBranch}; nothing was read or written`;
    input.summary.push(notAppliedSection(failure));
    return { failure };
  }
  const live = await planLive(input);
  if (!live) return { failure: `the policy ${input.settings.policy} is invalid; nothing was applied` };
  const { desired, gateway, plan } = live;
  setOutputs({
    'has-changes': plan.summary.changes > 0,
    'change-count': plan.summary.changes,
    'plan-fingerprint': plan.fingerprint,
    'plan-json': await writeJsonReport(input, 'plan', renderReport('plan', 'json', plan)),
  });

  const gh = await createGitHub(input.settings, input.ctx);
  const onPush = input.ctx.eventName === 'push';
  if (!gh && onPush)
    return { failure: 'github-token is required on push: the merged pull request holds the reviewed plan' };
  // A plan comment on the merged PR binds the apply whatever this run's `comment` input says, so
  // turning off result comments never turns off the reviewed-plan check.
  const review = gh && onPush ? await bindToReview(gh, input, plan) : null;
  const failures: string[] = [];
  const sections: string[] = [];
  let toApply = plan;
  if (review && !review.binding.ok) {
    toApply = withoutCells(
      plan,
      review.binding.unreviewed.map((u) => u.change),
    );
    sections.push(
      renderReport('binding', 'markdown', { result: review.binding, prNumber: review.pr.number }),
    );
    failures.push(
      `${review.binding.unreviewed.length} change(s) were not in the plan reviewed on PR #${review.pr.number}`,
    );
  }

  const outcome = await guardAndApply({
    desired,
    plan: toApply,
    gateway,
    guards: { maxChangesOverride: input.settings.maxChanges, allowHighRisk: input.settings.allowHighRisk },
    apply: { concurrency: input.settings.concurrency },
  });
  if (outcome.status === 'refused') {
    sections.push(renderReport('refusals', 'markdown', outcome.refusals));
    failures.push(...outcome.refusals.map((r) => r.message));
  } else {
    const { result } = outcome;
    await writeJsonReport(input, 'apply', renderReport('apply', 'json', result));
    sections.push(renderReport('apply', 'markdown', result));
    if (!result.ok) failures.push(`apply did not verify every cell (${result.summary.failed} failed)`);
  }

  const markdown = applySection(plan.policyFile, input.ctx.sha, sections);
  input.summary.push(markdown);
  // A re-run after a successful apply has nothing to do: the merged PR keeps the result it already shows.
  const attempted = plan.summary.changes > 0;
  // `comment: false` keeps the result in the job summary only; gh is checked again only for the type.
  if (review && gh && attempted && input.settings.comment) {
    const body = applyCommentBody(plan.policyFile, input.ctx.sha, markdown, runUrl(input.ctx));
    const url = await reportingWrite('post the apply result on the merged pull request', () =>
      upsertComment(
        gh,
        review.pr.number,
        applyCommentMarker(plan.policyFile, input.ctx.sha),
        input.settings.botLogin,
        body,
      ),
    );
    if (url) setOutputs({ 'comment-url': url });
  }
  return { failure: failures.length ? failures.join('; ') : null };
}
