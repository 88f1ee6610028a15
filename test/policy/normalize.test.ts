import { describe, expect, it } from 'vitest';
import { countriesOnContinent } from '../../src/catalog/index.js';
import type { DesiredAccount, DesiredState, GrantSet } from '../../src/model/desired.js';
import { load, messages, SID1, SID2, SID3, yaml } from '../support/policy-helpers.js';

function desired(text: string, mode: 'validate' | 'plan' = 'validate'): DesiredState {
  const result = load(text, mode);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.desired).not.toBeNull();
  return result.desired!;
}

function account(state: DesiredState, name: string): DesiredAccount {
  const found = state.accounts.find((a) => a.name === name);
  if (!found) throw new Error(`no account ${name}`);
  return found;
}

function codes(set: GrantSet): string[] {
  return Object.keys(set);
}

function voiceList(
  a: DesiredAccount,
  list: 'low_risk' | 'high_risk_special' | 'high_risk_tollfraud',
): GrantSet {
  if (a.voice.inherit) throw new Error(`${a.name} inherits`);
  return a.voice[list];
}

const FLEET = yaml(
  'version: 1',
  'groups:',
  '  core: [US, CA, GB]',
  '  extended: [core, IE, continent:OCEANIA]',
  'defaults:',
  '  voice:',
  '    low_risk: [core]',
  '    high_risk_special: [US]',
  '  messaging: [core]',
  'accounts:',
  '  production:',
  `    sid: ${SID1}`,
  '    voice:',
  '      low_risk: [extended, FR]',
  '  support:',
  `    sid: ${SID2}`,
  '    parent: production',
  '    messaging: [DE, {country: BR, expires: 2027-03-31, reason: pilot, ticket: OPS-42}]',
  '  marketing:',
  `    sid: ${SID3}`,
  '    parent: production',
  '    voice:',
  '      inherit: true',
);

describe('normalize: groups, continents, defaults', () => {
  const state = desired(FLEET);

  it('expands nested groups and continents into ISO codes, sorted', () => {
    const low = voiceList(account(state, 'production'), 'low_risk');
    // Twilio's voice list: CA (through core) and UM (through OCEANIA) are dialled through US, which is here.
    const reached = new Set(['US', 'CA', 'GB', 'IE', 'FR', ...countriesOnContinent('OCEANIA')]);
    const expected = [...reached].filter((c) => c !== 'CA' && c !== 'UM').sort();
    expect(codes(low)).toEqual(expected);
  });

  it('records where each grant came from and the path it took', () => {
    const low = voiceList(account(state, 'production'), 'low_risk');
    expect(low.US).toMatchObject({
      via: ['accounts.production.voice.low_risk', 'group:extended', 'group:core'],
      location: { file: 'p.yml', line: 3, column: 10 },
      exception: null,
    });
    expect(low.AU?.via).toEqual([
      'accounts.production.voice.low_risk',
      'group:extended',
      'continent:OCEANIA',
    ]);
    expect(low.FR?.location).toEqual({ file: 'p.yml', line: 14, column: 28 });
  });

  it('uses a default list where the account sets none of that name (the account list replaces it)', () => {
    const production = account(state, 'production');
    expect(codes(voiceList(production, 'high_risk_special'))).toEqual(['US']);
    expect(voiceList(production, 'high_risk_special').US?.via).toEqual(['defaults.voice.high_risk_special']);
    expect(codes(production.messaging)).toEqual(['CA', 'GB', 'US']);
    const support = account(state, 'support');
    expect(codes(voiceList(support, 'low_risk'))).toEqual(['GB', 'US']); // no CA in Twilio's voice list
    // The account's messaging list replaces the default: core is not merged in.
    expect(codes(support.messaging)).toEqual(['BR', 'DE']);
  });

  it('disables a list with no default and no account list (allow-list)', () => {
    expect(codes(voiceList(account(state, 'production'), 'high_risk_tollfraud'))).toEqual([]);
  });

  it('carries exceptions with their expiry, reason and ticket', () => {
    expect(account(state, 'support').messaging.BR?.exception).toEqual({
      expires: '2027-03-31',
      reason: 'pilot',
      ticket: 'OPS-42',
    });
  });

  it('links subaccounts to their parent and keeps inheritance', () => {
    const support = account(state, 'support');
    expect(support).toMatchObject({ parent: 'production', parentSid: SID1, sid: SID2 });
    expect(support.voice.inherit).toBe(false);
    const marketing = account(state, 'marketing');
    expect(marketing.voice).toEqual({ inherit: true, location: { file: 'p.yml', line: 22, column: 5 } });
    expect(codes(marketing.messaging)).toEqual(['CA', 'GB', 'US']);
    expect(account(state, 'production')).toMatchObject({ parent: null, parentSid: null });
  });

  it('keeps accounts in file order with their locations', () => {
    expect(state.accounts.map((a) => [a.name, a.location.line])).toEqual([
      ['production', 11],
      ['support', 15],
      ['marketing', 19],
    ]);
    expect(state.file).toBe('p.yml');
  });
});

