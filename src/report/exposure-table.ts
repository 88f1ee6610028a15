// Exposure rows (exposure-groups.ts) as table rows, at a detail: every country named, codes only, counts
// per continent, or totals. Critical and high rows are always shown cell by cell; only medium and low
// rows lose detail, so no degradation for size ever hides a critical or high cell. Each rendered row
// keeps the changes it stands for, so the plan comment can tell which changes a reader saw.
import type { CellChange, Direction } from '../model/plan.js';
import { CATEGORY_LABEL, plural, type Escape } from './format.js';
import {
  accountsLabel,
  continentsLabel,
  countriesLabel,
  rowNote,
  type ExposureRow,
  type Fleet,
} from './exposure-groups.js';

/** How much of a medium or low row shows; critical and high rows show `cells` at every detail. */
export type RowDetail = 'cells' | 'codes' | 'continents' | 'totals';

export const EXPOSURE_HEAD = ['risk', 'permission', 'countries', 'accounts', 'note'];

/** One table row, as cells (each Markdown or terminal text already), and the changes it stands for. */
export interface RenderedRow<T extends CellChange = CellChange> {
  row: ExposureRow<T>;
  cells: string[];
  changes: T[];
}

/** Critical and high rows: always shown whole, every country and account named, at any size. */
export const isSevere = (row: Pick<ExposureRow, 'risk'>): boolean =>
  row.risk === 'critical' || row.risk === 'high';

/** Rows that differ only in their countries and accounts, merged: what a continent or totals row counts. */
function merge<T extends CellChange>(rows: readonly ExposureRow<T>[]): ExposureRow<T>[] {
  const merged = new Map<string, ExposureRow<T>>();
  for (const row of rows) {
    const key = [row.direction, row.risk, row.note, row.category, row.kind, row.from, row.to, row.via].join(
      '|',
    );
    const into = merged.get(key);
    // A country per cell, so continent counts are counts of cells.
    const cellCountries = row.accounts.flatMap(() => row.countries);
    if (!into) {
      merged.set(key, {
        ...row,
        countries: cellCountries,
        accounts: [...row.accounts],
        changes: [...row.changes],
      });
      continue;
    }
    into.countries.push(...cellCountries);
    for (const a of row.accounts) if (!into.accounts.some((b) => b.sid === a.sid)) into.accounts.push(a);
    into.acknowledged = [...new Set([...into.acknowledged, ...row.acknowledged])];
    into.cells += row.cells;
    into.changes.push(...row.changes);
  }
  return [...merged.values()];
}

/** A row's cells at a detail; `badge` words its risk in the format's way. */
function rowCells(
  row: ExposureRow,
  detail: RowDetail,
  fleet: Fleet,
  esc: Escape,
  badge: (r: ExposureRow) => string,
) {
  const countries =
    detail === 'cells'
      ? countriesLabel(row, esc)
      : detail === 'codes'
        ? countriesLabel(row, esc, true)
        : detail === 'continents'
          ? continentsLabel(row, esc)
          : plural(row.cells, 'cell');
  const accounts =
    detail === 'cells' || detail === 'codes'
      ? accountsLabel(row.accounts, fleet, esc)
      : plural(row.accounts.length, 'account');
  return [badge(row), CATEGORY_LABEL[row.category], countries, accounts, rowNote(row, esc)];
}

/**
 * The rows of one direction at a detail: critical and high rows whole, medium and low rows as `detail`
 * says (merged into one row per kind of change below `codes`), in the rows' order.
 */
export function renderRows<T extends CellChange>(
  rows: readonly ExposureRow<T>[],
  direction: Direction,
  detail: RowDetail,
  fleet: Fleet,
  esc: Escape,
  badge: (r: ExposureRow) => string,
): RenderedRow<T>[] {
  const mine = rows.filter((r) => r.direction === direction);
  const severe = mine.filter(isSevere);
  const rest = mine.filter((r) => !isSevere(r));
  const collapsed = detail === 'continents' || detail === 'totals' ? merge(rest) : rest;
  return [
    ...severe.map((row) => ({ row, cells: rowCells(row, 'cells', fleet, esc, badge), changes: row.changes })),
    ...collapsed.map((row) => ({
      row,
      cells: rowCells(row, detail, fleet, esc, badge),
      changes: row.changes,
    })),
  ];
}
