// updatePolicy with what discovery found (plan/fleet.ts governFleet): template members that differ,
// unmanaged, suspended and conflicted subaccounts, parents not listed, and the closing comment.
import { describe, expect, it } from 'vitest';
import type { AccountIdentity, LiveAccount, LiveRead } from '../../src/model/live.js';
import { governFleet } from '../../src/plan/fleet.js';
import type { FleetExport } from '../../src/policy/export-fleet.js';
import { updatePolicy } from '../../src/policy/export-update.js';
import { MAX_POLICY_BYTES } from '../../src/model/limits.js';
import { loadPolicy } from '../../src/policy/load.js';
import { OFF, sid } from '../support/fake-account-client.js';

const NOW = new Date('2027-06-01T00:00:00Z');

/** A live subaccount of sid(1) (or the parent itself for n = 1) with `low` low-risk voice codes open. */
function live(n: number, friendlyName: string, low: string[], tollFraud: string[] = []): LiveAccount {
  return {
    identity: {
      sid: sid(n),
      friendlyName,
      type: 'Full',
      status: 'active',
      ownerAccountSid: n === 1 ? null : sid(1),
    },
    voiceInheritance: n === 1 ? null : false,
    voice: Object.fromEntries(
      ['US', 'GB', 'DE', 'IR', 'CU'].map((iso) => [
        iso,
        {
          iso,
          name: iso,
          continent: null,
          callingCodes: [],
          ...OFF,
          low_risk: low.includes(iso),
          high_risk_tollfraud: tollFraud.includes(iso),
        },
      ]),
    ),
    messaging: {},
  };
}

const subaccount = (account: LiveAccount, status = 'active'): AccountIdentity => ({
  ...account.identity,
  status,
});

/** Export of `text` onto the live accounts, the subaccounts of sid(1) discovered as `listed`. */
function exportOnto(
  text: string,
  accounts: LiveAccount[],
  opts: { listed?: AccountIdentity[]; adopt?: boolean; unlisted?: string } = {},
) {
  const { desired, diagnostics } = loadPolicy(text, 'p.yml', { now: NOW, mode: 'plan' });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const governed = governFleet(desired!, {
    parents: [
      {
        parent: 'prod',
        sid: sid(1),
        subaccounts: opts.unlisted ? null : (opts.listed ?? accounts.slice(1).map((a) => subaccount(a))),
        error: opts.unlisted ?? null,
      },
    ],
  });
  const state: LiveRead = {
    accounts: Object.fromEntries(
      accounts
        .filter((a) => governed.reads.some((r) => r.sid === a.identity.sid))
        .map((a) => [a.identity.sid, a]),
    ),
    errors: [],
  };
  const fleet: FleetExport = {
    members: governed.desired.accounts.filter((a) => a.fleet),
    unmanaged: governed.unmanaged,
    suspended: governed.suspended,
    conflicts: governed.conflicts,
    unlisted: opts.unlisted ? [{ parent: 'prod', sid: sid(1), error: opts.unlisted }] : [],
    adopt: opts.adopt ?? false,
  };
  return updatePolicy(text, 'p.yml', desired!, state, NOW, fleet);
}

const policy = (rest: string) => `version: 1
guards:
  never_enable: [IR]
accounts:
  prod:
    sid: ${sid(1)}
    voice: {low_risk: [US]}
    messaging: []
${rest}`;

const TEMPLATE = `fleets:
  customers:
    parent: prod
    match: "cust-*"
    voice: {low_risk: [DE]}
    messaging: []
`;

