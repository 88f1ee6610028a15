// What a drift scan knows of the cells the policy's expired exceptions granted: still open live (a
// drifted cell, live wider than the policy), not open beyond the policy, or not read. The clean-up pull
// request's body shows it beside each exception it removes. Pure.
import type { ExpiredCellOutcome, ExpiredCellState } from '../model/cleanup.js';
import type { DesiredState } from '../model/desired.js';
import type { AccountPlan, CellCategory, DriftReport } from '../model/plan.js';
import { cellId } from './cells.js';
import { closedByRun } from './expired.js';

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
  const states = new Map<string, ExpiredCellState>();
  for (const e of desired.expiring) {
    if (e.daysLeft >= 0) continue;
    const key = cellKey(e.account, e.list, e.country);
    if (states.has(key)) continue;
    const holders = accountsOf(report.plan.accounts, e.account).map((a) => ({
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

/** The planned accounts an exception's owner names: the account, or every subaccount a template governs. */
function accountsOf(accounts: readonly AccountPlan[], owner: string): AccountPlan[] {
  if (owner.startsWith(FLEET_PREFIX))
    return accounts.filter((a) => a.fleet === owner.slice(FLEET_PREFIX.length));
  return accounts.filter((a) => a.account === owner && a.fleet === undefined);
}
