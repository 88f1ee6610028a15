import * as core from '@actions/core';
import { closeExpired } from '../../apply/expired.js';
import type { DriftReport } from '../../model/plan.js';
import { exceptionStatuses } from '../../plan/exceptions.js';
import {
  EXPIRED_DETAIL,
  closedByRun,
  expiredNotEnforced,
  findExpiredCells,
  withExpiry,
} from '../../plan/expired.js';
import { cannotWriteLine, lastRouteLine } from '../../report/expired.js';
import { whyNoExpiryClose } from '../triggers.js';
import type { PolicyCheck } from './current-policy.js';
import type { LivePlan } from './live.js';
import type { FlowInput } from './shared.js';

/**
 * The drift scan's expired exceptions: under `expired: enforce` (the default), on a run that may write
 * (a schedule, a dispatch of the default branch) with the default branch's policy still (`current`),
 * each cell open only because an expired exception once granted it is disabled through the ordinary
 * apply and read back; otherwise each is reported with why it was not. Answers the report with what was
 * done and every time-boxed exception's live state.
 */
export async function settleExpired(
  input: FlowInput,
  scanned: LivePlan,
  report: DriftReport,
  current: PolicyCheck,
): Promise<DriftReport> {
  const { desired, plan, live, gateway } = scanned;
  const cells = findExpiredCells(desired, plan, live);
  const mode = desired.expiry.expired;
  const notHere = mode === 'report' ? EXPIRED_DETAIL.report : whyNoExpiryClose(input.ctx);
  let settled = report;
  if (cells.length > 0 && notHere)
    settled = withExpiry(report, expiredNotEnforced(cells, mode, desired.guards, notHere));
  else if (cells.length > 0 && (await current.heldBack()))
    settled = withExpiry(report, expiredNotEnforced(cells, mode, desired.guards, EXPIRED_DETAIL.notCurrent));
  else if (cells.length > 0) {
    // The writes begin: from here a cancel lets the accounts in flight finish their disables and report.
    input.cancel.beginWriting();
    const expired = await closeExpired({
      desired,
      plan,
      live,
      cells,
      gateway,
      options: { concurrency: input.settings.concurrency, signal: input.cancel.signal },
    });
    for (const line of [cannotWriteLine(expired), lastRouteLine(expired)]) if (line) core.warning(line);
    settled = withExpiry(report, expired);
  }
  return { ...settled, exceptions: exceptionStatuses(desired, plan, closedByRun(settled)) };
}

/**
 * What fails the job about the expired cells: only a cancel while closing them. A cell Twilio refused
 * (read-only credentials) stays drift, recorded with why, and the scan's other work goes on.
 */
export const expiryFailures = (report: DriftReport): string[] =>
  report.expired?.cancelled
    ? ['closing the expired exceptions was cancelled: accounts not started were skipped']
    : [];
