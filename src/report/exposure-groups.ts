// The same change across accounts as one row: what every review-first report (plan, apply, drift) lists
// under "Opens" and "Closes". A row is one (direction, risk, note, category, kind, transition, inheritance)
// and the set of countries an account has for it; the accounts that share exactly that set share the row.
// Inheritance flips count as the effective cells they change (plan/exposure.ts `exposureUnits`): a join as
// its `effective` cells, a leave as the account's per-country voice cells (which ARE its effective cells),
// a flip whose effect is unknown as a row of its own. Each row keeps the CellChange objects it stands for,
// so a report can tell which changes a reader saw. Pure; labels take the format's escaper.
import type { AccountPlan, CellCategory, CellChange, Direction, RiskNote, RiskTier } from '../model/plan.js';
import { isVoiceFlag } from '../model/plan.js';
import { CATEGORY_ORDER } from '../plan/build.js';
import { DIRECTION_ORDER, RISK_ORDER, isJoin } from '../plan/exposure.js';
import { country as countryLabel, plural, type Escape } from './format.js';

/** Which side of a voice inheritance flip a row's cells come through, when they do. */
export type InheritanceVia = 'join' | 'leave';

export interface GroupCountry {
  country: string;
  countryName: string | null;
  continent: string | null;
}

export interface GroupAccount {
  account: string;
  sid: string;
}

/** One row: the same cells (by category and countries) changing the same way in every account it names. */
export interface ExposureRow<T extends CellChange = CellChange> {
  direction: Direction;
  risk: RiskTier;
  note: RiskNote | null;
  /** `voice.inherit` only for a flip shown as itself (its effect unknown or empty): then `countries` is empty. */
  category: CellCategory;
  kind: 'write' | 'manual';
  from: boolean;
  to: boolean;
  /** Set when the cells change through a voice inheritance flip (a join's or a leave's effective cells). */
  via: InheritanceVia | null;
  /** By code; each account of the row has exactly these. */
  countries: GroupCountry[];
  /** In the order the changes list them (plan order). */
  accounts: GroupAccount[];
  /** What acknowledges the row's high-risk enables in the policy (exception tickets, guards.allow_high_risk), each once. */
  acknowledged: string[];
  /** Effective cells the row stands for: countries x accounts, or one per account for a flip row. */
  cells: number;
  /** The changes the row stands for (an inheritance flip with each row of its effective cells), in input order. */
  changes: T[];
}

/** One effective cell of one account and the changes it stands for. */
interface Unit<T extends CellChange> {
  key: string;
  row: Omit<ExposureRow<T>, 'countries' | 'accounts' | 'acknowledged' | 'cells' | 'changes'>;
  country: GroupCountry | null;
  acknowledged?: string;
  changes: T[];
}

const rowKey = (r: Unit<CellChange>['row']): string =>
  [r.direction, r.risk, r.note ?? '', r.category, r.kind, r.from, r.to, r.via ?? ''].join('|');

function unit<T extends CellChange>(
  cell: Pick<CellChange, 'direction' | 'risk' | 'note' | 'category' | 'from' | 'to' | 'acknowledged'> &
    Pick<CellChange, 'country' | 'countryName' | 'continent'>,
  kind: CellChange['kind'],
  via: InheritanceVia | null,
  changes: T[],
): Unit<T> {
  const row = {
    direction: cell.direction,
    risk: cell.risk,
    note: cell.note,
    category: cell.category,
    kind,
    from: cell.from,
    to: cell.to,
    via,
  };
  const country =
    cell.country === null
      ? null
      : { country: cell.country, countryName: cell.countryName, continent: cell.continent };
  return {
    key: rowKey(row),
    row,
    country,
    ...(cell.acknowledged ? { acknowledged: cell.acknowledged } : {}),
    changes,
  };
}

/**
 * A leave flip per account whose per-country voice cells are in the list: those cells stand for it, so
 * it adds no cell of its own. A leave without any (nothing differs, or its cells are not in the list)
 * is shown as itself.
 */
