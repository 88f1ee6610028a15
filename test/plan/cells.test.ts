import { describe, expect, it } from 'vitest';
import { cellId, describeChange, markerKey, parseMarkerKey, reviewedKey } from '../../src/plan/cells.js';

const SID = 'AC' + 'a'.repeat(32);
const fr = {
  account: 'support|eu',
  sid: SID,
  category: 'voice.low_risk' as const,
  country: 'FR',
  from: false,
  to: true,
};
const inherit = {
  ...fr,
  account: 'prod',
  category: 'voice.inherit' as const,
  country: null,
  from: true,
  to: false,
};

describe('cells: the one cell identity', () => {
  it('keys a cell by SID, category and country, whatever the account name', () => {
    expect(cellId(fr)).toBe(`${SID}|voice.low_risk|FR`);
    const renamed = { ...fr, account: 'renamed' };
    expect(cellId(renamed)).toBe(cellId(fr));
    expect(cellId(inherit)).toBe(`${SID}|voice.inherit|`);
  });
  it('reads back both marker forms, the SID only from the reviewed one', () => {
    expect(parseMarkerKey(markerKey(inherit))).toEqual({
      account: 'prod',
      sid: null,
      category: 'voice.inherit',
      country: null,
      from: true,
      to: false,
    });
    // An account name holding the separator still reads back whole: the category anchors the split.
    expect(parseMarkerKey(reviewedKey(fr))).toEqual({ ...fr, sid: SID });
  });
  it('refuses text that is not a cell', () => {
    expect(parseMarkerKey('prod|voice.everything|FR|off>on')).toBeNull();
    expect(parseMarkerKey('prod|messaging|FR|off>maybe')).toBeNull();
    expect(parseMarkerKey('')).toBeNull();
  });
  it('describes a change for people', () => {
    expect(describeChange(inherit)).toBe('prod voice.inherit: on → off');
  });
});
