import type { CellChange } from '../model/plan.js';

/** One change as "account|category|country|from>to", the compact form stored in markers. */
export function cellKey(c: Pick<CellChange, 'account' | 'category' | 'country' | 'from' | 'to'>): string {
  return `${cellTarget(c)}|${onOff(c.from)}>${onOff(c.to)}`;
}

/** "account|category|country": the cell without its transition. */
export function cellTarget(c: Pick<CellChange, 'account' | 'category' | 'country'>): string {
  return `${c.account}|${c.category}|${c.country ?? '-'}`;
}

/**
 * The reviewed-plan form of a change: the account name bound to its SID ("production@AC…|…"), so a
 * reviewed enable is never applied to another account that took the name in a later, unplanned push.
 */
export function reviewedCellKey(
  c: Pick<CellChange, 'account' | 'sid' | 'category' | 'country' | 'from' | 'to'>,
): string {
  return cellKey({ ...c, account: `${c.account}@${c.sid}` });
}

export interface ParsedCell {
  target: string;
  from: boolean;
  to: boolean;
}

export function parseCellKey(key: string): ParsedCell | null {
  const m = /^(.+)\|(on|off)>(on|off)$/.exec(key);
  if (!m) return null;
  return { target: m[1] ?? '', from: m[2] === 'on', to: m[3] === 'on' };
}

/** "production voice.low_risk FR: off → on", for people. */
export function describeCell(key: string): string {
  const p = parseCellKey(key);
  if (!p) return key;
  const [account, category, country] = p.target.split('|');
  const where = country && country !== '-' ? ` ${country}` : '';
  return `${account} ${category}${where}: ${onOff(p.from)} → ${onOff(p.to)}`;
}

export function onOff(v: boolean): 'on' | 'off' {
  return v ? 'on' : 'off';
}
