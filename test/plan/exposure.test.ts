import { describe, expect, it } from 'vitest';
import type { CellChange } from '../../src/model/plan.js';
import { frameDrift } from '../../src/plan/drift.js';
import { guardVerdict } from '../../src/plan/guards.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  planAgainst,
  sid,
} from '../support/fake-account-client.js';
import { load, messages, SID1, SID2, yaml } from '../support/policy-helpers.js';

const NO_EVENTS = { bySid: {}, errors: [], lookbackDays: 30 };
const show = (c: Pick<CellChange, 'category' | 'country' | 'direction' | 'risk' | 'note'>) =>
  `${c.direction} ${c.risk} ${c.category} ${c.country ?? '-'}${c.note ? ` (${c.note})` : ''}`;
const everything = { maxChangesOverride: Infinity, allowHighRisk: true, surface: 'cli' as const };
const strict = { maxChangesOverride: null, allowHighRisk: false, surface: 'cli' as const };

describe('the exposure model: direction and risk from what a change exposes', () => {
  it('rates openings by category and continent, closings low unless protected or the last route', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, {
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: { US: { low_risk: true }, MX: { low_risk: true } },
        messaging: { US: true, GB: true },
      }),
    ]);
    const desired = desiredState(
      [desiredAccount(1, { low: ['US', 'FR'], special: ['GB'], tollfraud: ['CU'], messaging: ['US'] })],
      { neverDisable: ['MX'] },
    );
    const plan = await planAgainst(desired, fleet);
    expect(plan.accounts[0]!.changes.map(show)).toEqual([
      'opens critical voice.high_risk_tollfraud CU',
      'opens high voice.high_risk_special GB',
      'opens medium voice.low_risk FR',
      'closes high voice.low_risk MX (never_disable)',
      'closes low messaging GB',
    ]);
    expect(plan.summary).toMatchObject({
      opens: 3,
      closes: 2,
      opensByRisk: { critical: 1, high: 1, medium: 1, low: 0 },
      byRisk: { critical: 1, high: 2, medium: 1, low: 1 },
    });
  });

  it('rates a close that leaves an account no route at all high, and says so', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true } }, messaging: { US: true, CA: true } }),
    ]);
    const plan = await planAgainst(desiredState([desiredAccount(1, { low: [], messaging: ['CA'] })]), fleet);
    expect(plan.accounts[0]!.changes.map(show)).toEqual([
      'closes high voice.low_risk US (last_route)',
      'closes low messaging US',
    ]);
  });

  it('expands a join into the effective cells it opens and closes, rated by what the parent grants', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, {
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: { US: { low_risk: true }, CU: { high_risk_tollfraud: true } },
      }),
      fakeAccount(2, {
        parent: 1,
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: { GB: { low_risk: true } },
      }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'], tollfraud: ['CU'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
    ]);
    const plan = await planAgainst(desired, fleet);
    const [join] = plan.accounts[1]!.changes;
    expect(show(join!)).toBe('opens critical voice.inherit -');
    expect(join!.effective!.map(show)).toEqual([
      'opens critical voice.high_risk_tollfraud CU',
      'closes low voice.low_risk GB',
      'opens medium voice.low_risk US',
    ]);
    expect(join!.inheritDisables).toEqual([{ category: 'voice.low_risk', country: 'GB' }]);
    // The summary counts the join's three effective cells, not the one flip.
    expect(plan.summary).toMatchObject({ opens: 2, closes: 1, opensByRisk: { critical: 1, medium: 1 } });
    // The guards count them too: the toll-fraud route the join opens needs acknowledging.
    const verdict = guardVerdict(plan, { ...desired, guards: { ...desired.guards, maxChanges: 2 } }, strict);
    expect(verdict.refused).toBe(true);
    expect(verdict.checks.map((c) => `${c.guard} ${c.passed ? 'pass' : 'refuse'}`)).toEqual([
      'max_changes refuse',
      'never_disable pass',
      'never_enable pass',
      'trial_account pass',
      'high_risk refuse',
    ]);
    expect(verdict.checks[0]!.detail).toBe('3 cells, limit 2 (guards.max_changes)');
    expect(verdict.refusals.find((r) => r.guard === 'high_risk')!.message).toContain(
      'account-2 voice.high_risk_tollfraud CU (through joining voice inheritance)',
    );
  });

  it("a leave's effective cells are its per-country voice cells, counted once", async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true } } }),
      fakeAccount(2, { parent: 1, inheritance: true }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US'], special: ['GB'] }),
    ]);
    const plan = await planAgainst(desired, fleet);
    const changes = plan.accounts[1]!.changes;
    const leave = changes.find((c) => c.category === 'voice.inherit')!;
    expect(show(leave)).toBe('opens high voice.inherit -');
    expect(leave.effective!.map(show)).toEqual(['opens high voice.high_risk_special GB']);
    expect(changes.filter((c) => c.category !== 'voice.inherit').map(show)).toEqual(
      leave.effective!.map(show),
    );
    expect(plan.summary).toMatchObject({ opens: 1, closes: 0, changes: 2 });
  });

  it('marks a high-risk enable the policy acknowledges, and the high-risk guard passes it', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { special: ['GB'], tollfraud: ['DE'] })], {
      allowHighRisk: ['GB', 'DE'],
    });
    const plan = await planAgainst(desired, fleet);
    expect(plan.accounts[0]!.changes.map((c) => c.acknowledged)).toEqual([
      'guards.allow_high_risk (line 6)',
      'guards.allow_high_risk (line 6)',
    ]);
    const verdict = guardVerdict(plan, desired, strict);
    expect(verdict.refused).toBe(false);
    expect(verdict.checks.find((c) => c.guard === 'high_risk')!.detail).toBe(
      '2 high-risk enables, 2 acknowledged in the policy',
    );
  });
});

