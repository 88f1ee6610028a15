// What a drift scan knows of the cells the policy's expired exceptions granted: still open live (a
// drifted cell, live wider than the policy), not open beyond the policy, or not read. The clean-up pull
// request's body shows it beside each exception it removes. Pure.
import type { ExpiredCellOutcome, ExpiredCellState } from '../model/cleanup.js';
import type { DesiredState } from '../model/desired.js';
import type { AccountPlan, CellCategory, DriftReport } from '../model/plan.js';
import { cellId } from './cells.js';
import { closedByRun, pushTo } from './expired.js';

const FLEET_PREFIX = 'fleets.';

/**
 * One state per expired exception cell, as the policy names its owner (an account, or `fleets.NAME`
 * for a template: still open when any subaccount it governs still has it open). A cell the same run's
 * enforcement disabled and read back (`report.expired`, plan/expired.ts closedByRun) is `disabled`. A
 * cell no read account holds (another shard's, or an account that errored) is `not read`.
 */
export function expiredCellStates(desired: DesiredState, report: DriftReport): ExpiredCellState[] {
  const off = closedByRun(report);
  const open = new Set(
    report.items.filter((i) => i.from && !i.to && i.country && !off.has(cellId(i))).map(cellId),
  );
  const owned = accountsByOwner(report.plan.accounts);
  const states = new Map<string, ExpiredCellState>();
  for (const e of desired.expiring) {
    if (e.daysLeft >= 0) continue;
    const key = cellKey(e.account, e.list, e.country);
    if (states.has(key)) continue;
    const holders = (owned.get(e.account) ?? []).map((a) => ({
      read: a.error === null,
      key: cellId({ sid: a.sid, category: e.list as CellCategory, country: e.country }),
    }));
    let outcome: ExpiredCellOutcome = 'not read';
    if (holders.some((h) => open.has(h.key))) outcome = 'still open';
    else if (holders.some((h) => off.has(h.key))) outcome = 'disabled';
    else if (holders.length > 0 && holders.every((h) => h.read)) outcome = 'not open';
    states.set(key, { account: e.account, list: e.list, country: e.country, outcome });
  }
  return [...states.values()];
}

const cellKey = (account: string, list: string, country: string) => `${account}|${list}|${country}`;

/**
 * The planned accounts by the owner an exception names: an account's name, or `fleets.NAME` for every
 * subaccount the template governs. Built once, so a template of 10,000 members is not scanned per exception.
 */
function accountsByOwner(accounts: readonly AccountPlan[]): Map<string, AccountPlan[]> {
  const owned = new Map<string, AccountPlan[]>();
  for (const a of accounts) pushTo(owned, a.fleet === undefined ? a.account : FLEET_PREFIX + a.fleet, a);
  return owned;
}
