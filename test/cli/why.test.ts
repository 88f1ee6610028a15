import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { explainNumber, parseNumber } from '../../src/plan/why.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEmulatorState, startEmulator } from '../../src/emulator/index.js';
import { PRODUCTION_TOKEN, runCli, SID, startCliFleet } from '../support/cli-fleet.js';
import { control, requestLog } from '../support/emulator-helpers.js';
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

describe('why answers each product by its own Twilio list (voice: US is United States/Canada for +1)', () => {
  const desired = desiredState([
    desiredAccount(1, { name: 'production', low: ['US'], special: [], messaging: ['CA'] }),
  ]);

  it('maps a number by the longest listed prefix: +1416 is US for voice, CA for SMS; +1787 is PR', () => {
    const toronto = explainNumber({
      desired,
      account: desired.accounts[0]!,
      live: null,
      number: parseNumber('+14165550123'),
      highRiskSpecialPrefixes: [],
    });
    expect(toronto.voice).toMatchObject({
      country: 'US',
      countryName: 'United States/Canada',
      policy: 'allowed',
    });
    expect(toronto.voice.notes[0]).toBe(
      `Twilio's voice list has no entry of its own for CA numbers like this one: US "United States/Canada" decides it`,
    );
    expect(toronto.sms).toMatchObject({ country: 'CA', countryName: 'Canada', policy: 'allowed' });
    const sanJuan = explainNumber({
      desired,
      account: desired.accounts[0]!,
      live: null,
      number: parseNumber('+17875550123'),
      highRiskSpecialPrefixes: [],
    });
    expect(sanJuan.voice).toMatchObject({ country: 'PR', countryName: 'Puerto Rico', policy: 'blocked' });
    expect(sanJuan.voice.change).toContain('add PR to voice.low_risk of production');
  });
});

describe('why against the emulator: Canada', () => {
  let emulator: RunningEmulator;
  let dir: string;
  beforeEach(async () => {
    // US voice on (Twilio's voice list has no CA); messaging CA on, US off.
    emulator = await startEmulator({
      state: parseEmulatorState({
        accounts: [
          {
            sid: SID.production,
            authToken: PRODUCTION_TOKEN,
            voice: { countries: { US: { lowRisk: true } } },
            messaging: { CA: true },
          },
        ],
      }),
    });
    dir = await mkdtemp(path.join(tmpdir(), 'geo-why-'));
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      [
        'version: 1',
        'groups:',
        '  core: [US, CA]',
        'accounts:',
        '  production:',
        `    sid: ${SID.production}`,
        '    voice: {low_risk: [core]}',
        '    messaging: [CA]',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => emulator.stop());

  it('allows +14165550123 for voice through US "United States/Canada", and answers SMS by CA', async () => {
    const r = await runCli(emulator, dir, ['why', '+14165550123']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('voice: ALLOWED (voice.low_risk US "United States/Canada")');
    expect(r.stdout).toContain('sms: ALLOWED (messaging CA)');
    // The prefixes asked for are the voice entry's, not the number's ISO region (Twilio has no voice CA).
    const asked = (await requestLog(emulator))
      .map((e) => e.path)
      .filter((p) => p.includes('HighRiskSpecial'));
    expect(asked).toEqual(['/v1/DialingPermissions/Countries/US/HighRiskSpecialPrefixes']);
  });

  it('answers a New York number by US for SMS (blocked here) and +1787 by PR for voice', async () => {
    const ny = await runCli(emulator, dir, ['why', '+12125550123']);
    expect(ny.stdout).toContain('sms: BLOCKED (messaging US)');
    const pr = await runCli(emulator, dir, ['why', '+17875550123', '--format', 'json']);
    expect(JSON.parse(pr.stdout).voice).toMatchObject({ country: 'PR', live: 'blocked', policy: 'blocked' });
  });
});
