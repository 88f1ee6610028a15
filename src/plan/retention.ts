// What a drift report says when its lookback reaches beyond what Twilio keeps of Monitor Events: an
// empty history there does not mean nothing changed, only that the events are gone.
import { MONITOR_RETENTION_DAYS } from '../model/limits.js';

/**
 * The one-line notices of a drift report's lookback (`DriftReport.notices`): none while it stays within
 * the free edition's 30 days; one when it goes beyond what an account on that edition keeps, or beyond
 * every edition's 13 months.
 */
export function lookbackNotices(lookbackDays: number): string[] {
  const { free, paid } = MONITOR_RETENTION_DAYS;
  if (lookbackDays > paid)
    return [
      `The lookback (${lookbackDays} days) exceeds Twilio Monitor's retention on every edition (13 months): changes older than that cannot be attributed.`,
    ];
  if (lookbackDays > free)
    return [
      `The lookback (${lookbackDays} days) exceeds Twilio Monitor's ${free}-day retention on the free edition: on accounts without Administration, Security or Enterprise Edition, changes older than ${free} days cannot be attributed.`,
    ];
  return [];
}