describe('normalize: guards', () => {
  it('expands never_disable and reads max_changes', () => {
    const state = desired(
      yaml(
        'version: 1',
        'groups:',
        '  core: [US, CA]',
        'guards:',
        '  max_changes: 10',
        '  never_disable: [core, GB]',
        'accounts:',
        '  a:',
        `    sid: ${SID1}`,
      ),
    );
    expect(state.guards.maxChanges).toBe(10);
    expect(state.guards.maxChangesLocation).toEqual({ file: 'p.yml', line: 5, column: 16 });
    expect(Object.keys(state.guards.neverDisable).sort()).toEqual(['CA', 'GB', 'US']);
    expect(state.guards.neverDisable.GB).toEqual({ file: 'p.yml', line: 6, column: 25 });
  });

  it('has no limit when max_changes is absent or null', () => {
    const absent = desired(yaml('version: 1', 'accounts:', '  a:', `    sid: ${SID1}`));
    expect(absent.guards).toEqual({
      maxChanges: null,
      maxChangesLocation: null,
      neverDisable: {},
      neverEnable: {},
      allowHighRisk: {},
    });
    const nulled = desired(
      yaml('version: 1', 'guards:', '  max_changes: null', 'accounts:', '  a:', `    sid: ${SID1}`),
    );
    expect(nulled.guards.maxChanges).toBeNull();
  });
});

