import { createHash } from 'node:crypto';
import type { CellChange } from '../model/plan.js';

/**
 * sha256 over the normalized change set: one line per cell (account SID, category, country, from, to,
 * kind), sorted, so the same changes in any order give the same hash. Names, risk tiers and source
 * lines are left out: renaming an account or moving a line in the policy does not change what is applied.
 */
export function fingerprintChanges(changes: readonly CellChange[]): string {
  const lines = changes
    .map((c) => [c.sid, c.category, c.country ?? '-', String(c.from), String(c.to), c.kind].join('|'))
    .sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