function attachedLeaves<T extends CellChange>(changes: readonly T[]): Map<string, T> {
  const leaves = new Map<string, T>();
  for (const c of changes)
    if (c.category === 'voice.inherit' && !c.to && c.effective && c.effective.length > 0)
      leaves.set(c.sid, c);
  const withCells = new Set(changes.filter((c) => isVoiceFlag(c.category)).map((c) => c.sid));
  for (const sid of [...leaves.keys()]) if (!withCells.has(sid)) leaves.delete(sid);
  return leaves;
}

/** The effective cells of each change, each once (plan/exposure.ts `exposureUnits`, with the change kept). */
function unitsOf<T extends CellChange>(changes: readonly T[]): Unit<T>[] {
  const leaves = attachedLeaves(changes);
  return changes.flatMap((c): Unit<T>[] => {
    if (c.category !== 'voice.inherit') {
      const leave = isVoiceFlag(c.category) ? leaves.get(c.sid) : undefined;
      return [unit(c, c.kind, leave ? 'leave' : null, leave ? [c, leave] : [c])];
    }
    if (leaves.get(c.sid) === c) return [];
    if (isJoin(c) && c.effective && c.effective.length > 0)
      return c.effective.map((e) => unit(e, c.kind, 'join', [c]));
    return [unit(c, c.kind, null, [c])];
  });
}

interface AccountCells<T extends CellChange> {
  account: GroupAccount;
  unit: Unit<T>;
  countries: Map<string, GroupCountry>;
  acknowledged: Set<string>;
  changes: Set<T>;
}

/** Rows' order: what opens first, then risk (critical on top), category, first country, kind, first account. */
export function compareRows(a: ExposureRow, b: ExposureRow): number {
  return (
    DIRECTION_ORDER.indexOf(a.direction) - DIRECTION_ORDER.indexOf(b.direction) ||
    RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) ||
    CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
    (a.countries[0]?.country ?? '').localeCompare(b.countries[0]?.country ?? '') ||
    a.kind.localeCompare(b.kind) ||
    (a.via ?? '').localeCompare(b.via ?? '') ||
    (a.note ?? '').localeCompare(b.note ?? '') ||
    (a.accounts[0]?.account ?? '').localeCompare(b.accounts[0]?.account ?? '')
  );
}

/** The changes of one account for one row key: its countries, what acknowledges them, the changes behind them. */
function perAccount<T extends CellChange>(units: readonly Unit<T>[]): AccountCells<T>[] {
  const byAccount = new Map<string, AccountCells<T>>();
  for (const u of units) {
    const first = u.changes[0] as T;
    const key = `${first.sid}\u0000${first.account}\u0000${u.key}`;
    const entry = byAccount.get(key) ?? {
      account: { account: first.account, sid: first.sid },
      unit: u,
      countries: new Map(),
      acknowledged: new Set(),
      changes: new Set(),
    };
    if (u.country) entry.countries.set(u.country.country, u.country);
    if (u.acknowledged) entry.acknowledged.add(u.acknowledged);
    for (const c of u.changes) entry.changes.add(c);
    byAccount.set(key, entry);
  }
  return [...byAccount.values()];
}

/**
 * The changes grouped into rows across accounts, sorted: opens before closes, critical, high, medium,
 * low, then by category and first country. Works for plan changes, drift items and apply results alike.
 */
export function exposureRows<T extends CellChange>(changes: readonly T[]): ExposureRow<T>[] {
  const order = new Map(changes.map((c, i) => [c, i]));
  const rows = new Map<string, ExposureRow<T>>();
  for (const entry of perAccount(unitsOf(changes))) {
    const countries = [...entry.countries.values()].sort((a, b) => a.country.localeCompare(b.country));
    const key = `${entry.unit.key}|${countries.map((c) => c.country).join(',')}`;
    const row = rows.get(key) ?? {
      ...entry.unit.row,
      countries,
      accounts: [],
      acknowledged: [],
      cells: 0,
      changes: [],
    };
    row.accounts.push(entry.account);
    row.cells += Math.max(1, countries.length);
    for (const a of entry.acknowledged) if (!row.acknowledged.includes(a)) row.acknowledged.push(a);
    row.changes.push(...entry.changes);
    rows.set(key, row);
  }
  for (const row of rows.values())
    row.changes = [...new Set(row.changes)].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return [...rows.values()].sort(compareRows);
}

