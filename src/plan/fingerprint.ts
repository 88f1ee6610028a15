import { createHash } from 'node:crypto';
import type { CellChange } from '../model/plan.js';

/** An inheritance flip's effective cells, one line each: what the flip changes is part of the change. */
const effectiveLines = (c: CellChange): string[] =>
  (c.category === 'voice.inherit' ? (c.effective ?? []) : []).map((e) =>
    [c.sid, 'effective', e.category, e.country, String(e.from), String(e.to)].join('|'),
  );

/**
 * sha256 over the normalized change set: one line per cell (account SID, category, country, from, to,
 * kind), and for an inheritance flip one per effective cell it changes, sorted, so the same changes in
 * any order give the same hash. Names, risk tiers and source lines are left out: renaming an account or
 * moving a line in the policy does not change what is applied.
 */
export function fingerprintChanges(changes: readonly CellChange[]): string {
  const lines = changes
    .flatMap((c) => [
      [c.sid, c.category, c.country ?? '-', String(c.from), String(c.to), c.kind].join('|'),
      ...effectiveLines(c),
    ])
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/**
 * A fingerprint that also covers `lines` (sorted): a drift report's, once the run closed expired cells,
 * so the same plan closed and not closed never read as the same drift.
 */
export function fingerprintWith(base: string, lines: readonly string[]): string {
  return createHash('sha256')
    .update([base, ...[...lines].sort()].join('\n'))
    .digest('hex');
}
