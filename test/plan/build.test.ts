import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { describe, expect, it } from 'vitest';
import type { LiveAccount } from '../../src/model/live.js';
import { diffAccount, MESSAGING_CONSOLE_PATH } from '../../src/plan/build.js';
import { fingerprintChanges } from '../../src/plan/fingerprint.js';
import { load, SID1, yaml } from '../support/policy-helpers.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  OFF,
  planAgainst,
  sid,
} from '../support/fake-account-client.js';

/** A live account written out by hand, for what the fake fleet cannot express (names Twilio gives, hints). */
function liveAccount(
  voice: Record<string, Partial<LiveAccount['voice'][string]>>,
  messaging: Record<string, { enabled: boolean; message?: string }>,
): LiveAccount {
  return {
    identity: { sid: sid(1), friendlyName: 'one', type: 'Full', status: 'active', ownerAccountSid: null },
    voiceInheritance: null,
    voice: Object.fromEntries(
      Object.entries(voice).map(([iso, v]) => [
        iso,
        { iso, name: iso, continent: null, callingCodes: [], ...OFF, ...v },
      ]),
    ),
    messaging: Object.fromEntries(
      Object.entries(messaging).map(([iso, m]) => [
        iso,
        { iso, enabled: m.enabled, prefix: null, message: m.message ?? null },
      ]),
    ),
  };
}

const NO_PARENT = { desired: null, live: null };

