// The ONE identity of a permission cell and its encodings. A cell is (account, category, country); a
// change adds its transition. In memory a cell is keyed by `cellId` (by SID, never parsed back). The
// markers kept in GitHub comments and issues store cells as text; `markerKey`/`reviewedKey` write that
// text and `parseMarkerKey` is the only reader of it, so no other module splits a cell string.
import { SID_FRAGMENT } from '../model/patterns.js';
import type { CellCategory, CellChange, CellRef, EffectiveCell } from '../model/plan.js';

/** The in-memory key of a cell of one account: "AC…|voice.low_risk|FR". A key only, never parsed. */
export function cellId(cell: Pick<CellRef, 'sid' | 'category' | 'country'>): string {
  return `${cell.sid}|${cell.category}|${cell.country ?? ''}`;
}

type MarkerInput = Pick<CellChange, 'account' | 'category' | 'country' | 'from' | 'to'>;

/** A cell change as stored in the drift issue's state marker: "production|voice.low_risk|FR|off>on". */
export function markerKey(c: MarkerInput): string {
  return `${c.account}|${c.category}|${c.country ?? '-'}|${onOff(c.from)}>${onOff(c.to)}`;
}

/**
 * A cell change as stored in the reviewed-plan marker: the account name bound to its SID
 * ("production@AC…|…"), so a reviewed enable is never applied to another account that took the name in
 * a later, unplanned push.
 */
export function reviewedKey(c: MarkerInput & Pick<CellChange, 'sid'>): string {
  return markerKey({ ...c, account: `${c.account}@${c.sid}` });
}

/**
 * What reviewing a change means: the change itself and, for an inheritance join, every effective cell it
 * opens, as cells of that account (a joining account has no per-country change of its own, so they never
 * collide). The same flip opening other routes is another change: a later merge on the parent cannot
 * make a reviewed join open toll-fraud nobody saw.
 */
export function reviewUnits(
  c: MarkerInput &
    Pick<CellChange, 'sid'> & {
      effective?: ReadonlyArray<
        Pick<EffectiveCell, 'category' | 'country' | 'from' | 'to' | 'direction'>
      > | null;
    },
): Array<MarkerInput & Pick<CellChange, 'sid'>> {
  if (c.category !== 'voice.inherit' || !c.to || !c.effective) return [c];
  const opened = c.effective
    .filter((e) => e.direction === 'opens')
    .map((e) => ({
      account: c.account,
      sid: c.sid,
      category: e.category,
      country: e.country,
      from: e.from,
      to: e.to,
    }));
  return [c, ...opened];
}

/** A cell change read back from a marker. `sid` is set only for the reviewed-plan form. */
export interface MarkerCell {
  account: string;
  sid: string | null;
  category: CellCategory;
  country: string | null;
  from: boolean;
  to: boolean;
}

const CATEGORIES: readonly string[] = [
  'voice.low_risk',
  'voice.high_risk_special',
  'voice.high_risk_tollfraud',
  'voice.inherit',
  'messaging',
];

/** Reads a `markerKey` or `reviewedKey`; null for text that is not one (a hand-edited or foreign marker). */
export function parseMarkerKey(key: string): MarkerCell | null {
  const m = /^(.+)\|([a-z_.]+)\|([^|]+)\|(on|off)>(on|off)$/.exec(key);
  if (!m || !CATEGORIES.includes(m[2] ?? '')) return null;
  const bound = new RegExp(`^(.*)@(${SID_FRAGMENT('AC')})$`).exec(m[1] ?? '');
  return {
    account: bound ? (bound[1] ?? '') : (m[1] ?? ''),
    sid: bound ? (bound[2] ?? null) : null,
    category: m[2] as CellCategory,
    country: m[3] === '-' ? null : (m[3] ?? null),
    from: m[4] === 'on',
    to: m[5] === 'on',
  };
}

/** "production voice.low_risk FR", for people. */
export function describeCell(c: Pick<CellRef, 'account' | 'category' | 'country'>): string {
  return `${c.account} ${c.category}${c.country ? ` ${c.country}` : ''}`;
}

/** "production voice.low_risk FR: off → on", for people. */
export function describeChange(
  c: Pick<MarkerCell, 'account' | 'category' | 'country' | 'from' | 'to'>,
): string {
  return `${describeCell(c)}: ${onOff(c.from)} → ${onOff(c.to)}`;
}

export function onOff(v: boolean): 'on' | 'off' {
  return v ? 'on' : 'off';
}
