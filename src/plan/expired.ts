// Expired exceptions close the door (`expired: enforce`, the default): which cells are open live only
// because an expired exception once granted them, which of those a drift run may close itself, and the
// plan and target that the ordinary apply (apply/expired.ts, through apply.ts applyPlan) writes them with.
// Pure: the live state and the plan are read beforehand.
import type { DesiredAccount, DesiredState, ExpiringException, GrantSet, Guards } from '../model/desired.js';
import type { LiveAccount, LiveRead } from '../model/live.js';
import type {
  AccountPlan,
  CellChange,
  DriftReport,
  ExpiredCell,
  ExpiredResult,
  ExpiryEnforcement,
  Plan,
} from '../model/plan.js';
import { VOICE_FLAG, isVoiceFlag } from '../model/plan.js';
import { summarize } from './build.js';
import { cellId } from './cells.js';
import { cellExposure, countExposure, exposureUnits } from './exposure.js';
import { fingerprintChanges, fingerprintWith } from './fingerprint.js';

/** Every reason an expired cell is left open, so each report words it one way. */
export const EXPIRED_DETAIL = {
  report: 'expired: report in the policy: reported, left open',
  manual: 'Twilio accepts this change only in the Console (error 30649): switch it off there',
  notAttempted: 'not attempted: the account could not be written',
  /** The drift run's policy may no longer be the default branch's (action/flows/current-policy.ts). */
  notCurrent: "not closed: this run's policy may no longer be the default branch's (the note above says why)",
} as const;

/** `guards.never_disable (line 9) protects GB`: why a protected expired cell is reported, not disabled. */
export const protectedDetail = (country: string, line: number): string =>
  `guards.never_disable (line ${line}) protects ${country}: reported, not disabled`;

/** Why a parent's expired cell is left open for subaccounts whose own policy grants it (ExpiredCell.neededBy). */
function neededDetail(cell: CellChange, neededBy: ReadonlyArray<{ account: string }>): string {
  const names = neededBy.map((a) => a.account);
  const shown =
    names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  const many = names.length > 1;
  return (
    `left open: ${shown} ${many ? 'follow' : 'follows'} ${cell.account}'s voice lists live (or could not be ` +
    `read) and ${many ? 'their' : 'its'} own policy grants ${cell.country ?? ''}, which closing it would take ` +
    `from ${many ? 'them' : 'it'} too; a run closes it once ${many ? 'they leave' : 'it leaves'} inheritance ` +
    '(an apply of the policy)'
  );
}

/** Appends to the list under `key`, in place (a template's thousands of members stay linear). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Who owns an exception, as a key: an account by its policy name, a template by its name. */
const ownerKey = (e: Pick<ExpiringException, 'account' | 'fleet'>): string =>
  e.fleet === undefined ? `account:${e.account}` : `fleet:${e.fleet}`;

/** The owners whose exceptions reach an account: itself, and the template that governs it. */
const ownersOf = (a: DesiredAccount): string[] => [
  `account:${a.name}`,
  ...(a.fleet ? [`fleet:${a.fleet.fleet}`] : []),
];

const exceptionKey = (owner: string, list: string, country: string) => `${owner}|${list}|${country}`;

/** The expired exceptions by owner, list and country; the one that ran out last when several name a cell. */
function expiredIndex(expiring: readonly ExpiringException[]): Map<string, ExpiringException> {
  const index = new Map<string, ExpiringException>();
  for (const e of expiring) {
    if (e.daysLeft >= 0) continue;
    const key = exceptionKey(ownerKey(e), e.list, e.country);
    const seen = index.get(key);
    if (!seen || e.expires > seen.expires) index.set(key, e);
  }
  return index;
}

/** The subaccounts read live that follow each parent's voice lists, by the parent's SID, named as the plan names them. */
function followersByParent(plan: Plan, live: LiveRead): Map<string, Array<{ account: string; sid: string }>> {
  const names = new Map<string, string>(plan.accounts.map((a) => [a.sid, a.account]));
  for (const u of plan.fleet?.unmanaged ?? []) names.set(u.sid, u.friendlyName);
  const out = new Map<string, Array<{ account: string; sid: string }>>();
  for (const [sid, account] of Object.entries(live.accounts)) {
    const parent = account.identity.ownerAccountSid;
    if (account.voiceInheritance !== true || !parent || parent === sid) continue;
    pushTo(out, parent, { account: names.get(sid) ?? sid, sid });
  }
  return out;
}

