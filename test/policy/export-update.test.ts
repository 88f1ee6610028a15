import { describe, expect, it } from 'vitest';
import type { LiveAccount, LiveRead } from '../../src/model/live.js';
import { updatePolicy } from '../../src/policy/export-update.js';
import { SCHEMA_MODELINE } from '../../src/policy/json-schema.js';
import { loadPolicy } from '../../src/policy/load.js';
import { OFF, sid } from '../support/fake-account-client.js';

const NOW = new Date('2027-06-01T00:00:00Z');

/** One live account: `voice` the low-risk codes on (of US, GB, DE, ZA, IR), `messaging` the codes on. */
function live(n: number, voice: string[], messaging: string[], inherits: boolean | null = null): LiveAccount {
  return {
    identity: {
      sid: sid(n),
      friendlyName: '',
      type: 'Full',
      status: 'active',
      ownerAccountSid: inherits === null ? null : sid(1),
    },
    voiceInheritance: inherits,
    voice: Object.fromEntries(
      ['US', 'GB', 'DE', 'ZA', 'IR'].map((iso) => [
        iso,
        { iso, name: iso, continent: null, callingCodes: [], ...OFF, low_risk: voice.includes(iso) },
      ]),
    ),
    messaging: Object.fromEntries(
      ['US', 'GB', 'DE'].map((iso) => [
        iso,
        { iso, enabled: messaging.includes(iso), prefix: null, message: null },
      ]),
    ),
  };
}

function update(text: string, ...accounts: LiveAccount[]) {
  const { desired } = loadPolicy(text, 'p.yml', { now: NOW, mode: 'plan' });
  const state: LiveRead = {
    accounts: Object.fromEntries(accounts.map((a) => [a.identity.sid, a])),
    errors: [],
  };
  return updatePolicy(text, 'p.yml', desired!, state, NOW);
}

const policy = (lowRisk: string) => `version: 1
guards:
  never_enable: [IR]
accounts:
  prod:
    sid: ${sid(1)}
    voice:
      low_risk: ${lowRisk}
    messaging: [US]
`;

describe('updatePolicy', () => {
  it('keeps an expired exception whose country is still open rather than making it permanent, and says so', () => {
    const text = policy('[US, { country: ZA, expires: 2027-01-31 }]');
    const r = update(text, live(1, ['US', 'ZA'], ['US']));
    expect(r.text).toBe(
      `${SCHEMA_MODELINE}\n${text.replace('{ country: ZA, expires: 2027-01-31 }', '{country: ZA, expires: 2027-01-31}')}`,
    );
    expect(r.changes).toEqual([
      'accounts.prod.voice.low_risk: kept the expired exception for ZA, open live: plan will disable it',
    ]);
  });

  it('drops an exception whose country was closed live, and never adds a guards.never_enable country', () => {
    const r = update(policy('[US, { country: ZA, expires: 2099-01-31 }]'), live(1, ['US', 'IR'], ['US']));
    expect(r.text).toContain('      low_risk: [US]\n');
    expect(r.changes).toEqual([
      'accounts.prod.voice.low_risk: removed the exception for ZA until 2099-01-31 (ZA off live); left out IR, open live but in guards.never_enable: plan will disable it',
    ]);
  });

  it('rebuilds a list written as a YAML alias from the codes open live', () => {
    const text = `version: 1
groups:
  eu: &eu [DE, GB]
accounts:
  prod:
    sid: ${sid(1)}
    voice:
      low_risk: *eu
    messaging: [US]
`;
    const r = update(text, live(1, ['US', 'GB', 'DE'], ['US']));
    expect(r.text).toContain('      low_risk: [DE, GB, US]\n');
    expect(r.changes).toEqual(['accounts.prod.voice.low_risk: added DE, GB, US (open live)']);
  });

  it('follows a subaccount that joined its parent live: inherit true, its own voice lists removed', () => {
    const text = `version: 1
accounts:
  prod:
    sid: ${sid(1)}
    voice:
      low_risk: [US]
    messaging: [US]
  kid: # the support team
    sid: ${sid(2)}
    parent: prod
    voice:
      inherit: false
      low_risk: [GB]
    messaging: [US]
`;
    const r = update(text, live(1, ['US'], ['US']), live(2, ['US'], ['US'], true));
    // The yaml library keeps a comment after a key that opens a block, one line down.
    expect(r.text).toContain(
      '  kid:\n    # the support team\n    sid: AC00000000000000000000000000000002\n    parent: prod\n    voice:\n      inherit: true\n    messaging: [US]\n',
    );
    expect(r.changes).toEqual([
      "accounts.kid.voice.inherit: false -> true (as live; its own voice lists are removed, the parent's apply)",
    ]);
    const { desired, diagnostics } = loadPolicy(r.text, 'p.yml', { now: NOW, mode: 'plan' });
    expect(diagnostics).toEqual([]);
    expect(desired?.accounts[1]?.voice.inherit).toBe(true);
  });
});