describe('buildPlan', () => {
  it('lists each differing cell with from -> to and a risk tier per the tier rules', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true }, BR: { low_risk: true } }, messaging: { US: true } }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US', 'GB'], special: ['GB'], tollfraud: ['DE'], messaging: ['US', 'CA'] }),
    ]);
    const plan = await planAgainst(desired, fleet);
    const cells = plan.accounts[0]!.changes.map(
      (c) => `${c.category} ${c.country} ${c.from}->${c.to} ${c.risk}`,
    );
    expect(cells).toEqual([
      'voice.high_risk_tollfraud DE false->true critical',
      'voice.high_risk_special GB false->true high',
      'voice.low_risk GB false->true medium',
      'messaging CA false->true medium',
      'voice.low_risk BR true->false low',
    ]);
    expect(plan.summary).toMatchObject({
      changes: 5,
      writes: 5,
      manual: 0,
      byRisk: { critical: 1, high: 1, medium: 2, low: 1 },
    });
  });

  it('rates an enable that came through a continent as high', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const plan = await planAgainst(
      desiredState([
        desiredAccount(1, { low: ['DE', 'FR'], via: ['defaults.voice.low_risk', 'continent:EUROPE'] }),
      ]),
      fleet,
    );
    expect(plan.accounts[0]!.changes.map((c) => c.risk)).toEqual(['high', 'high']);
  });

  it('makes Console-only messaging countries manual steps with the Console path, never writes', async () => {
    const fleet = fakeFleet([fakeAccount(1, { messaging: { PK: true } })]);
    const plan = await planAgainst(desiredState([desiredAccount(1, { messaging: ['NG'] })]), fleet);
    const changes = plan.accounts[0]!.changes;
    expect(changes.map((c) => [c.country, c.kind])).toEqual([
      ['NG', 'manual'],
      ['PK', 'manual'],
    ]);
    expect(changes[0]!.manual?.consolePath).toContain('Console');
    expect(plan.summary).toMatchObject({ writes: 0, manual: 2 });
  });

  it('reports countries the catalog does not know as decisions, and disables them (allow-list)', async () => {
    const fleet = fakeFleet([fakeAccount(1, { countries: ['US', 'XX'], voice: { XX: { low_risk: true } } })]);
    const plan = await planAgainst(desiredState([desiredAccount(1, { low: ['US'] })]), fleet);
    expect(plan.accounts[0]!.unknown).toEqual([
      expect.objectContaining({ country: 'XX', category: 'voice.low_risk', enabledLive: true }),
      expect.objectContaining({ country: 'XX', category: 'messaging', enabledLive: false }),
    ]);
    expect(plan.accounts[0]!.changes.map((c) => `${c.country} ${c.to}`)).toContain('XX false');
    expect(plan.summary.unknown).toBe(2);
  });

  it('plans inheritance flips with the risk of what they would newly enable', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true, high_risk_tollfraud: true } } }),
      fakeAccount(2, { parent: 1, inheritance: false }),
      fakeAccount(3, { parent: 1, inheritance: true }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'], tollfraud: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
      desiredAccount(3, { parent: { name: 'account-1', n: 1 }, low: ['US'] }),
    ]);
    const plan = await planAgainst(desired, fleet);
    expect(plan.accounts[1]!.changes).toEqual([
      expect.objectContaining({ category: 'voice.inherit', from: false, to: true, risk: 'critical' }),
    ]);
    // An inheriting subaccount shows its parent's values; leaving narrows (no more toll-fraud): low risk.
    expect(plan.accounts[2]!.changes.map((c) => `${c.category} ${c.country} ${c.risk}`)).toEqual([
      'voice.inherit null low',
      'voice.high_risk_tollfraud US low',
    ]);
  });

  it('keeps an unreadable account in the plan with its error', async () => {
    const fleet = fakeFleet([fakeAccount(1)], { unreachable: [sid(1)] });
    const plan = await planAgainst(desiredState([desiredAccount(1)]), fleet);
    expect(plan.accounts[0]!.error).toMatch(/401/);
    expect(plan.summary.errors).toBe(1);
  });

  it('fingerprints the change set: stable under reordering, identical across runs, sensitive to content', async () => {
    const fleet = fakeFleet([fakeAccount(1), fakeAccount(2)]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US', 'GB'] }),
      desiredAccount(2, { messaging: ['US'] }),
    ]);
    const a = await planAgainst(desired, fleet);
    const b = await planAgainst(desired, fleet);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    const changes = a.accounts.flatMap((x) => x.changes);
    expect(fingerprintChanges([...changes].reverse())).toBe(a.fingerprint);
    expect(fingerprintChanges(changes.slice(1))).not.toBe(a.fingerprint);
    // Same cells, one going the other way, or on another account: a different change set.
    const [first, ...rest] = changes;
    expect(fingerprintChanges([{ ...first!, to: !first!.to }, ...rest])).not.toBe(a.fingerprint);
    expect(fingerprintChanges([{ ...first!, sid: 'AC' + 'f'.repeat(32) }, ...rest])).not.toBe(a.fingerprint);
    expect(fingerprintChanges([{ ...first!, kind: 'manual' }, ...rest])).not.toBe(a.fingerprint);
  });

  it('makes an empty plan when live already matches', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { US: { low_risk: true } }, messaging: { US: true } })]);
    const plan = await planAgainst(
      desiredState([desiredAccount(1, { low: ['US'], messaging: ['US'] })]),
      fleet,
    );
    expect(plan.summary.changes).toBe(0);
  });
  it('points a disable at the account or its voice node and rates a messaging enable through a continent high', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { BR: { low_risk: true } }, messaging: { BR: true } })]);
    const plan = await planAgainst(
      desiredState([desiredAccount(1, { messaging: ['DE'], via: ['group:eu', 'continent:EUROPE'] })]),
      fleet,
    );
    expect(
      plan.accounts[0]!.changes.map((c) => `${c.category} ${c.country} ${c.risk} line ${c.source?.line}`),
    ).toEqual([
      'messaging DE high line 16',
      'voice.low_risk BR high line 12', // the account's voice node; its last voice route, so high
      'messaging BR low line 10', // the account node: messaging has no node of its own
    ]);
  });

  it('warns, once per list and country, about allowed countries Twilio does not list for the account', async () => {
    const fleet = fakeFleet([fakeAccount(1, { countries: ['US'] })]);
    const plan = await planAgainst(
      desiredState([desiredAccount(1, { low: ['US', 'GB'], tollfraud: ['DE'], messaging: ['CA'] })]),
      fleet,
    );
    expect(plan.warnings.map((w) => `${w.location.line}: ${w.accounts?.join(', ')}: ${w.message}`)).toEqual([
      '13: account-1: voice.low_risk allows GB, but Twilio does not list GB for this account; nothing can be written for it',
      '15: account-1: voice.high_risk_tollfraud allows DE, but Twilio does not list DE for this account; nothing can be written for it',
      '16: account-1: messaging allows CA, but Twilio does not list CA for this account; nothing can be written for it',
    ]);
    expect(plan.accounts[0]!.changes.map((c) => c.country)).toEqual(['US']);
  });

  it('says a warning shared by several accounts once, naming them all', async () => {
    const fleet = fakeFleet([1, 2, 3, 4, 5].map((n) => fakeAccount(n, { countries: ['US'] })));
    // Every account takes the same list line (the default), so the warning is the same five times.
    const same = [1, 2, 3, 4, 5].map((n) => ({
      ...desiredAccount(n, { messaging: ['CA'] }),
      messaging: desiredAccount(1, { messaging: ['CA'] }).messaging,
    }));
    const plan = await planAgainst(desiredState(same), fleet);
    expect(plan.warnings.map(formatDiagnostic)).toEqual([
      'geo-permissions.yml:16:1: warning: account-1, account-2, account-3 and 2 more: messaging allows CA, but Twilio does not list CA for this account; nothing can be written for it',
    ]);
    expect(plan.warnings[0]!.accounts).toHaveLength(5);
  });

  it('warns and leaves voice alone when an account without an inheritance setting says inherit: true', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { US: { low_risk: true } } })]);
    const plan = await planAgainst(desiredState([desiredAccount(1, { inherit: true })]), fleet);
    expect(plan.warnings).toEqual([
      {
        severity: 'warning',
        location: { file: 'geo-permissions.yml', line: 12, column: 1 },
        accounts: ['account-1'],
        message:
          'voice.inherit is true, but Twilio reports no inheritance setting (not a subaccount); its voice permissions are not managed',
      },
    ]);
    expect(plan.summary.changes).toBe(0);
  });

  it('rates joining inheritance over every country the parent lists, not only those of the subaccount', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { countries: ['US', 'GB'], voice: { GB: { high_risk_tollfraud: true } } }),
      fakeAccount(2, { parent: 1, countries: ['US'], inheritance: false }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { tollfraud: ['GB'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
    ]);
    const plan = await planAgainst(desired, fleet);
    expect(plan.accounts[1]!.changes).toEqual([
      expect.objectContaining({ category: 'voice.inherit', to: true, risk: 'critical' }),
    ]);
  });

  it('files an unknown country under the riskiest category it has on, named and placed as Twilio lists it', () => {
    const live = liveAccount(
      { XX: { name: 'Xland', continent: 'NOWHERE', low_risk: true, high_risk_special: true } },
      { XX: { enabled: false } },
    );
    const diff = diffAccount({ account: desiredAccount(1, { messaging: ['XX'] }), live, parent: NO_PARENT });
    expect(diff.unknown).toEqual([
      expect.objectContaining({
        category: 'voice.high_risk_special',
        country: 'XX',
        name: 'Xland',
        enabledLive: true,
      }),
      expect.objectContaining({ category: 'messaging', country: 'XX', name: null, enabledLive: false }),
    ]);
    expect(diff.changes.map((c) => `${c.category} ${c.countryName} ${c.continent}`)).toEqual([
      'messaging Xland NOWHERE', // the enable (medium) before the disables (low)
      'voice.high_risk_special Xland NOWHERE',
      'voice.low_risk Xland NOWHERE',
    ]);
  });

  it('gives each manual messaging step its reason: unsupported destination, or high risk by list or by the hint Twilio gives', () => {
    const live = liveAccount(
      {},
      {
        IR: { enabled: true },
        NG: { enabled: true },
        BR: { enabled: true, message: 'High Risk Country' },
        US: { enabled: true, message: 'Standard' },
      },
    );
    const diff = diffAccount({ account: desiredAccount(1), live, parent: NO_PARENT });
    const highRisk =
      'high-risk messaging country: Twilio only accepts this change in the Console (error 30649)';
    expect(diff.changes.map((c) => [c.country, c.kind, c.manual])).toEqual([
      ['BR', 'manual', { reason: highRisk, consolePath: MESSAGING_CONSOLE_PATH }],
      [
        'IR',
        'manual',
        {
          reason: 'Twilio does not support messaging to this country; the API ignores updates',
          consolePath: MESSAGING_CONSOLE_PATH,
        },
      ],
      ['NG', 'manual', { reason: highRisk, consolePath: MESSAGING_CONSOLE_PATH }],
      ['US', 'write', null],
    ]);
  });
});

