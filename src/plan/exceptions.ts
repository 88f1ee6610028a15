// Every time-boxed exception and whether its cell is open live: what `geo-permissions exceptions` and
// the drift issue list. A template's exception is one entry counted over its members (10,000 members
// stay one line). Pure: the live side is the plan (a cell the plan changes is live as its `from`; one
// it does not is live as the policy wants).
import type { DesiredAccount, DesiredState, ExpiringException, GrantSet } from '../model/desired.js';
import type { CellCategory, ExceptionStatus, Plan } from '../model/plan.js';
import { cellId } from './cells.js';
import { pushTo } from './expired.js';

/** The grants of one list ("voice.low_risk", "messaging") of an account; none while it inherits voice. */
function listOf(account: DesiredAccount, list: string): GrantSet {
  if (list === 'messaging') return account.messaging;
  if (account.voice.inherit) return {};
  const category = list.replace(/^voice\./, '');
  return category === 'low_risk' || category === 'high_risk_special' || category === 'high_risk_tollfraud'
    ? account.voice[category]
    : {};
}

/** The accounts each exception applies to: its account, or every member of its template. */
function membersOf(desired: DesiredState): (e: ExpiringException) => DesiredAccount[] {
  const byFleet = new Map<string, DesiredAccount[]>();
  const byName = new Map<string, DesiredAccount>();
  for (const a of desired.accounts) {
    if (a.fleet) pushTo(byFleet, a.fleet.fleet, a);
    else byName.set(a.name, a);
  }
  return (e) =>
    e.fleet !== undefined
      ? (byFleet.get(e.fleet) ?? [])
      : [byName.get(e.account)].filter((a) => a !== undefined);
}

/**
 * The status of every time-boxed exception, in policy order. Without `plan` (a listing of the policy
 * alone) nothing is known live: `openLive` is null. `closed` (by cellId) holds the cells this run
 * disabled after the plan was made: they are off live now.
 */
export function exceptionStatuses(
  desired: DesiredState,
  plan: Plan | null,
  closed: ReadonlySet<string> = new Set(),
): ExceptionStatus[] {
  const members = membersOf(desired);
  const planned = new Map(plan?.accounts.map((a) => [a.sid, a]) ?? []);
  const changed = new Map(plan?.accounts.flatMap((a) => a.changes.map((c) => [cellId(c), c])) ?? []);
  return desired.expiring.map((exception) => {
    const accounts = members(exception);
    // A template's members share its grants: whether the policy still grants the country is one answer.
    const grants = accounts[0] ? listOf(accounts[0], exception.list) : {};
    const grantedOtherwise = exception.daysLeft < 0 && exception.country in grants;
    if (!plan) return { exception, accounts: accounts.length, openLive: null, unread: 0, grantedOtherwise };
    let openLive = 0;
    let unread = 0;
    for (const account of accounts) {
      const read = planned.get(account.sid);
      if (!read || read.error !== null) {
        unread++;
        continue;
      }
      const id = cellId({
        sid: account.sid,
        category: exception.list as CellCategory,
        country: exception.country,
      });
      const change = changed.get(id);
      const wanted = exception.country in listOf(account, exception.list);
      if (!closed.has(id) && (change ? change.from : wanted)) openLive++;
    }
    return { exception, accounts: accounts.length, openLive, unread, grantedOtherwise };
  });
}

/** An expired exception whose cell is still open live and that nothing else in the policy grants. */
export const expiredAndOpen = (s: ExceptionStatus): boolean =>
  s.exception.daysLeft < 0 && !s.grantedOtherwise && (s.openLive ?? 0) > 0;
