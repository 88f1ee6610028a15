import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { explainNumber, parseNumber } from '../../src/plan/why.js';
import { runCli, startCliFleet } from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';
import { desiredAccount, desiredState } from '../support/fake-account-client.js';

describe('explainNumber (pure)', () => {
  const desired = desiredState([
    desiredAccount(1, { name: 'production', low: ['GB'], special: [], messaging: ['GB'] }),
    desiredAccount(2, { name: 'child', parent: { name: 'production', n: 1 }, inherit: true, messaging: [] }),
  ]);
  const number = parseNumber('+447011234567');

  it('counts a number on a high-risk special prefix as high-risk special', () => {
    const a = explainNumber({
      desired,
      account: desired.accounts[0]!,
      live: null,
      number,
      highRiskSpecialPrefixes: ['+4490', '+4470'],
    });
    expect(a.voice).toMatchObject({ policy: 'blocked', permission: 'voice.high_risk_special', live: null });
    expect(a.voice.errors.map((e) => e.code)).toEqual([21215, 13227, 32205]);
    expect(a.voice.notes).toContain("matches Twilio's high-risk special prefix +4470 for GB");
    expect(a.sms).toMatchObject({ policy: 'allowed', errors: [] });
  });

  it('says "prefix data unavailable" without prefixes, and follows the parent for an inheriting subaccount', () => {
    const a = explainNumber({
      desired,
      account: desired.accounts[1]!,
      live: null,
      number: parseNumber('+442079460123'),
      highRiskSpecialPrefixes: null,
    });
    expect(a.voice.notes[0]).toBe('child inherits voice permissions from production');
    expect(a.voice.notes[1]).toMatch(/^prefix data unavailable/);
    expect(a.voice).toMatchObject({ policy: 'allowed', permission: 'voice.low_risk' });
    expect(a.voice.change).toMatch(/^allowed by geo-permissions\.yml:13:1/);
    expect(a.sms).toMatchObject({ policy: 'blocked', errors: [{ code: 21408, where: 'Messages create' }] });
  });
});

describe('why against the emulator', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeEach(async () => {
    ({ emulator, dir } = await startCliFleet());
  });
  afterEach(() => emulator.stop());

  it("uses Twilio's HighRiskSpecialPrefixes for the number's country", async () => {
    const r = await runCli(emulator, dir, ['why', '+447011234567', '--account', 'production']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('voice: BLOCKED (voice.high_risk_special GB)');
    expect(r.stdout).toContain('add GB to voice.high_risk_special of production');
  });

  it('explains "prefix data unavailable" when the prefixes cannot be read', async () => {
    await control(emulator, 'POST', 'faults', [
      { type: 'status', status: 404, path: '/v1/DialingPermissions/Countries/GB/HighRiskSpecialPrefixes' },
    ]);
    const r = await runCli(emulator, dir, [
      'why',
      '+442079460123',
      '--account',
      'production',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer).toMatchObject({
      kind: 'why',
      schemaVersion: 1,
      voice: { live: 'allowed', policy: 'allowed' },
    });
    expect(answer.voice.notes.join('\n')).toContain('prefix data unavailable');
  });
});