/** The policy's subaccounts with their own voice lists (voice.inherit: false), by the parent's SID. */
function ownListsByParent(desired: DesiredState): Map<string, DesiredAccount[]> {
  const out = new Map<string, DesiredAccount[]>();
  for (const a of desired.accounts) if (a.parentSid && !a.voice.inherit) pushTo(out, a.parentSid, a);
  return out;
}

/** The subaccounts (of the parent) whose own policy grants the parent's voice cell: closing it may take it from them. */
export function grantingChildren(
  change: Pick<CellChange, 'category' | 'country'>,
  children: readonly DesiredAccount[],
): DesiredAccount[] {
  if (!isVoiceFlag(change.category) || change.country === null) return [];
  const flag = VOICE_FLAG[change.category];
  const country = change.country;
  return children.filter((child) => !child.voice.inherit && country in child.voice[flag]);
}

/**
 * The subaccounts a parent's voice cell may not be closed for: their own policy grants it, and they
 * follow the parent's lists live (or could not be read to tell), so closing it would close theirs.
 */
function neededByOf(
  change: CellChange,
  children: readonly DesiredAccount[],
  mayFollow: (sid: string) => boolean,
): Array<{ account: string; sid: string }> {
  return grantingChildren(change, children)
    .filter((child) => mayFollow(child.sid))
    .map((child) => ({ account: child.name, sid: child.sid }));
}

/**
 * The cells with the subaccounts another shard applies added to `neededBy` (a sharded run reads them
 * apart: apply/shard-followers.ts): `mayFollow` says which follow the parent live, or could not be read.
 */
export function withNeededBy(
  cells: readonly ExpiredCell[],
  children: readonly DesiredAccount[],
  mayFollow: (sid: string) => boolean,
): ExpiredCell[] {
  return cells.map((cell) => {
    const more = neededByOf(
      cell,
      children.filter((c) => c.parentSid === cell.sid),
      mayFollow,
    );
    if (more.length === 0) return cell;
    return { ...cell, neededBy: [...(cell.neededBy ?? []), ...more] };
  });
}

/** Whether an account keeps a route live in the cell's product (voice, or messaging) once `off` is closed. */
function keepsRoute(read: LiveAccount, category: CellChange['category'], off: ReadonlySet<string>): boolean {
  const sid = read.identity.sid;
  if (category === 'messaging')
    return Object.values(read.messaging).some(
      (c) => c.enabled && !off.has(cellId({ sid, category, country: c.iso })),
    );
  return Object.values(read.voice).some((c) =>
    (Object.keys(VOICE_FLAG) as Array<keyof typeof VOICE_FLAG>).some(
      (flag) => c[VOICE_FLAG[flag]] && !off.has(cellId({ sid, category: flag, country: c.iso })),
    ),
  );
}

/**
 * The cells with a close's exposure as the run makes it: the plan judges a last route by what the policy
 * grants (the apply opens it too), but this run only closes, so it is what stays open live: a close
 * that leaves the account no voice route (or messaging country) at all is high risk, and said.
 */
function withLiveExposure(cells: ExpiredCell[], live: LiveRead, guards: Guards): ExpiredCell[] {
  // What a run that enforces closes: not what it leaves open whatever `expired:` says.
  const off = new Set(cells.filter((c) => settledWhy(c, guards) === null).map(cellId));
  return cells.map((cell) => {
    const read = live.accounts[cell.sid];
    if (!read || cell.country === null || cell.category === 'voice.inherit') return cell;
    const exposure = cellExposure(
      {
        category: cell.category,
        country: cell.country,
        opens: false,
        viaContinent: false,
        lastRoute: !keepsRoute(read, cell.category, off),
      },
      guards,
    );
    return { ...cell, ...exposure };
  });
}

/**
 * The cells open live only because an expired exception once granted them: in the plan a disable (live
 * on, the policy off) of an account whose own (or whose template's) expired exception names that list
 * and country. A subaccount whose inheritance differs live from the policy is left out: its voice cells
 * come from its parent until the inheritance is fixed. In plan order.
 */
