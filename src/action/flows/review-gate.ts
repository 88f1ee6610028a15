import * as core from '@actions/core';
import type { GitHubGateway, IssueComment, PullRequestRef } from '../../model/github-port.js';
import type { Plan } from '../../model/plan.js';
import { parseReviewedPlan, planCommentMarker, type StoredSnapshot } from '../../github/markers.js';
import { findOwnComment, foreignMarkerAuthors } from '../../github/sticky.js';
import { ownLogin } from '../../github/identity.js';
import { checkReviewedPlan, needsReview, withoutCells, type BindingResult } from '../../plan/binding.js';
import { mdText, renderReport } from '../../report/index.js';
import { planShard } from '../../github/bodies.js';
import type { FlowInput } from './shared.js';
import { unreviewedAppliedSection, unreviewedSection, wideningWords } from '../../report/records.js';

/** The merged pull request of the pushed commit, if it was merged through one. */
export function mergedPullRequest(pulls: readonly PullRequestRef[], sha: string): PullRequestRef | null {
  return pulls.find((p) => p.merged && p.mergeCommitSha === sha) ?? pulls.find((p) => p.merged) ?? null;
}

/** The merged pull request of the commit, read once: its reviewed plan, and its comments for the result. */
export interface Review {
  pr: PullRequestRef;
  comments: IssueComment[];
  reviewed: StoredSnapshot | null;
  /** Null when `comment: false` left no plan comment on the pull request: nothing was reviewed. */
  binding: BindingResult | null;
  /** Who this run's github-token is (github/identity.ts): the author of the action's own comments. */
  login: string;
}

/**
 * The merged PR has a plan comment, but none by this run's identity: never "guards only" over a name
 * mismatch. A plan we cannot vouch for reviewed no enable, so every enable is refused as unreviewed and
 * restrictive changes still apply.
 */
function notRecognised(
  input: FlowInput,
  plan: Plan,
  found: Pick<Review, 'pr' | 'comments' | 'login'>,
  foreign: readonly string[],
): Gate {
  const why =
    `PR #${found.pr.number} has a plan comment by ${foreign.join(', ')}, not by ${found.login} (the identity ` +
    "of this run's github-token), so it is not trusted as the reviewed plan: every enable is refused as " +
    'unreviewed, and restrictive changes still apply. If the plan job used another token (a GitHub App, a ' +
    'user), give this job the same one';
  core.warning(why);
  input.summary.push(`### ⚠️ The plan comment was not recognised\n\n${mdText(why)}.`);
  const binding = checkReviewedPlan(null, plan, found.pr.number);
  return bound({ ...found, reviewed: null, binding }, plan);
}

/**
 * The plan comment that binds the apply: a sharded apply's own shard's (a matrix of plan jobs), else
 * the whole policy's (planned unsharded, it holds every shard's cells, each bound to its SID).
 */
function reviewedComment(comments: readonly IssueComment[], plan: Plan, login: string) {
  const shard = planShard(plan);
  const markers = [
    planCommentMarker(plan.policyFile, shard),
    ...(shard ? [planCommentMarker(plan.policyFile)] : []),
  ];
  for (const marker of markers) {
    const planComment = findOwnComment(comments, marker, login);
    if (planComment) return { planComment, foreign: [] };
  }
  const foreign = [...new Set(markers.flatMap((m) => foreignMarkerAuthors(comments, m, login)))];
  return { planComment: null, foreign };
}

/** What may be applied, and the sections and failures that say what was held back and why. */
export interface Gate {
  review: Review | null;
  toApply: Plan;
  sections: string[];
  failures: string[];
}

/**
 * Binds the apply to the plan reviewed on the merged pull request: an enable (or inheritance change)
 * the reviewed plan did not show is left out. Without a reviewed plan at all (a direct push, or a
 * pull request under `comment: false`) only what narrows access applies, unless the input
 * `allow-unreviewed-enables: true` lets the guards alone decide, as before that input existed.
 */
export async function gateChanges(gh: GitHubGateway, input: FlowInput, plan: Plan): Promise<Gate> {
  const { sha } = input.ctx;
  const pr = mergedPullRequest(await gh.findPullRequestsForCommit(sha), sha);
  if (!pr)
    return unreviewed(
      input,
      plan,
      null,
      `commit ${sha.slice(0, 7)} was not merged through a pull request, so no plan of it was reviewed`,
    );
  const comments = await gh.listComments(pr.number);
  const login = await ownLogin(gh, input.settings.botLogin);
  const { planComment, foreign } = reviewedComment(comments, plan, login);
  if (!planComment && foreign.length > 0) return notRecognised(input, plan, { pr, comments, login }, foreign);
  // A plan comment binds the apply whatever this run's `comment` says: turning off result comments
  // never turns off the reviewed-plan check.
  if (!planComment && !input.settings.comment)
    return unreviewed(
      input,
      plan,
      { pr, comments, reviewed: null, binding: null, login },
      `comment: false left no plan comment on PR #${pr.number}, so no plan of it was reviewed`,
    );
  const reviewed = planComment ? parseReviewedPlan(planComment.body) : null;
  const binding = checkReviewedPlan(reviewed, plan, pr.number);
  const review: Review = { pr, comments, reviewed, binding, login };
  return bound(review, plan);
}

/** The plan minus what the binding refused, with the refusal's section. */
function bound(review: Review, plan: Plan): Gate {
  const { binding, pr } = review;
  if (!binding || binding.ok) return { review, toApply: plan, sections: [], failures: [] };
  return {
    review,
    toApply: withoutCells(
      plan,
      binding.unreviewed.map((u) => u.change),
    ),
    sections: [renderReport('binding', 'markdown', { result: binding, prNumber: pr.number })],
    failures: [`${binding.unreviewed.length} change(s) were not in the plan reviewed on PR #${pr.number}`],
  };
}

function unreviewed(input: FlowInput, plan: Plan, review: Review | null, why: string): Gate {
  const widening = plan.accounts.flatMap((a) => a.changes).filter(needsReview);
  if (widening.length === 0) {
    core.info(`${why}; every change narrows access, so all of them apply`);
    return { review, toApply: plan, sections: [], failures: [] };
  }
  const { words, verb } = wideningWords(widening);
  if (input.settings.allowUnreviewedEnables) {
    core.warning(
      `allow-unreviewed-enables: true: ${words} ${verb === 'was' ? 'is' : 'are'} applied under the guards alone (${why})`,
    );
    return { review, toApply: plan, sections: [unreviewedAppliedSection(why, widening)], failures: [] };
  }
  return {
    review,
    toApply: withoutCells(plan, widening),
    sections: [unreviewedSection(why, widening)],
    failures: [
      `${words} ${verb} refused: ${why}. Open a pull request so its plan is reviewed, or set ` +
        'allow-unreviewed-enables: true to apply enables under the guards alone',
    ],
  };
}