describe('normalize: exceptions and expiry', () => {
  const policy = (expires: string) =>
    yaml(
      'version: 1',
      'accounts:',
      '  a:',
      `    sid: ${SID1}`,
      '    voice:',
      `      low_risk: [US, {country: BR, expires: ${expires}, ticket: 42}]`,
    );

  it('counts an exception through the last day of expires (UTC) and warns within 14 days', () => {
    const result = load(policy('2026-11-25'));
    const a = result.desired!.accounts[0]!;
    expect(codes(voiceList(a, 'low_risk'))).toEqual(['BR', 'US']);
    expect(voiceList(a, 'low_risk').BR?.exception?.ticket).toBe('42');
    expect(result.desired!.expiring).toEqual([
      {
        account: 'a',
        list: 'voice.low_risk',
        country: 'BR',
        expires: '2026-11-25',
        daysLeft: 0,
        reason: null,
        ticket: '42',
        location: { file: 'p.yml', line: 6, column: 22 },
      },
    ]);
    const warning =
      '6:45: warning: exception for BR expires on 2026-11-25, today (last day it counts): extend "expires" or plan for BR to be disabled';
    expect(messages(policy('2026-11-25'))).toEqual([warning]);
    expect(result.desired!.warnings.map((w) => w.message)).toEqual([warning.replace(/^.*warning: /, '')]);
  });

  it('does not warn about an exception more than 14 days away, and still lists it with its days left', () => {
    expect(messages(policy('2026-12-10'))).toEqual([]);
    expect(messages(policy('2026-12-09'))).toEqual([
      '6:45: warning: exception for BR expires on 2026-12-09, in 14 days: extend "expires" or plan for BR to be disabled',
    ]);
    expect(load(policy('2026-12-10')).desired!.expiring).toMatchObject([
      { account: 'a', country: 'BR', daysLeft: 15 },
    ]);
    expect(load(policy('2026-12-10')).desired!.expiry).toEqual({
      expired: 'enforce',
      warningDays: 14,
      location: null,
    });
  });

  it('takes the warning horizon from expiry_warning_days, and expired: from the policy', () => {
    const text = (days: string, expired = 'report') =>
      policy('2026-12-10').replace(
        'version: 1\n',
        `version: 1\nexpiry_warning_days: ${days}\nexpired: ${expired}\n`,
      );
    expect(messages(text('30'))).toEqual([
      '8:45: warning: exception for BR expires on 2026-12-10, in 15 days: extend "expires" or plan for BR to be disabled',
    ]);
    expect(messages(text('3'))).toEqual([]);
    expect(load(text('30')).desired!.expiry).toEqual({
      expired: 'report',
      warningDays: 30,
      location: { file: 'p.yml', line: 3, column: 10 },
    });
  });

  it('reports a bad expired: or expiry_warning_days: at its line and column, saying what to write', () => {
    const text = (days: string, expired: string) =>
      yaml('version: 1', `expired: ${expired}`, `expiry_warning_days: ${days}`, 'accounts: {}');
    expect(messages(text('400', 'enforced'))).toEqual([
      '2:10: error: expired must be "enforce" or "report", not "enforced" (did you mean "enforce"?)',
      '3:22: error: expiry_warning_days must be a whole number of days from 0 to 366, not 400: remove it for the default (14)',
    ]);
    expect(messages(text('2.5', 'yes'))).toEqual([
      '2:10: error: expired must be "enforce" or "report", not "yes"',
      '3:22: error: expiry_warning_days must be a whole number, not the number 2.5',
    ]);
  });

  it('lists an exception of a fleet template once, owned by the template', () => {
    const state = desired(
      yaml(
        'version: 1',
        'accounts:',
        '  prod:',
        `    sid: ${SID1}`,
        'fleets:',
        '  customers:',
        '    parent: prod',
        '    match: all',
        '    messaging: [{country: MX, expires: 2027-01-31, reason: launch}]',
      ),
    );
    expect(state.expiring).toMatchObject([
      { account: 'fleets.customers', fleet: 'customers', list: 'messaging', country: 'MX', daysLeft: 67 },
    ]);
  });

  it('in plan mode treats an expired exception as absent, with a warning, and still loads', () => {
    const result = load(policy('2026-11-24'), 'plan');
    expect(result.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([
      'warning: exception for BR expired on 2026-11-24 (1 day ago) and is treated as absent (disabled): remove it, or extend "expires"',
    ]);
    const a = result.desired!.accounts[0]!;
    expect(codes(voiceList(a, 'low_risk'))).toEqual(['US']);
    expect(result.desired!.expiring).toMatchObject([{ country: 'BR', daysLeft: -1 }]);
  });

  it('in validate mode reports an expired exception as an error and gives no desired state', () => {
    const result = load(policy('2026-11-24'), 'validate');
    expect(result.desired).toBeNull();
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['error']);
  });

  it('lets a permanent grant win over an exception for the same country', () => {
    const state = desired(
      yaml(
        'version: 1',
        'accounts:',
        '  a:',
        `    sid: ${SID1}`,
        '    messaging: [{country: US, expires: 2027-01-31}, US]',
      ),
    );
    expect(state.accounts[0]!.messaging.US?.exception).toBeNull();
  });
});

describe('normalize: messaging specifics', () => {
  it('keeps Console-only countries, with one warning per list entry, in both diagnostics and warnings', () => {
    const text = yaml('version: 1', 'accounts:', '  a:', `    sid: ${SID1}`, '    messaging: [US, PK, NG]');
    const result = load(text);
    expect(messages(text)).toEqual([
      '5:21: warning: messaging to PK (Pakistan) can only be enabled in the Twilio Console (API error 30649): apply will list it as a manual step',
      '5:25: warning: messaging to NG (Nigeria) can only be enabled in the Twilio Console (API error 30649): apply will list it as a manual step',
    ]);
    expect(codes(result.desired!.accounts[0]!.messaging)).toEqual(['NG', 'PK', 'US']);
    expect(result.desired!.warnings).toHaveLength(2);
  });

  it('leaves unsupported destinations (IR, SY, CU) out when a continent reaches them', () => {
    const state = desired(
      yaml('version: 1', 'accounts:', '  a:', `    sid: ${SID1}`, '    messaging: [continent:ASIA]'),
    );
    const messaging = codes(state.accounts[0]!.messaging);
    expect(messaging).toContain('JP');
    expect(messaging).not.toContain('IR');
    expect(messaging).not.toContain('SY');
  });

  it('reports a default list problem once even when many accounts use it', () => {
    const text = yaml(
      'version: 1',
      'defaults:',
      '  messaging: [PK]',
      'accounts:',
      '  a:',
      `    sid: ${SID1}`,
      '  b:',
      `    sid: ${SID2}`,
    );
    expect(messages(text)).toHaveLength(1);
  });
});