export function findExpiredCells(desired: DesiredState, plan: Plan, live: LiveRead): ExpiredCell[] {
  const index = expiredIndex(desired.expiring);
  if (index.size === 0) return [];
  const bySid = new Map(desired.accounts.map((a) => [a.sid, a]));
  const followers = followersByParent(plan, live);
  const ownLists = ownListsByParent(desired);
  const out: ExpiredCell[] = [];
  for (const planned of plan.accounts) {
    const account = bySid.get(planned.sid);
    if (!account || planned.error !== null) continue;
    const flips = planned.changes.some((c) => c.category === 'voice.inherit');
    for (const change of planned.changes) {
      if (change.category === 'voice.inherit' || change.country === null || !change.from || change.to)
        continue;
      if (flips && isVoiceFlag(change.category)) continue;
      const exception = ownersOf(account)
        .map((owner) => index.get(exceptionKey(owner, change.category, change.country ?? '')))
        .find((e) => e !== undefined);
      if (!exception) continue;
      const inheritedBy = isVoiceFlag(change.category) ? (followers.get(planned.sid) ?? []) : [];
      const neededBy = neededByOf(
        change,
        ownLists.get(planned.sid) ?? [],
        (sid) => live.accounts[sid]?.voiceInheritance !== false,
      );
      out.push({ ...change, exception, inheritedBy, ...(neededBy.length > 0 ? { neededBy } : {}) });
    }
  }
  return withLiveExposure(out, live, desired.guards);
}

/** Why an expired cell cannot be closed by any run, whatever `expired:` says; null when it can. */
function settledWhy(cell: ExpiredCell, guards: Pick<Guards, 'neverDisable'>): ExpiredResult | null {
  const protectedAt = cell.country !== null ? guards.neverDisable[cell.country] : undefined;
  if (protectedAt)
    return {
      ...cell,
      outcome: 'protected',
      errorCode: null,
      detail: protectedDetail(cell.country ?? '', protectedAt.line),
    };
  if (cell.kind === 'manual')
    return { ...cell, outcome: 'manual', errorCode: null, detail: EXPIRED_DETAIL.manual };
  if (cell.neededBy)
    return { ...cell, outcome: 'reported', errorCode: null, detail: neededDetail(cell, cell.neededBy) };
  return null;
}

/** The expired cells split: those to disable, and those settled without a write (protected, manual). */
export function splitExpired(
  cells: readonly ExpiredCell[],
  guards: Pick<Guards, 'neverDisable'>,
): { toDisable: ExpiredCell[]; settled: ExpiredResult[] } {
  const toDisable: ExpiredCell[] = [];
  const settled: ExpiredResult[] = [];
  for (const cell of cells) {
    const result = settledWhy(cell, guards);
    if (result) settled.push(result);
    else toDisable.push(cell);
  }
  return { toDisable, settled };
}

/**
 * The expired cells as a run that writes nothing reports them: `why` says why it did not (the policy's
 * `expired: report`, the CLI, a branch that is not the default); protected and manual cells say so.
 */
export function expiredNotEnforced(
  cells: readonly ExpiredCell[],
  mode: ExpiryEnforcement['mode'],
  guards: Pick<Guards, 'neverDisable'>,
  why: string,
): ExpiryEnforcement {
  return {
    mode,
    cells: cells.map(
      (cell) => settledWhy(cell, guards) ?? { ...cell, outcome: 'reported', errorCode: null, detail: why },
    ),
    writeRequests: 0,
    accountErrors: [],
  };
}

const grantsOf = (account: DesiredAccount, countries: readonly string[]): GrantSet =>
  Object.fromEntries(
    countries.map((country) => [
      country,
      { country, location: account.location, via: ['live state'], exception: null },
    ]),
  );

/**
 * The account as read live, its expired cells off (`off`, by cellId): the target of the enforcement, so
 * the apply writes exactly those cells and its final check compares with nothing else the policy says.
 */
function liveWithout(account: DesiredAccount, live: LiveAccount, off: ReadonlySet<string>): DesiredAccount {
  const on = (category: CellChange['category'], country: string) =>
    !off.has(cellId({ sid: account.sid, category, country }));
  const voiceOn = (flag: keyof typeof VOICE_FLAG) =>
    Object.values(live.voice)
      .filter((c) => c[VOICE_FLAG[flag]] && on(flag, c.iso))
      .map((c) => c.iso);
  const messaging = Object.values(live.messaging)
    .filter((c) => c.enabled && on('messaging', c.iso))
    .map((c) => c.iso);
  const location = account.voice.location;
  return {
    ...account,
    voice:
      live.voiceInheritance === true
        ? { inherit: true, location }
        : {
            inherit: false,
            location,
            low_risk: grantsOf(account, voiceOn('voice.low_risk')),
            high_risk_special: grantsOf(account, voiceOn('voice.high_risk_special')),
            high_risk_tollfraud: grantsOf(account, voiceOn('voice.high_risk_tollfraud')),
          },
    messaging: grantsOf(account, messaging),
  };
}

