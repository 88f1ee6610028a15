import * as core from '@actions/core';
import type { RunContext } from './context.js';
import type { ModeDecision } from './mode.js';
import { pullRequestNumber } from './mode.js';
import type { ActionSettings } from './settings.js';
import { readCheckedOutHead, whyNoApply, whyNoTargetPlan, type CheckedOutHead } from './triggers.js';

/** A mode's needs that the inputs, the event or the runner do not meet; thrown before any request. */
export class PreflightError extends Error {}

/**
 * Checks everything the chosen mode needs (event payload fields, the GitHub token, the trigger) right
 * after the settings and the event are read, so a run that cannot finish fails before its first Twilio
 * or GitHub request instead of after reading every account. Twilio credentials are resolveMode's check.
 * A pull_request_target plan of a commit other than the pull request head becomes validate, saying why.
 */
export function preflight(
  decision: ModeDecision,
  settings: ActionSettings,
  ctx: RunContext,
  readHead: (policyFile: string) => CheckedOutHead = readCheckedOutHead,
): ModeDecision {
  if (decision.mode === 'plan') {
    const notHere = whyNoTargetPlan(ctx, settings.policy, readHead);
    if (notHere) {
      core.notice(`Planned nothing: ${notHere}.`);
      return { mode: 'validate', reason: notHere, noCredentials: false };
    }
  }
  const problems = decision.mode === 'plan' ? planProblems(settings, ctx) : [];
  if (decision.mode === 'apply') problems.push(...applyProblems(settings, ctx));
  if (problems.length) throw new PreflightError(problems.join('; '));
  return decision;
}

function planProblems(settings: ActionSettings, ctx: RunContext): string[] {
  // A pull_request event always names its pull request; without it the reviewed plan would be lost.
  if (!ctx.eventName.startsWith('pull_request') || !settings.comment || pullRequestNumber(ctx) !== null)
    return [];
  return [
    `the ${ctx.eventName} event payload names no pull request, so the plan was not commented` +
      (ctx.payloadError ? ` (${ctx.payloadError})` : '') +
      '; nothing was read. Run the plan on: pull_request, or set comment: false to plan into the job summary only',
  ];
}

function applyProblems(settings: ActionSettings, ctx: RunContext): string[] {
  const notHere = whyNoApply(ctx);
  if (notHere) return [notHere];
  const problems: string[] = [];
  if (!ctx.sha) problems.push('GITHUB_SHA is not set, so the commit to apply is unknown; nothing was read');
  if (!settings.githubToken || !ctx.owner)
    problems.push(
      `github-token is required to apply${settings.githubToken ? ' (and GITHUB_REPOSITORY is not set)' : ''}: ` +
        'the reviewed plan is read from the merged pull request and the result posted there; nothing was read ' +
        'or written. Leave github-token at its default (the job token) and give the job pull-requests: write',
    );
  return problems;
}
