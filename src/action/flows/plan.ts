import * as core from '@actions/core';
import { planReviewSection, renderGuardVerdictText, renderReport } from '../../report/index.js';
import { planCommentMarker } from '../../github/markers.js';
import { createGitHub } from '../adapters.js';
import { runLink } from '../../report/run-link.js';
import type { RunContext } from '../context.js';
import type { GitHubError } from '../../model/github-port.js';
import type { Plan } from '../../model/plan.js';
import { messageOf } from '../../model/errors.js';
import { COMMENT_MARKDOWN_CHARS } from '../../model/limits.js';
import { refusedGuards, guardVerdict, type GuardVerdict } from '../../plan/guards.js';
import { attemptWrite, describeGitHubFailure, upsertComment } from '../../github/writes.js';
import { pullRequestHead, pullRequestNumber } from '../mode.js';
import { planCommentBody, planShard, unreviewedByComment } from '../../github/bodies.js';
import { logReport, setOutputs } from '../runner-io.js';
import { planLive, writeJsonReport, type LivePlan } from './live.js';
import { commitRef, markPlanCommentStale } from './stale.js';
import { guardInputs, type FlowInput, type FlowResult } from './shared.js';

/** The plan, or null after putting the staleness banner on the plan comment: no plan of this push exists. */
async function planOrBanner(input: FlowInput): Promise<LivePlan | null> {
  let live: LivePlan | null;
  try {
    live = await planLive(input);
  } catch (err) {
    await markPlanCommentStale(input, { kind: 'unplanned', why: messageOf(err) });
    throw err;
  }
  if (!live) await markPlanCommentStale(input, { kind: 'invalid' });
  return live;
}

/** Why no account could be read (Twilio unreachable, credentials refused), or null when one was. */
function nothingRead(plan: Plan): string | null {
  const failed = plan.accounts.filter((a) => a.error !== null);
  if (failed.length === 0 || failed.length < plan.accounts.length) return null;
  return `no account could be read (${failed[0]!.account}: ${failed[0]!.error})`;
}

/** The one-line failure (or, under fail-on-refusal: false, warning) of a plan whose merge would be refused. */
function refusalFailure(input: FlowInput, verdict: GuardVerdict): string | null {
  if (!verdict.refused) return null;
  const line =
    `the guards would refuse this merge (${refusedGuards(verdict).join(', ')}): the plan comment says why ` +
    'and how to pass them in the policy';
  if (input.settings.failOnRefusal) return line;
  core.warning(`${line} (fail-on-refusal: false, so this check passes)`);
  return null;
}

/**
 * Pull request: plan, the guards' verdict as the merge would meet it, outputs, summary, the job log, and
 * one sticky comment per policy file, updated in place. A push that cannot be planned leaves the comment's
 * plan as it was, under a banner saying so.
 */
export async function runPlan(input: FlowInput): Promise<FlowResult> {
  const live = await planOrBanner(input);
  if (!live) return { failure: `the policy ${input.settings.policy} is invalid` };
  const { plan, desired } = live;
  const verdict = guardVerdict(plan, desired, guardInputs(input));
  const jsonPath = await writeJsonReport(input, 'plan', renderReport('plan', 'json', plan));
  setOutputs({
    'has-changes': plan.summary.changes > 0,
    'change-count': plan.summary.changes,
    'plan-fingerprint': plan.fingerprint,
    'plan-json': jsonPath,
    guards: verdict.refused ? 'refuse' : 'pass',
  });
  logReport('Plan (text)', `${renderReport('plan', 'text', plan)}\n${renderGuardVerdictText(verdict)}`);
  const head = pullRequestHead(input.ctx);
  const markdown = planReviewSection(
    plan,
    {
      commit: commitRef(input.ctx, head),
      readAt: input.now.toISOString(),
      runLink: runLink(input.ctx),
      verdict,
    },
    COMMENT_MARKDOWN_CHARS,
  );
  input.summary.push(markdown);

  const failures: string[] = [];
  if (plan.summary.errors > 0)
    failures.push(`${plan.summary.errors} account(s) could not be read; the plan is incomplete`);
  const refused = refusalFailure(input, verdict);
  if (refused) failures.push(refused);
  const unread = nothingRead(plan);
  if (unread) await markPlanCommentStale(input, { kind: 'unplanned', why: unread });
  else {
    const failure = await postPlanComment(input, plan, markdown, head);
    if (failure) failures.push(failure);
  }
  return { failure: failures.length ? failures.join('; ') : null };
}

/** Upserts the sticky plan comment; answers the job's failure when it could not be. */
async function postPlanComment(
  input: FlowInput,
  plan: Plan,
  markdown: string,
  head: string,
): Promise<string | null> {
  const pr = pullRequestNumber(input.ctx);
  // A pull_request event without its pull request never gets here: preflight fails it before any read.
  if (pr === null || !input.settings.comment) return null;
  const gh = await createGitHub(input.settings, input.ctx);
  if (!gh) {
    core.warning('no github-token: the plan is in the job summary only');
    return null;
  }
  const body = planCommentBody(plan, markdown, runLink(input.ctx), head);
  const outcome = await attemptWrite(() =>
    upsertComment(gh, pr, planCommentMarker(plan.policyFile, planShard(plan)), input.settings.botLogin, body),
  );
  if (!outcome.ok) return commentNotUpdated(input, pr, outcome.error);
  setOutputs({ 'comment-url': outcome.value });
  return unreviewedFailure(input, unreviewedByComment(plan, body));
}

/**
 * The one-line failure (or, under fail-on-refusal: false, warning) of a comment too small for the plan:
 * the enables whose rows did not fit are refused at the merge, so the check says so now.
 */
function unreviewedFailure(input: FlowInput, unreviewed: number): string | null {
  if (unreviewed === 0) return null;
  const line =
    `${unreviewed} planned change(s) did not fit in the plan comment, so the merge would refuse them as ` +
    'unreviewed: split the change into smaller pull requests';
  if (input.settings.failOnRefusal) return line;
  core.warning(`${line} (fail-on-refusal: false, so this check passes)`);
  return null;
}

/**
 * Says in the summary that the plan comment was not updated, and answers the job's failure: a stale plan
 * behind a green check would be reviewed as current. The one exception is a fork's pull request, whose
 * token GitHub makes read-only: there the summary is the only place the plan can go, so it warns.
 */
function commentNotUpdated(input: FlowInput, pr: number, err: GitHubError): string | null {
  const why = `the plan comment on PR #${pr} was not updated: ${describeGitHubFailure(err)}`;
  const fork = forkReadOnly(input.ctx, err);
  input.summary.push(
    `### ⚠️ The plan comment was not updated\n\n${why}.\n\nThe plan above is this run's; ` +
      (fork
        ? 'a pull request from a fork gets a read-only token, so it is shown here only.'
        : 'the pull request may still show an older plan, so this job fails. Re-run it once the cause is fixed.'),
  );
  if (!fork) return why;
  core.warning(
    `${why}; a pull request from a fork gets a read-only token, so the plan is in the job summary only`,
  );
  return null;
}

/** A 403 "Resource not accessible by integration" on a pull request whose head is another repository. */
function forkReadOnly(ctx: RunContext, err: GitHubError): boolean {
  const pull = ctx.payload.pull_request;
  const base = pull?.base?.repo?.full_name;
  return (
    err.kind === 'forbidden' &&
    /Resource not accessible by integration/i.test(err.message) &&
    Boolean(base) &&
    pull?.head?.repo?.full_name !== base
  );
}
