// Drift as a reviewer reads it: every effective cell that differs, framed from the live side, then the
// same drift in many accounts grouped into one row naming them. An inheritance a Console user turned
// off is shown as the effective routes it opened (and closed), not as one "voice inheritance" row.
import type { CellCategory, Direction, DriftItem, RiskNote, RiskTier } from '../model/plan.js';
import { DIRECTION_ORDER, RISK_ORDER, isJoin } from '../plan/exposure.js';

/** One effective cell that differs from the policy, and the drift item it comes from. */
export interface DriftCell {
  item: DriftItem;
  category: CellCategory;
  country: string | null;
  countryName: string | null;
  continent: string | null;
  /** Live and policy values. */
  from: boolean;
  to: boolean;
  direction: Direction;
  risk: RiskTier;
  note: RiskNote | null;
  /** An effective cell of an inheritance that differs live, not a cell of the account's own lists. */
  throughInheritance: boolean;
}

const own = (item: DriftItem): DriftCell => ({ ...item, item, throughInheritance: false });

/**
 * The effective cells of the drift, each once: every per-country item; for an inheritance turned off
 * live (the policy inherits), each effective cell it changed; an inheritance whose effect is unknown, or
 * that changes no cell, as itself. An inheritance turned on live adds nothing: its effective cells are
 * the account's per-country items already.
 */
export function driftCells(items: readonly DriftItem[]): DriftCell[] {
  return items.flatMap((item): DriftCell[] => {
    if (item.category !== 'voice.inherit' || !item.effective || item.effective.length === 0)
      return [own(item)];
    if (!isJoin(item)) return [];
    return item.effective.map((e) => ({
      item,
      category: e.category,
      country: e.country,
      countryName: e.countryName,
      continent: e.continent,
      from: e.from,
      to: e.to,
      direction: e.direction,
      risk: e.risk,
      note: e.note,
      throughInheritance: true,
    }));
  });
}

/** The same drift (direction, risk, permission, values, countries) in one or more accounts. */
export interface DriftRow {
  direction: Direction;
  risk: RiskTier;
  category: CellCategory;
  note: RiskNote | null;
  from: boolean;
  to: boolean;
  manual: boolean;
  throughInheritance: boolean;
  /** The countries, by code; empty for an inheritance row. */
  countries: Array<{ country: string | null; countryName: string | null; continent: string | null }>;
  /** The accounts, in report order, by policy name. */
  accounts: Array<{ account: string; sid: string }>;
  cells: DriftCell[];
}

const CATEGORY_ORDER: readonly CellCategory[] = [
  'voice.high_risk_tollfraud',
  'voice.high_risk_special',
  'voice.low_risk',
  'messaging',
  'voice.inherit',
];

/** What makes two cells of an account the same drift apart from their country. */
const shapeKey = (c: DriftCell): string =>
  [c.direction, c.risk, c.category, c.note ?? '', c.from, c.to, c.item.kind, c.throughInheritance].join('|');

function newRow(c: DriftCell): DriftRow {
  return {
    direction: c.direction,
    risk: c.risk,
    category: c.category,
    note: c.note,
    from: c.from,
    to: c.to,
    manual: c.item.kind === 'manual',
    throughInheritance: c.throughInheritance,
    countries: [],
    accounts: [{ account: c.item.account, sid: c.item.sid }],
    cells: [],
  };
}

/** Each account's cells of one shape together, their countries sorted by code. */
function accountRows(cells: readonly DriftCell[]): DriftRow[] {
  const rows = new Map<string, DriftRow>();
  for (const c of cells) {
    const key = `${c.item.sid}|${shapeKey(c)}`;
    const row = rows.get(key) ?? newRow(c);
    row.cells.push(c);
    if (c.country !== null)
      row.countries.push({ country: c.country, countryName: c.countryName, continent: c.continent });
    rows.set(key, row);
  }
  for (const row of rows.values())
    row.countries.sort((a, b) => (a.country ?? '').localeCompare(b.country ?? ''));
  return [...rows.values()];
}

const order = (r: DriftRow): number[] => [
  DIRECTION_ORDER.indexOf(r.direction),
  RISK_ORDER.indexOf(r.risk),
  CATEGORY_ORDER.indexOf(r.category),
];

function compareRows(a: DriftRow, b: DriftRow): number {
  const [x, y] = [order(a), order(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * The drift grouped across accounts: one row per shape and country set, naming every account that has
 * exactly that drift; what is open beyond the policy first, critical first, then by permission (toll-fraud
 * first), then in report order.
 */
export function driftRows(items: readonly DriftItem[]): DriftRow[] {
  const rows = new Map<string, DriftRow>();
  for (const r of accountRows(driftCells(items))) {
    const key = `${shapeKey(r.cells[0] as DriftCell)}|${r.countries.map((c) => c.country).join(',')}`;
    const row = rows.get(key);
    if (!row) rows.set(key, r);
    else {
      row.accounts.push(...r.accounts);
      row.cells.push(...r.cells);
    }
  }
  return [...rows.values()].sort(compareRows);
}
