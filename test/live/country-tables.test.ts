import { describe, expect, it } from 'vitest';
import type { LiveMessagingCountry, LiveVoiceCountry } from '../../src/model/live.js';
import { createCountryTables } from '../../src/live/country-tables.js';

const voice = (iso: string, low_risk: boolean): LiveVoiceCountry => ({
  iso,
  name: `Country ${iso}`,
  continent: 'EUROPE',
  callingCodes: [`+${iso.charCodeAt(0)}`],
  low_risk,
  high_risk_special: false,
  high_risk_tollfraud: false,
});
const messaging = (iso: string, enabled: boolean): LiveMessagingCountry => ({
  iso,
  enabled,
  prefix: null,
  message: null,
});

describe('createCountryTables', () => {
  it('keys each list by country code with the same content', () => {
    const tables = createCountryTables();
    const list = [voice('GB', true), voice('FR', false)];
    expect(tables.voice(list)).toEqual({ GB: voice('GB', true), FR: voice('FR', false) });
    expect(tables.messaging([messaging('US', true)])).toEqual({ US: messaging('US', true) });
  });

  it('hands accounts with the same countries one frozen table, and shares equal records between different tables', () => {
    const tables = createCountryTables();
    const a = tables.voice([voice('GB', true), voice('FR', false)]);
    const b = tables.voice([voice('GB', true), voice('FR', false)]);
    const c = tables.voice([voice('GB', true), voice('FR', true)]);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.GB)).toBe(true);
    expect(c).not.toBe(a);
    expect(c.GB).toBe(a.GB);
    expect(c.FR).not.toBe(a.FR);
    expect(c.FR?.low_risk).toBe(true);
  });

  it('tells records apart by every field, not only the flags', () => {
    const tables = createCountryTables();
    const a = tables.voice([voice('GB', true)]);
    const renamed = tables.voice([{ ...voice('GB', true), name: 'Britain' }]);
    const recoded = tables.voice([{ ...voice('GB', true), callingCodes: ['+44', '+441'] }]);
    expect(renamed.GB?.name).toBe('Britain');
    expect(recoded.GB?.callingCodes).toEqual(['+44', '+441']);
    expect(a.GB?.name).toBe('Country GB');
    const hint = tables.messaging([{ ...messaging('IR', false), message: 'High Risk Country' }]);
    expect(tables.messaging([messaging('IR', false)]).IR?.message).toBeNull();
    expect(hint.IR?.message).toBe('High Risk Country');
  });

  it('keeps tables of different reads apart', () => {
    const first = createCountryTables().voice([voice('GB', true)]);
    const second = createCountryTables().voice([voice('GB', true)]);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
  });
});
