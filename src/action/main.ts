import * as core from '@actions/core';
import { readRunContext, runUrl, type RunContext } from './context.js';
import { resolveMode } from './mode.js';
import { preflight } from './preflight.js';
import { writeSummary } from './runner-io.js';
import { hasTwilioCredentials, readSettings, secretValues } from './settings.js';
import type { FlowInput, FlowResult } from './flows/shared.js';
import { runValidate } from './flows/validate.js';

/**
 * The action: read inputs once, pick the mode from the event, run that flow, write the summary.
 * Plan, apply and drift load their modules (Twilio SDK, Octokit) only when they run, so the
 * validate path stays fast.
 */
export async function run(): Promise<void> {
  const summary: string[] = [];
  let ctx: RunContext | null = null;
  try {
    const settings = readSettings((name) => core.getInput(name));
    for (const secret of secretValues(settings)) core.setSecret(secret);
    ctx = readRunContext(process.env);
    if (ctx.payloadError) core.warning(`${ctx.payloadError}; reading the event as empty`);
    // Everything the mode needs is checked here, before the first Twilio or GitHub request.
    const decision = preflight(
      resolveMode(settings.mode, ctx, hasTwilioCredentials(settings.twilio)),
      settings,
      ctx,
    );
    core.info(`twilio-geo-permissions: mode ${decision.mode} (${decision.reason})`);
    if (decision.noCredentials) core.notice(`Planned nothing: ${decision.reason}.`);
    const input: FlowInput = { settings, ctx, reason: decision.reason, summary, now: new Date() };
    let result: FlowResult;
    switch (decision.mode) {
      case 'validate':
        result = await runValidate(input);
        break;
      case 'plan':
        result = await (await import('./flows/plan.js')).runPlan(input);
        break;
      case 'apply':
        result = await (await import('./flows/apply.js')).runApply(input);
        break;
      case 'drift':
        result = await (await import('./flows/drift.js')).runDrift(input);
        break;
    }
    if (result.failure) core.setFailed(result.failure);
  } catch (err) {
    // Our own errors carry safe messages; never print a whole SDK/HTTP error object.
    const message = err instanceof Error ? err.message : String(err);
    summary.push(`## ❌ twilio-geo-permissions failed\n\n${message}`);
    core.setFailed(message);
  } finally {
    if (summary.length) {
      try {
        await writeSummary(summary, ctx ? `Full JSON report: see the run ${runUrl(ctx)}.` : '');
      } catch (err) {
        core.warning(`could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