/** The accounts a label can call "all": the plan's, each with its parent. */
export type Fleet = ReadonlyArray<Pick<AccountPlan, 'account' | 'sid' | 'parent'>>;

/**
 * The row's accounts in words: their names, or "all 39 subaccounts of prod" / "all 40 accounts" when
 * that is exactly the set and it is shorter.
 */
export function accountsLabel(accounts: readonly GroupAccount[], fleet: Fleet, esc: Escape): string {
  const names = accounts.map((a) => esc(a.account)).join(', ');
  if (accounts.length < 2) return names;
  const sids = new Set(accounts.map((a) => a.sid));
  const exactly = (set: Fleet) => set.length === sids.size && set.every((a) => sids.has(a.sid));
  const candidates: string[] = [];
  if (exactly(fleet)) candidates.push(`all ${accounts.length} accounts`);
  const parent = fleet.find((a) => a.sid === accounts[0]?.sid)?.parent ?? null;
  if (parent !== null && exactly(fleet.filter((a) => a.parent === parent)))
    candidates.push(`all ${accounts.length} subaccounts of ${esc(parent)}`);
  return candidates.reduce((best, c) => (c.length < best.length ? c : best), names);
}

/** The row's countries: "CU Cuba, SO Somalia", or with `codes` only "CU, SO"; "-" for a flip row. */
export function countriesLabel(row: Pick<ExposureRow, 'countries'>, esc: Escape, codes = false): string {
  if (row.countries.length === 0) return '-';
  return row.countries.map((c) => (codes ? esc(c.country) : countryLabel(c, esc))).join(', ');
}

/** The row's countries counted per continent: "EUROPE 12, AFRICA 3" (by count, then name). */
export function continentsLabel(row: Pick<ExposureRow, 'countries'>, esc: Escape): string {
  const counts = new Map<string, number>();
  for (const c of row.countries)
    counts.set(c.continent ?? 'other', (counts.get(c.continent ?? 'other') ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([continent, n]) => `${esc(continent)} ${n}`)
    .join(', ');
}

/** What a close that leaves an account no route in the product takes. */
export const lastRouteWords = (category: CellCategory): string =>
  category === 'messaging' ? "the account's last messaging country" : "the account's last voice route";

const NOTE_WORDS: Record<RiskNote, (row: ExposureRow, esc: Escape) => string> = {
  continent: () => 'opens a whole continent',
  never_enable: () => 'in guards.never_enable',
  never_disable: (row, esc) => `closes ${countriesLabel(row, esc, true)}, protected by guards.never_disable`,
  last_route: (row) => lastRouteWords(row.category),
  unknown_parent: () => "the parent's lists could not be read: what it opens is unknown",
};

/**
 * Why the row is as risky as it is and how it changes, in words: the risk note, the inheritance flip it
 * comes through, a manual step, what acknowledges it. Empty when nothing needs saying.
 */
export function rowNote(row: ExposureRow, esc: Escape): string {
  const parts: string[] = [];
  if (row.note) parts.push(NOTE_WORDS[row.note](row, esc));
  if (row.via === 'join') parts.push('through voice inheritance (joins the parent\u2019s lists)');
  if (row.via === 'leave') parts.push('through voice inheritance (leaves the parent\u2019s lists)');
  if (row.category === 'voice.inherit')
    parts.push(row.to ? 'joins the parent\u2019s voice lists' : 'leaves the parent\u2019s voice lists');
  if (row.kind === 'manual') parts.push('manual step in the Console');
  if (row.acknowledged.length > 0) parts.push(`acknowledged by ${row.acknowledged.map(esc).join(', ')}`);
  return parts.join('; ');
}

/** "3 cells in 2 accounts": a row's size. */
export const rowSize = (row: Pick<ExposureRow, 'cells' | 'accounts'>): string =>
  `${plural(row.cells, 'cell')} in ${plural(row.accounts.length, 'account')}`;
