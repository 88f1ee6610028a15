import * as core from '@actions/core';
import { createStopLatch, STOP_EXIT_CODE, type StopSignal } from '../apply/stop.js';
import { runLink } from '../report/run-link.js';
import { readRunContext, type RunContext } from './context.js';
import { resolveMode } from './mode.js';
import { preflight } from './preflight.js';
import { writeSummary } from './runner-io.js';
import { hasTwilioCredentials, readActionSettings, secretValues } from './settings.js';
import type { FlowCancel, FlowInput, FlowResult } from './flows/shared.js';
import { runValidate } from './flows/validate.js';

/**
 * How long a report to GitHub (the apply-result comment, the drift issue and the revert's note) may
 * take once the run is cancelled: the runner sends SIGTERM 7.5 s after SIGINT, and the accounts in
 * flight are finished and read back first.
 */
const REPORT_GRACE_MS = 2_000;

/** `work`, or null once it has run `ms` past a cancel (it may go on; the process exits anyway). */
function withinGrace<T>(work: Promise<T>, signal: AbortSignal, ms: number): Promise<T | null> {
  return new Promise<T | null>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = () => void (timer = setTimeout(() => resolve(null), ms));
    if (signal.aborted) giveUp();
    else signal.addEventListener('abort', giveUp, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', giveUp);
    });
  });
}

const SECOND =
  'stopped at once. Writes in flight were not read back, and the job summary, the JSON report and the comment may be missing; the next plan shows what is live.';

/**
 * SIGINT (a runner's cancel) and SIGTERM (7.5 s later; docs/hardening.md) for one run:
 * - the first, before the flow began writing: `stopNow` records it, then the process exits 130 or 143;
 * - the first, once it writes: the cancel's signal aborts; the apply starts no new account, ends the
 *   accounts in flight safely and reads them back, and the flow reports (src/apply/apply.ts, CANCELLED);
 * - the second: exit at once (130 or 143, by that signal), after one line saying what may be incomplete.
 */
function listenForCancel(stopNow: (signal: StopSignal) => Promise<void>) {
  const latch = createStopLatch({
    beforeWriting: (signal) => void stopNow(signal).finally(() => process.exit(STOP_EXIT_CODE[signal])),
    whileWriting: (signal) =>
      core.warning(
        `${signal}: starting no new account; finishing the accounts in flight, reading them back and reporting`,
      ),
    again: (signal, first) => {
      core.error(`${signal} after ${first}: ${SECOND}`);
      process.exit(STOP_EXIT_CODE[signal]);
    },
  });
  process.on('SIGINT', latch.onSignal);
  process.on('SIGTERM', latch.onSignal);
  const cancel: FlowCancel = {
    signal: latch.signal,
    beginWriting: latch.beginWriting,
    quickly: (work) => withinGrace(work, latch.signal, REPORT_GRACE_MS),
  };
  return {
    cancel,
    received: latch.received,
    remove() {
      process.off('SIGINT', latch.onSignal);
      process.off('SIGTERM', latch.onSignal);
    },
  };
}

async function writeJobSummary(summary: readonly string[], ctx: RunContext | null): Promise<void> {
  if (!summary.length) return;
  try {
    await writeSummary(summary, ctx ? `Full JSON report: see the run ${runLink(ctx)}.` : '');
  } catch (err) {
    core.warning(`could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The action: read inputs once, pick the mode from the event, run that flow, write the summary.
 * Plan, apply and drift load their modules (Twilio SDK, Octokit) only when they run, so the
 * validate path stays fast.
 */
export async function run(): Promise<void> {
  const summary: string[] = [];
  let ctx: RunContext | null = null;
  let written: Promise<void> | null = null;
  const writeSummaryOnce = () => (written ??= writeJobSummary(summary, ctx));
  // Installed once for the run, removed after it.
  const interrupts = listenForCancel(async (signal) => {
    const why = `${signal} before any write: stopped; nothing was written to Twilio`;
    summary.push(`## ⚠️ Cancelled\n\n${why}.`);
    core.setFailed(why);
    await writeSummaryOnce();
  });
  try {
    const settings = readActionSettings((name) => core.getInput(name));
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
    const input: FlowInput = {
      settings,
      ctx,
      reason: decision.reason,
      summary,
      now: new Date(),
      cancel: interrupts.cancel,
      noCredentials: decision.noCredentials,
    };
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
    const cancelled = interrupts.received();
    const failure = result.failure ?? (cancelled ? `cancelled by ${cancelled}` : null);
    if (failure) core.setFailed(failure);
  } catch (err) {
    // Our own errors carry safe messages; never print a whole SDK/HTTP error object.
    const message = err instanceof Error ? err.message : String(err);
    summary.push(`## ❌ twilio-geo-permissions failed\n\n${message}`);
    core.setFailed(message);
  } finally {
    await writeSummaryOnce();
    interrupts.remove();
    const signal = interrupts.received();
    // A cancelled run exits 130 or 143 once it has reported, without waiting for the work it gave up.
    if (signal) process.exit(STOP_EXIT_CODE[signal]);
  }
}