describe('export onto a policy with fleets', () => {
  const parent = live(1, 'prod', ['US']);

  it('says members that differ the same way in one line, naming five and counting the rest', () => {
    const members = Array.from({ length: 7 }, (_, i) => live(i + 2, `cust-${i + 1}`, ['DE', 'GB']));
    const r = exportOnto(policy(TEMPLATE), [parent, ...members, live(20, 'cust-20', ['DE'])]);
    expect(r.changes).toEqual([]);
    expect(r.notes).toEqual([
      `fleets.customers: 7 members differ from the template live the same way (voice.low_risk: GB open live): cust-1 (${sid(2)}), cust-2 (${sid(3)}), cust-3 (${sid(4)}), cust-4 (${sid(5)}), cust-5 (${sid(6)}) and 2 more; the plan sets them back to the template (--adopt gives each its own entry under accounts:)`,
    ]);
    expect(r.text).not.toMatch(/^ {2}cust-\d+:/m);
  });

  it('adopts an unmanaged subaccount without the countries guards.never_enable forbids, and says so', () => {
    const stray = live(9, 'signup 1', ['US', 'IR'], ['CU']);
    const r = exportOnto(policy(''), [parent, stray], { adopt: true });
    expect(r.changes).toEqual([
      'accounts.signup-1 (new; was unmanaged): added as live; it opens high-risk voice: voice.high_risk_tollfraud CU; left out IR, open live but in guards.never_enable: plan will disable it',
    ]);
    const { desired, diagnostics } = loadPolicy(r.text, 'p.yml', { now: NOW, mode: 'validate' });
    expect(diagnostics).toEqual([]);
    const adopted = desired!.accounts.find((a) => a.name === 'signup-1')!;
    expect(adopted).toMatchObject({ sid: sid(9), parent: 'prod' });
    const voice = adopted.voice as Record<'low_risk' | 'high_risk_tollfraud', object>;
    expect([Object.keys(voice.low_risk), Object.keys(voice.high_risk_tollfraud)]).toEqual([['US'], ['CU']]);
  });

  it('ends an adoption with one line counting the entries and naming those that open high-risk voice', () => {
    const strays = Array.from({ length: 8 }, (_, i) =>
      live(i + 2, `s-${i}`, ['US'], i % 3 === 0 ? ['CU'] : []),
    );
    const members = [live(20, 'cust-1', ['DE', 'GB']), live(21, 'cust-2', ['DE'], ['CU'])];
    const r = exportOnto(policy(TEMPLATE), [parent, ...strays, ...members], { adopt: true });
    expect(r.changes).toHaveLength(10);
    expect(r.notes.at(-1)).toBe(
      `--adopt: 10 entries added as live (2 template members that differed, 8 unmanaged subaccounts); 4 of them open high-risk voice, now policy: cust-2 (${sid(21)}), s-0 (${sid(2)}), s-3 (${sid(5)}), s-6 (${sid(8)})`,
    );
  });

  it('never writes messaging to a country Twilio does not support (a policy naming CU is invalid)', () => {
    const stray = {
      ...live(9, 'stray', ['US']),
      messaging: {
        CU: { iso: 'CU', enabled: true, prefix: null, message: null },
        US: { iso: 'US', enabled: true, prefix: null, message: null },
      },
    };
    const onto = policy('').replace('    messaging: []\n', '    messaging: [US]\n');
    const prodWithCu = { ...parent, messaging: stray.messaging };
    const said =
      'messaging open live to CU, which Twilio does not support: no policy can list it (plan lists turning it off as a Console step)';
    const edited = exportOnto(onto, [prodWithCu]);
    expect(edited.text.endsWith(`\n${onto}`)).toBe(true); // after the schema modeline, unchanged
    expect(edited.changes).toEqual([`accounts.prod: ${said}`]);
    const adopted = exportOnto(onto, [parent, stray], { adopt: true });
    expect(loadPolicy(adopted.text, 'p.yml', { now: NOW, mode: 'validate' }).diagnostics).toEqual([]);
    expect(adopted.text).toContain(`    messaging: [US]\n    # ${said}\n`);
  });

  it("says nothing left out of an inheriting subaccount's voice: it is its parent's, not written here", () => {
    const inheriting = { ...live(9, 'kid', ['US', 'IR']), voiceInheritance: true };
    const r = exportOnto(policy(''), [parent, inheriting], { adopt: true });
    expect(r.changes).toEqual(['accounts.kid (new; was unmanaged): added as live']);
    expect(r.text).toContain(
      '  kid:\n    sid: ' + sid(9) + '\n    parent: prod\n    voice:\n      inherit: true\n',
    );
  });

  it('gives adopted entries names no account has: the friendly name, then -2, -3', () => {
    const r = exportOnto(policy(''), [parent, live(8, 'Prod', ['US']), live(9, 'prod', ['US'])], {
      adopt: true,
    });
    expect(r.changes.map((c) => c.split(' ')[0])).toEqual(['accounts.prod-2', 'accounts.prod-3']);
    expect(loadPolicy(r.text, 'p.yml', { now: NOW, mode: 'validate' }).diagnostics).toEqual([]);
  });

  it('keeps a hostile friendly name on one comment line, so it cannot write YAML into the policy', () => {
    const stray = live(9, 'evil\nversion: 2\r\u202e', ['US']);
    const r = exportOnto(policy(''), [parent, stray]);
    expect(r.text).toContain(
      `#   evil\\nversion: 2\\r\\u202e ${sid(9)} (subaccount of prod): voice.low_risk: US`,
    );
    expect(r.text).not.toMatch(/^version: 2/m);
    expect(loadPolicy(r.text, 'p.yml', { now: NOW, mode: 'validate' }).diagnostics).toEqual([]);
  });

  it('names at most 100 unmanaged subaccounts in the closing comment, toll-fraud first, so 10,000 still load', () => {
    const name = (i: number) => `signup-${String(i).padStart(5, '0')}-${'x'.repeat(50)}`;
    const strays = Array.from({ length: 10_000 }, (_, i) =>
      live(i + 2, name(i), ['US', 'GB', 'DE'], i === 9_000 ? ['CU'] : []),
    );
    const r = exportOnto(policy(''), [parent, ...strays]);
    expect(Buffer.byteLength(r.text)).toBeLessThan(MAX_POLICY_BYTES / 10);
    const named = r.text.split('\n').filter((l) => l.startsWith('#   signup-'));
    expect(named).toHaveLength(100);
    expect(named[0]).toContain(
      `${name(9_000)} ${sid(9_002)} (subaccount of prod): voice.high_risk_tollfraud: CU`,
    );
    expect(r.text).toContain(
      '#   and 9900 more unmanaged subaccounts, not named here: geo-permissions plan lists every one with what it has open\n',
    );
    expect(loadPolicy(r.text, 'p.yml', { now: NOW, mode: 'validate' }).diagnostics).toEqual([]);
  });

  it("replaces its own closing comment, keeps the user's, and removes it when nothing is left to list", () => {
    const stray = live(9, 'stray', ['US']);
    const first = exportOnto(policy('# kept: the owner of prod is ops\n'), [parent, stray]);
    expect(first.text.match(/geo-permissions export: subaccounts with no entry/g)).toHaveLength(1);
    const again = exportOnto(first.text, [parent, stray]);
    expect(again.text).toBe(first.text);
    const gone = exportOnto(first.text, [parent]);
    expect(gone.text).not.toContain('geo-permissions export');
    expect(gone.text).toContain('# kept: the owner of prod is ops');
    expect(gone.notes).toEqual([]);
  });

  it('replaces its closing comment in a file with CRLF line ends too (git autocrlf checks one out so)', () => {
    const stray = live(9, 'stray', ['US']);
    const first = exportOnto(policy('# kept: the owner of prod is ops\n'), [parent, stray]);
    const again = exportOnto(first.text.replace(/\n/g, '\r\n'), [parent, stray]);
    expect(again.text.match(/geo-permissions export: subaccounts with no entry/g)).toHaveLength(1);
    expect(again.text).toBe(first.text.replace(/\n/g, '\r\n')); // and its line ends stay CRLF
  });

  it('says a subaccount two templates match, suspended ones, and a parent whose subaccounts were not listed', () => {
    const both = `${TEMPLATE}  everyone:
    parent: prod
    match: all
    messaging: []
`;
    const r = exportOnto(policy(both), [parent, live(2, 'cust-1', ['DE'])], {
      listed: [subaccount(live(2, 'cust-1', ['DE'])), subaccount(live(3, 'gone', []), 'suspended')],
    });
    expect(r.notes).toEqual([
      `fleets: cust-1 (${sid(2)}, subaccount of prod) is matched by the fleets "customers" and "everyone", so neither applies and it was not exported: narrow a match or add an except`,
      `suspended: gone (${sid(3)}, subaccount of prod, fleets.everyone) was not read (Twilio refuses every request of a suspended account)`,
    ]);
    const unlisted = exportOnto(policy(TEMPLATE), [parent], { unlisted: 'HTTP 401 (Twilio 20003)' });
    expect(unlisted.notes).toEqual([
      `fleets: the subaccounts of prod (${sid(1)}) were not listed (HTTP 401 (Twilio 20003)), so its template members and unmanaged subaccounts were not exported`,
    ]);
  });
});
