// One planned cell change for the tests that need a change without planning a fleet: a write of
// `production`, rated as the exposure model rates a low-risk voice or messaging cell.
import type { CellChange } from '../../src/model/plan.js';

export const CHANGE_SID = 'AC' + '1'.repeat(32);

export function cellChange(
  cell: Pick<CellChange, 'category' | 'country' | 'from' | 'to'> & Partial<CellChange>,
): CellChange {
  return {
    account: 'production',
    sid: CHANGE_SID,
    risk: cell.to ? 'medium' : 'low',
    direction: cell.to ? 'opens' : 'closes',
    note: null,
    countryName: null,
    continent: null,
    kind: 'write',
    manual: null,
    source: null,
    ...cell,
  };
}