describe('drift framed from the live side', () => {
  it('a Console toll-fraud enable is critical exposure; a narrower live cell is low service impact, after it', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, {
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: { US: { low_risk: true }, CU: { high_risk_tollfraud: true } },
        messaging: { US: false },
      }),
    ]);
    const desired = desiredState([desiredAccount(1, { low: ['US'], messaging: ['US'] })]);
    const report = frameDrift(await planAgainst(desired, fleet), NO_EVENTS, desired.guards);
    expect(report.items.map(show)).toEqual([
      'closes low messaging US',
      'opens critical voice.high_risk_tollfraud CU',
    ]);
    expect(report.exposure).toMatchObject({ opens: 1, closes: 1, opensByRisk: { critical: 1 } });
  });

  it('an inheritance a Console user turned off shows the toll-fraud routes it opened', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, {
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: { US: { low_risk: true } },
      }),
      fakeAccount(2, {
        parent: 1,
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: {
          US: { low_risk: true },
          CU: { high_risk_tollfraud: true },
          SO: { high_risk_tollfraud: true },
        },
      }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
    ]);
    const report = frameDrift(await planAgainst(desired, fleet), NO_EVENTS, desired.guards);
    const [flip] = report.items;
    expect(show(flip!)).toBe('opens critical voice.inherit -');
    expect(flip!.effective!.map(show)).toEqual([
      'opens critical voice.high_risk_tollfraud CU',
      'opens critical voice.high_risk_tollfraud SO',
    ]);
    expect(report.exposure).toMatchObject({ opens: 2, closes: 0, opensByRisk: { critical: 2 } });
  });

  it('a country guards.never_enable forbids, open live, is critical drift in any category', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, {
        countries: ['US', 'CA', 'GB', 'DE', 'FR', 'MX', 'CU', 'SO', 'KP'],
        voice: { US: { low_risk: true }, KP: { low_risk: true } },
      }),
    ]);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })], { neverEnable: ['KP'] });
    const plan = await planAgainst(desired, fleet);
    const report = frameDrift(plan, NO_EVENTS, desired.guards);
    expect(report.items.map(show)).toEqual(['opens critical voice.low_risk KP (never_enable)']);
    // In the plan, closing it is an ordinary low-risk close.
    expect(plan.accounts[0]!.changes.map(show)).toEqual(['closes low voice.low_risk KP']);
    expect(guardVerdict(plan, desired, everything).refused).toBe(false);
  });
});

