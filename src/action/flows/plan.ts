import * as core from '@actions/core';
import { planSection, renderReport } from '../../report/index.js';
import { planCommentMarker } from '../../github/markers.js';
import { createGitHub } from '../adapters.js';
import { runLink } from '../../report/run-link.js';
import type { RunContext } from '../context.js';
import type { GitHubError } from '../../model/github-port.js';
import { attemptWrite, describeGitHubFailure, upsertComment } from '../../github/writes.js';
import { pullRequestNumber } from '../mode.js';
import { planCommentBody } from '../../github/bodies.js';
import { setOutputs } from '../runner-io.js';
import { planLive, writeJsonReport } from './live.js';
import type { FlowInput, FlowResult } from './shared.js';

// Below composeBody's 60,000 so the plan degrades its own detail (whole tables) and the comment never needs
// cutting: the heading, markers and footer fit in the difference.
const COMMENT_MARKDOWN_CHARS = 55_000;

/** Pull request: plan, outputs, summary, and one sticky comment per policy file, updated in place. */
export async function runPlan(input: FlowInput): Promise<FlowResult> {
  const live = await planLive(input);
  if (!live) return { failure: `the policy ${input.settings.policy} is invalid` };
  const { plan } = live;
  const jsonPath = await writeJsonReport(input, 'plan', renderReport('plan', 'json', plan));
  setOutputs({
    'has-changes': plan.summary.changes > 0,
    'change-count': plan.summary.changes,
    'plan-fingerprint': plan.fingerprint,
    'plan-json': jsonPath,
  });
  const markdown = planSection(plan, { maxChars: COMMENT_MARKDOWN_CHARS });
  input.summary.push(markdown);

  const pr = pullRequestNumber(input.ctx);
  const failures: string[] = [];
  if (plan.summary.errors > 0)
    failures.push(`${plan.summary.errors} account(s) could not be read; the plan is incomplete`);
  // A pull_request event without its pull request never gets here: preflight fails it before any read.
  if (pr !== null && input.settings.comment) {
    const gh = await createGitHub(input.settings, input.ctx);
    if (!gh) core.warning('no github-token: the plan is in the job summary only');
    else {
      const body = planCommentBody(plan, markdown, runLink(input.ctx));
      const outcome = await attemptWrite(() =>
        upsertComment(gh, pr, planCommentMarker(plan.policyFile), input.settings.botLogin, body),
      );
      if (outcome.ok) setOutputs({ 'comment-url': outcome.value });
      else {
        const failure = commentNotUpdated(input, pr, outcome.error);
        if (failure) failures.push(failure);
      }
    }
  }
  return { failure: failures.length ? failures.join('; ') : null };
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