describe('the Console-only notice', () => {
  it('shows in a plan only where a change needs that manual step', async () => {
    const { desired } = load(
      yaml('version: 1', 'accounts:', '  a:', `    sid: ${SID1}`, '    messaging: [US, NG]'),
      'plan',
    );
    const state = { ...desired!, accounts: desired!.accounts.map((x) => ({ ...x, sid: sid(1) })) };
    const consoleOnly = (p: Awaited<ReturnType<typeof planAgainst>>) =>
      p.warnings.filter((w) => w.code === 'console-only').length;
    const pending = await planAgainst(state, fakeFleet([fakeAccount(1, { messaging: { US: true } })]));
    expect(pending.accounts[0]!.changes.map((c) => `${c.country} ${c.kind}`)).toEqual(['NG manual']);
    expect(consoleOnly(pending)).toBe(1);
    const done = await planAgainst(state, fakeFleet([fakeAccount(1, { messaging: { US: true, NG: true } })]));
    expect(done.summary.changes).toBe(0);
    expect(consoleOnly(done)).toBe(0);
  });
});

describe("cells named as each product's Twilio list names them", () => {
  it('names a voice US cell "United States/Canada" (it opens Canada too) and a messaging US cell "United States"', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const plan = await planAgainst(
      desiredState([desiredAccount(1, { low: ['US'], messaging: ['US'] })]),
      fleet,
    );
    const names = Object.fromEntries(
      plan.accounts[0]!.changes.map((c) => [`${c.category} ${c.country}`, c.countryName]),
    );
    expect(names).toEqual({ 'voice.low_risk US': 'United States/Canada', 'messaging US': 'United States' });
  });
});