/**
 * The target of an account whose cells `cells` close, from a read of it: as read, but for those cells.
 * The apply (ApplyOptions.targetOf) builds it from its re-read right before the writes, so what changed
 * since the scan is left as it is now, and a voice write (a country's three flags at once) carries the
 * other flags as they are then: a flag switched off since the scan is never switched back on.
 */
export function expiryTargetOf(
  cells: readonly ExpiredCell[],
): (account: DesiredAccount, live: LiveAccount) => DesiredAccount {
  const off = new Set(cells.map(cellId));
  return (account, live) => liveWithout(account, live, off);
}

/** A cell's planned change alone: the plan the apply writes carries no expiry fields. */
const changeOf = ({ exception: _e, inheritedBy: _i, ...change }: ExpiredCell): CellChange => change;

/**
 * What the apply (apply.ts applyPlan) is given to close `cells`: a plan of exactly their disables, and a
 * desired state whose accounts are as read live but for those cells, so nothing else is written, and
 * the final check reports only what changed under it.
 */
export function expiryEnforcementPlan(
  desired: DesiredState,
  plan: Plan,
  live: LiveRead,
  cells: readonly ExpiredCell[],
): { desired: DesiredState; plan: Plan } {
  const off = new Set(cells.map(cellId));
  const bySid = new Map(desired.accounts.map((a) => [a.sid, a]));
  // By account once: a template's expired exception is a cell in each of thousands of members.
  const cellsOf = new Map<string, CellChange[]>();
  for (const c of cells) pushTo(cellsOf, c.sid, changeOf(c));
  const accounts: AccountPlan[] = [];
  const targets: DesiredAccount[] = [];
  for (const planned of plan.accounts) {
    const changes = cellsOf.get(planned.sid) ?? [];
    const account = bySid.get(planned.sid);
    const read = live.accounts[planned.sid];
    if (changes.length === 0 || !account || !read) continue;
    accounts.push({ ...planned, changes, unknown: [], error: null });
    targets.push(liveWithout(account, read, off));
  }
  const changes = accounts.flatMap((a) => a.changes);
  return {
    desired: { ...desired, accounts: targets, expiring: [] },
    plan: {
      ...plan,
      fingerprint: fingerprintChanges(changes),
      summary: summarize(accounts),
      accounts,
      expiring: [],
      warnings: [],
    },
  };
}

/** The cells the run disabled and read back, by cellId: they are off live now. */
export const closedByRun = (report: Pick<DriftReport, 'expired'>): Set<string> =>
  new Set(report.expired?.cells.filter((c) => c.outcome === 'disabled').map(cellId) ?? []);

/** How many expired cells the run disabled and read back (the action's `expired-disabled`). */
export const expiredDisabled = (report: Pick<DriftReport, 'expired'>): number => closedByRun(report).size;

/**
 * The drift report with what the run did with the expired cells: each one disabled and read back is no
 * longer drift, in its items and in its plan (the exposure is counted again without it, and a revert of
 * the same run does not count it again); the fingerprint then covers what was closed, so the drift issue
 * is rewritten to say it.
 */
export function withExpiry(report: DriftReport, expired: ExpiryEnforcement): DriftReport {
  if (expired.cells.length === 0) return report;
  const closed = closedByRun({ expired });
  if (closed.size === 0) return { ...report, expired };
  const items = report.items.filter((i) => !closed.has(cellId(i)));
  const accounts = report.plan.accounts.map((a) => ({
    ...a,
    changes: a.changes.filter((c) => !closed.has(cellId(c))),
  }));
  const outcomes = expired.cells.map((c) => `${cellId(c)}|${c.outcome}`);
  return {
    ...report,
    fingerprint: fingerprintWith(report.fingerprint, outcomes),
    exposure: countExposure(exposureUnits(items)),
    items,
    plan: {
      ...report.plan,
      accounts,
      summary: summarize(accounts),
    },
    expired,
  };
}
