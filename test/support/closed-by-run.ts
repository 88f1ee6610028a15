// A drift report as the run's enforcement of expired exceptions leaves it (plan/expired.ts withExpiry):
// the named planned disables closed and read back, so tests of what reads `report.expired` need no
// Twilio writes.
import type { DesiredState } from '../../src/model/desired.js';
import type { CellCategory, DriftReport, ExpiredResult } from '../../src/model/plan.js';
import { withExpiry } from '../../src/plan/expired.js';

export function closedByThisRun(
  desired: DesiredState,
  report: DriftReport,
  closed: ReadonlyArray<{ account: string; category: CellCategory; country: string }>,
): DriftReport {
  const cells = closed.map(({ account, category, country }): ExpiredResult => {
    const change = report.plan.accounts
      .find((a) => a.account === account)
      ?.changes.find((c) => c.category === category && c.country === country && c.from && !c.to);
    const exception = desired.expiring.find(
      (e) => e.list === category && e.country === country && e.daysLeft < 0,
    );
    if (!change || !exception) throw new Error(`no expired disable of ${account} ${category} ${country}`);
    return { ...change, exception, inheritedBy: [], outcome: 'disabled', errorCode: null, detail: null };
  });
  return withExpiry(report, { mode: 'enforce', cells, writeRequests: cells.length, accountErrors: [] });
}
