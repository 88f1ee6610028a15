import * as core from '@actions/core';
import { planSection, renderReport } from '../../report/index.js';
import { planCommentMarker } from '../../github/markers.js';
import { createGitHub } from '../adapters.js';
import { runUrl } from '../context.js';
import { reportingWrite, upsertComment } from '../../github/writes.js';
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
      const body = planCommentBody(plan, markdown, runUrl(input.ctx));
      const url = await reportingWrite('comment on the pull request', () =>
        upsertComment(gh, pr, planCommentMarker(plan.policyFile), input.settings.botLogin, body),
      );
      if (url) setOutputs({ 'comment-url': url });
    }
  }
  return { failure: failures.length ? failures.join('; ') : null };
}
