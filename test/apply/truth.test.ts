// What is live against what a run expects: the comparison, and the check before the enables (its own
// writes polled for, anything else refused at once). The reads are scripted, one state per call.
import { describe, expect, it } from 'vitest';
import type { LiveAccount, VoiceFlags } from '../../src/model/live.js';
import type { CellChange } from '../../src/model/plan.js';
import { DETAIL } from '../../src/apply/schedule.js';
import { confirmUnchanged, describeDifferences, differences } from '../../src/apply/truth.js';
import { cellChange } from '../support/cell-change.js';

const SID = `AC${'1'.repeat(32)}`;
const OFF: VoiceFlags = { low_risk: false, high_risk_special: false, high_risk_tollfraud: false };

function live(voice: Record<string, Partial<VoiceFlags>>, messaging: Record<string, boolean>): LiveAccount {
  return {
    identity: { sid: SID, friendlyName: 'x', type: 'Full', status: 'active', ownerAccountSid: null },
    voiceInheritance: null,
    voice: Object.fromEntries(
      Object.entries(voice).map(([iso, f]) => [
        iso,
        { iso, name: iso, continent: null, callingCodes: [], ...OFF, ...f },
      ]),
    ),
    messaging: Object.fromEntries(
      Object.entries(messaging).map(([iso, enabled]) => [iso, { iso, enabled, prefix: null, message: null }]),
    ),
  };
}

const cell = (category: CellChange['category'], country: string, to: boolean) =>
  cellChange({ account: 'a', sid: SID, category, country, from: !to, to, risk: 'low', direction: 'closes' });

const BASE = live({ DE: { low_risk: true }, US: { low_risk: true } }, { BR: true, US: true });
const DE_OFF = cell('voice.low_risk', 'DE', false);

describe('differences', () => {
  it('is empty when live is the base with the run’s own writes applied', () => {
    const after = live({ DE: {}, US: { low_risk: true } }, { BR: true, US: true });
    expect(differences(BASE, [DE_OFF], after)).toEqual([]);
  });

  it('names every other cell that changed, a country listed on one side only counting as off on the other', () => {
    const after = live({ DE: {}, US: { low_risk: true, high_risk_tollfraud: true } }, { US: true, GB: true });
    const found = differences(BASE, [DE_OFF], after);
    expect(describeDifferences(found)).toBe(
      'messaging BR on -> off, messaging GB off -> on, voice high-risk toll-fraud US off -> on',
    );
    expect(describeDifferences(found, 1)).toBe('messaging BR on -> off and 2 more');
  });

  it('counts a written cell in a country neither side lists as not shown', () => {
    const fr = cell('voice.low_risk', 'FR', true);
    expect(differences(BASE, [fr], BASE)).toEqual([
      { category: 'voice.low_risk', country: 'FR', expected: true, actual: null },
    ]);
  });
});

describe('confirmUnchanged', () => {
  const reads = (...states: Array<LiveAccount | Error>) => {
    let i = 0;
    return async () => {
      const next = states[Math.min(i++, states.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    };
  };
  const polling = { attempts: 3, delayMs: 0 };
  const sleep = async () => {};

  it('waits for its own writes to show, then lets the enables go', async () => {
    const after = live({ DE: {}, US: { low_risk: true } }, { BR: true, US: true });
    const read = reads(BASE, after);
    expect(await confirmUnchanged({ base: BASE, written: [DE_OFF], read, polling, sleep })).toBeNull();
  });

  it('refuses at once when anything else changed, naming the cell and its values', async () => {
    const other = live({ DE: {}, US: { low_risk: true } }, { BR: true, US: true, FR: true });
    const answer = await confirmUnchanged({
      base: BASE,
      written: [DE_OFF],
      read: reads(other),
      polling,
      sleep,
    });
    expect(answer).toBe(`${DETAIL.changedUnder}messaging FR off -> on`);
  });

  it('refuses when its own writes never show, or the account cannot be read', async () => {
    const stale = await confirmUnchanged({
      base: BASE,
      written: [DE_OFF],
      read: reads(BASE),
      polling,
      sleep,
    });
    expect(stale).toMatch(
      /own restrictive writes did not show .* \(3 reads\), .*: voice low-risk DE still on$/,
    );
    const unreadable = await confirmUnchanged({
      base: BASE,
      written: [DE_OFF],
      read: reads(new Error('HTTP 503')),
      polling,
      sleep,
    });
    expect(unreadable).toBe(
      'not attempted: the account could not be re-read before enabling, so nothing is enabled: HTTP 503',
    );
  });
});