describe('guards.never_enable and guards.allow_high_risk in the policy', () => {
  const policy = (...lines: string[]) =>
    yaml(
      'version: 1',
      'groups:',
      '  risky: [KP, IR]',
      'guards:',
      '  never_enable: [KP, continent:ANTARCTICA]',
      '  allow_high_risk: [GB]',
      'accounts:',
      '  a:',
      `    sid: ${SID1}`,
      ...lines,
    );

  it('rejects an allow-list that names a forbidden country, directly or through a group', () => {
    expect(
      messages(policy('    voice:', '      low_risk: [US, KP]', '    messaging: [risky]')).filter((m) =>
        m.includes('never_enable'),
      ),
    ).toEqual(
      [
        '11:22: error: KP is in guards.never_enable (line 5): no account may allow it, so remove it from accounts.a.voice.low_risk, or remove it from guards.never_enable in the same change',
        '3:11: error: KP is in guards.never_enable (line 5): no account may allow it, so remove it from accounts.a.messaging (it comes through group:risky), or remove it from guards.never_enable in the same change',
      ].sort((a, b) => Number(a.split(':')[0]) - Number(b.split(':')[0])),
    );
  });

  it('leaves a forbidden country out of a continent with one warning, and keeps the rest', () => {
    const { desired, diagnostics } = load(
      yaml(
        'version: 1',
        'guards:',
        '  never_enable: [KP]',
        'accounts:',
        '  a:',
        `    sid: ${SID1}`,
        '    voice:',
        '      low_risk: [continent:ASIA]',
        '  b:',
        `    sid: ${SID2}`,
        '    voice:',
        '      low_risk: [continent:ASIA]',
      ),
    );
    const forbidden = diagnostics.filter((d) => d.message.includes('never_enable'));
    expect(forbidden.map((d) => `${d.severity} ${d.location.line}`)).toEqual(['warning 8', 'warning 12']);
    expect(forbidden[0]!.message).toContain('reaches KP through continent:ASIA');
    const a = desired!.accounts[0]!;
    expect(a.voice.inherit === false && 'KP' in a.voice.low_risk).toBe(false);
    expect(a.voice.inherit === false && 'JP' in a.voice.low_risk).toBe(true);
  });

  it('reads both lists into the guards, with where each country was named', () => {
    const { desired } = load(policy());
    expect(Object.keys(desired!.guards.neverEnable)).toContain('AQ');
    expect(Object.keys(desired!.guards.neverEnable)).toContain('KP');
    expect(desired!.guards.neverEnable.US).toBeUndefined();
    expect(desired!.guards.allowHighRisk.GB).toEqual({ file: 'p.yml', line: 6, column: 21 });
  });

  it('an exception with a ticket acknowledges its own high-risk enable; without a ticket it does not', async () => {
    const text = (ticket: string) =>
      yaml(
        'version: 1',
        'accounts:',
        '  a:',
        `    sid: ${SID1}`,
        '    voice:',
        `      high_risk_tollfraud: [{country: DE, expires: 2099-01-01${ticket}}]`,
      );
    for (const [ticket, acknowledged] of [
      [', ticket: SEC-7', 'exception ticket SEC-7'],
      ['', undefined],
    ] as const) {
      const { desired } = load(text(ticket), 'plan');
      const fleet = fakeFleet([fakeAccount(1)]);
      const state = { ...desired!, accounts: desired!.accounts.map((x) => ({ ...x, sid: sid(1) })) };
      const plan = await planAgainst(state, fleet);
      expect(plan.accounts[0]!.changes.map((c) => c.acknowledged)).toEqual([acknowledged]);
      expect(guardVerdict(plan, state, strict).refused).toBe(acknowledged === undefined);
    }
  });
});

describe('an acknowledgement names what was reviewed', () => {
  it('rejects a continent in guards.allow_high_risk, once, with its line', () => {
    const lines = messages(
      yaml(
        'version: 1',
        'guards:',
        '  allow_high_risk: [GB, continent:AFRICA]',
        'accounts:',
        '  a:',
        `    sid: ${SID1}`,
      ),
    ).filter((m) => m.includes('allow_high_risk'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^3:\d+: error: guards\.allow_high_risk acknowledges high-risk enables country by country, not through continent:AFRICA/,
    );
  });

  it('a ticketed exception reached through a group does not acknowledge a toll-fraud enable', async () => {
    const { desired } = load(
      yaml(
        'version: 1',
        'groups:',
        '  pilot: [{country: DE, expires: 2099-01-01, reason: "low-risk pilot", ticket: OPS-1}]',
        'accounts:',
        '  a:',
        `    sid: ${SID1}`,
        '    voice:',
        '      low_risk: [pilot]',
        '      high_risk_tollfraud: [pilot]',
      ),
      'plan',
    );
    const state = { ...desired!, accounts: desired!.accounts.map((x) => ({ ...x, sid: sid(1) })) };
    const plan = await planAgainst(state, fakeFleet([fakeAccount(1)]));
    const tollfraud = plan.accounts[0]!.changes.find((c) => c.category === 'voice.high_risk_tollfraud')!;
    expect(tollfraud.acknowledged).toBeUndefined();
    expect(guardVerdict(plan, state, strict).refused).toBe(true);
  });
});

describe('the trial guard with an account of unknown type', () => {
  it('passes, but says the type of an account with high-risk enables is unknown', async () => {
    const desired = desiredState([desiredAccount(1, { tollfraud: ['DE'] })], { allowHighRisk: ['DE'] });
    const plan = await planAgainst(desired, fakeFleet([fakeAccount(1)]));
    const unknown = { ...plan, accounts: plan.accounts.map((a) => ({ ...a, type: null })) };
    const check = guardVerdict(unknown, desired, strict).checks.find((c) => c.guard === 'trial_account')!;
    expect(check.passed).toBe(true);
    expect(check.detail).toContain('the type of 1 account with high-risk enables is unknown');
    expect(guardVerdict(plan, desired, strict).checks.find((c) => c.guard === 'trial_account')!.detail).toBe(
      'no trial account',
    );
  });
});
