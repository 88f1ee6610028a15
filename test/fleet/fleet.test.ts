// Discovery and templates against the fake fleet: the path the CLI and the action take (discover, govern,
// read, plan), with the policy loaded from YAML so the templates are the ones a user writes.
import { describe, expect, it } from 'vitest';
import { guardAndApply } from '../../src/apply/guard-and-apply.js';
import { discoverSubaccounts } from '../../src/live/discover.js';
import { readLiveState } from '../../src/live/read.js';
import type { DesiredState } from '../../src/model/desired.js';
import { driftDetected, driftStateKeys, frameDrift } from '../../src/plan/drift.js';
import { buildFleetPlan } from '../../src/plan/fleet-plan.js';
import { globMatches, governFleet } from '../../src/plan/fleet.js';
import { markerKey } from '../../src/plan/cells.js';
import { renderReport } from '../../src/report/index.js';
import {
  fakeAccount,
  fakeFleet,
  fakeGateway,
  sid,
  writeCalls,
  type FakeFleet,
} from '../support/fake-account-client.js';
import { load, yaml } from '../support/policy-helpers.js';

const PARENT = sid(1);

function policy(...extra: string[]): DesiredState {
  const { desired, diagnostics } = load(
    yaml(
      'version: 1',
      'accounts:',
      '  production:',
      `    sid: ${PARENT}`,
      '    voice: {low_risk: [US]}',
      ...extra,
    ),
    'plan',
  );
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return desired!;
}

async function fleetPlan(desired: DesiredState, fleet: FakeFleet) {
  const gateway = fakeGateway(fleet);
  const governed = governFleet(desired, await discoverSubaccounts(gateway, desired, { concurrency: 4 }));
  const live = await readLiveState(gateway, { accounts: governed.reads }, { concurrency: 4 });
  return { governed, plan: buildFleetPlan(governed, live), gateway };
}

const noEvents = { bySid: {}, errors: [], lookbackDays: 30 };

/** A parent, one declared subaccount, and one nobody declared with toll-fraud open to CU, SO and LV. */
function strayFleet() {
  const countries = ['US', 'GB', 'CU', 'SO', 'LV'];
  return fakeFleet([
    fakeAccount(1, { name: 'production', countries, voice: { US: { low_risk: true } } }),
    fakeAccount(2, { name: 'support', parent: 1, countries, voice: { US: { low_risk: true } } }),
    fakeAccount(3, {
      name: 'signup-7731',
      parent: 1,
      countries,
      voice: Object.fromEntries(
        ['CU', 'SO', 'LV'].map((c) => [c, { low_risk: true, high_risk_tollfraud: true }]),
      ),
      messaging: { GB: true },
    }),
  ]);
}

const supportAccount = [
  '  support:',
  `    sid: ${sid(2)}`,
  '    parent: production',
  '    voice: {low_risk: [US]}',
];

describe('subaccount discovery', () => {
  it('an unmanaged subaccount with toll-fraud open to CU, SO, LV is critical in plan and drift, never written', async () => {
    const fleet = strayFleet();
    const desired = policy(...supportAccount);
    const { plan, gateway } = await fleetPlan(desired, fleet);
    expect(plan.accounts.map((a) => a.account)).toEqual(['production', 'support']);
    expect(plan.summary.changes).toBe(0);
    const [stray] = plan.fleet!.unmanaged;
    expect(stray).toMatchObject({
      friendlyName: 'signup-7731',
      sid: sid(3),
      parent: 'production',
    });
    expect(stray!.exposure.opensByRisk).toMatchObject({ critical: 3, medium: 4 });
    expect(stray!.open[0]).toMatchObject({
      risk: 'critical',
      category: 'voice.high_risk_tollfraud',
      direction: 'opens',
    });
    expect(
      stray!.open
        .filter((c) => c.risk === 'critical')
        .map((c) => c.country)
        .sort(),
    ).toEqual(['CU', 'LV', 'SO']);

    const text = renderReport('plan', 'text', plan);
    expect(text.split('\n')[0]).toContain('1 unmanaged subaccount (1 with critical exposure), never written');
    expect(text).toMatch(/critical +voice high-risk toll-fraud .*Cuba.*signup-7731/);
    const markdown = renderReport('plan', 'markdown', plan);
    expect(markdown).toContain('### Unmanaged subaccounts (1)');
    expect(markdown).toContain(`signup-7731 \`${sid(3)}\``);

    const drift = frameDrift(plan, noEvents, desired.guards);
    expect(drift.items).toEqual([]);
    expect(driftDetected(drift)).toBe(true);
    expect(drift.complete).toBe(true);
    expect(driftStateKeys(drift, markerKey)).toEqual([`unmanaged:${sid(3)}`]);
    const driftText = renderReport('drift', 'text', drift);
    expect(driftText.split('\n')[0]).toMatch(/^Drift: .*1 unmanaged subaccount \(1 with critical exposure\)/);
    expect(renderReport('drift', 'markdown', drift)).toContain('🔴 critical');
    expect(JSON.parse(renderReport('drift', 'json', drift)).fleet.unmanaged[0].sid).toBe(sid(3));

    // Apply writes only what the plan holds: never the unmanaged subaccount.
    const outcome = await guardAndApply({
      plan,
      desired,
      gateway,
      guards: { maxChangesOverride: null, allowHighRisk: false, surface: 'cli' },
      apply: { concurrency: 1, readBack: { attempts: 1, delayMs: 0 }, sleep: async () => {} },
    });
    expect(outcome.status).toBe('applied');
    expect(writeCalls(fleet).filter((c) => c.sid === sid(3))).toEqual([]);
  });

  it('lists active and suspended subaccounts; a suspended one is reported, never read or written', async () => {
    const fleet = strayFleet();
    fleet.accounts[sid(3)]!.identity.status = 'suspended';
    const closed = fakeAccount(4, { name: 'gone', parent: 1 });
    closed.identity.status = 'closed';
    fleet.accounts[sid(4)] = closed;
    const { plan } = await fleetPlan(policy(...supportAccount), fleet);
    expect(fleet.calls.find((c) => c.op === 'accounts.list')?.detail).toEqual(['active', 'suspended']);
    expect(plan.fleet!.unmanaged).toEqual([]);
    expect(plan.fleet!.suspended).toEqual([
      { friendlyName: 'signup-7731', sid: sid(3), parent: 'production', fleet: null },
    ]);
    expect(fleet.calls.filter((c) => c.sid === sid(3))).toEqual([]);
    const text = renderReport('plan', 'text', plan);
    expect(text.split('\n')[0]).toContain('1 suspended subaccount, never read or written');
    expect(text).toContain(`signup-7731 ${sid(3)} (subaccount of production, unmanaged)`);
    // Suspended is not drift: nothing can be read or changed there.
    const drift = frameDrift(plan, noEvents, policy(...supportAccount).guards);
    expect(driftDetected(drift)).toBe(false);
  });

  it('credentials that cannot list accounts make discovery say so, naming the parent', async () => {
    const fleet = strayFleet();
    fleet.faults.cannotListAccounts = [PARENT];
    const desired = policy(...supportAccount);
    const { plan } = await fleetPlan(desired, fleet);
    expect(plan.fleet!.parents).toEqual([
      {
        parent: 'production',
        sid: PARENT,
        subaccounts: null,
        error: expect.stringMatching(/Standard and Restricted/),
        refused: true,
      },
    ]);
    const text = renderReport('plan', 'text', plan);
    expect(text.split('\n')[0]).toContain('subaccounts of 1 parent not listed');
    expect(text).toContain(
      `Subaccounts of production ${PARENT} were not listed, so unmanaged subaccounts there cannot be seen`,
    );
    expect(renderReport('plan', 'markdown', plan)).toContain('> [!WARNING]');
    // Without templates the scan still covers every declared account.
    expect(frameDrift(plan, noEvents, desired.guards).complete).toBe(true);
  });

  it('a listing that fails for another reason than the key type leaves the scan incomplete', async () => {
    const fleet = strayFleet();
    fleet.faults.accountsListFails = [PARENT];
    const desired = policy(...supportAccount);
    const { plan } = await fleetPlan(desired, fleet);
    expect(plan.fleet!.parents[0]!.error).toMatch(/503/);
    // The unmanaged subaccounts could not be seen: such a scan must never close a drift issue.
    expect(frameDrift(plan, noEvents, desired.guards).complete).toBe(false);
  });

  it('a policy naming only the parent still looks for its subaccounts', async () => {
    const fleet = strayFleet();
    const desired = policy();
    const { plan } = await fleetPlan(desired, fleet);
    expect(plan.fleet!.unmanaged.map((u) => u.friendlyName).sort()).toEqual(['signup-7731', 'support']);
    expect(driftDetected(frameDrift(plan, noEvents, desired.guards))).toBe(true);
  });

  it('unmanaged: ignore lists nothing when no template needs it', async () => {
    const fleet = strayFleet();
    const { plan } = await fleetPlan(policy(...supportAccount, 'unmanaged: ignore'), fleet);
    expect(fleet.calls.filter((c) => c.op === 'accounts.list')).toEqual([]);
    expect(plan.fleet).toBeUndefined();
  });
});

/** A parent with `n` customer subaccounts cust-001…, each with DE low-risk open. */
function customers(n: number, extra: Parameters<typeof fakeAccount>[1][] = []) {
  return fakeFleet([
    fakeAccount(1, { name: 'production', voice: { US: { low_risk: true } } }),
    ...Array.from({ length: n }, (_, i) =>
      fakeAccount(i + 2, {
        name: `cust-${String(i + 1).padStart(3, '0')}`,
        parent: 1,
        voice: { DE: { low_risk: true } },
      }),
    ),
    ...extra.map((o, i) => fakeAccount(n + 2 + i, { parent: 1, ...o })),
  ]);
}

const TEMPLATE = [
  'fleets:',
  '  customers:',
  '    parent: production',
  '    match: "cust-*"',
  '    voice: {low_risk: [US]}',
];

describe('fleets: templates', () => {
  it('a template covers 50 subaccounts with a 10-line policy', async () => {
    const fleet = customers(50);
    const desired = policy(...TEMPLATE);
    const { plan } = await fleetPlan(desired, fleet);
    const members = plan.accounts.filter((a) => a.fleet === 'customers');
    expect(members).toHaveLength(50);
    expect(members[0]).toMatchObject({ account: 'cust-001', sid: sid(2), parent: 'production' });
    // Each member: US on, DE off.
    expect(plan.summary.changes).toBe(100);
    expect(plan.fleet).toMatchObject({
      templates: [{ name: 'customers', parent: 'production', members: 50 }],
      unmanaged: [],
    });
    const text = renderReport('plan', 'text', plan);
    expect(text).toContain(
      'Fleets: customers (50 subaccounts of production); unmanaged subaccounts: report.',
    );
    expect(text).toContain(`cust-001 (${sid(2)}, subaccount of production)`);
  });

  it('a template whose match covers no subaccount says so, and one that matches does not', async () => {
    const typo = TEMPLATE.map((l) => l.replace('"cust-*"', '"cust_*"'));
    const { plan } = await fleetPlan(policy(...typo), customers(3));
    expect(plan.warnings.map((w) => w.message)).toContain(
      'fleet "customers" matches no subaccount of production: check its match (and except) against the subaccounts\' friendly names',
    );
    const { plan: matched } = await fleetPlan(policy(...TEMPLATE), customers(3));
    expect(matched.warnings.some((w) => w.message.includes('matches no subaccount'))).toBe(false);
  });

  it('match: all with except; SIDs and globs both leave subaccounts out, which are then unmanaged', async () => {
    const fleet = customers(3, [{ name: 'internal-tools' }]);
    const { plan } = await fleetPlan(
      policy(
        'fleets:',
        '  everyone:',
        '    parent: production',
        '    match: all',
        `    except: ["internal-*", "${sid(3)}"]`,
        '    voice: {inherit: true}',
      ),
      fleet,
    );
    expect(plan.accounts.filter((a) => a.fleet).map((a) => a.account)).toEqual(['cust-001', 'cust-003']);
    expect(plan.fleet!.unmanaged.map((u) => u.friendlyName).sort()).toEqual(['cust-002', 'internal-tools']);
    expect(plan.accounts.find((a) => a.account === 'cust-001')!.changes.map((c) => c.category)).toEqual([
      'voice.inherit',
    ]);
  });

  it('an explicit account wins over a template that matches it', async () => {
    const fleet = customers(2);
    const { plan } = await fleetPlan(
      policy(
        '  vip:',
        `    sid: ${sid(2)}`,
        '    parent: production',
        '    voice: {low_risk: [DE]}',
        ...TEMPLATE,
      ),
      fleet,
    );
    const vip = plan.accounts.find((a) => a.sid === sid(2))!;
    expect(vip).toMatchObject({ account: 'vip', changes: [] });
    expect(vip.fleet).toBeUndefined();
    expect(plan.accounts.find((a) => a.sid === sid(3))).toMatchObject({
      account: 'cust-002',
      fleet: 'customers',
    });
  });

  it('a subaccount two templates match is an error naming both, and neither profile is written', async () => {
    const fleet = customers(2);
    const desired = policy(
      ...TEMPLATE,
      '  first:',
      '    parent: production',
      '    match: "cust-001"',
      '    voice: {low_risk: [DE]}',
    );
    const { plan } = await fleetPlan(desired, fleet);
    const conflicted = plan.accounts.find((a) => a.sid === sid(2))!;
    expect(conflicted.error).toMatch(/matched by the fleets "customers" \(line 7\) and "first" \(line 11\)/);
    expect(plan.fleet!.conflicts).toEqual([
      { friendlyName: 'cust-001', sid: sid(2), parent: 'production', fleets: ['customers', 'first'] },
    ]);
    expect(plan.summary.errors).toBe(1);
    expect(fleet.calls.filter((c) => c.sid === sid(2))).toEqual([]);
    expect(renderReport('plan', 'text', plan).split('\n')[0]).toContain('1 subaccount matched by two fleets');
  });

  it('a suspended member is reported, never read or written', async () => {
    const fleet = customers(2);
    fleet.accounts[sid(3)]!.identity.status = 'suspended';
    const { plan } = await fleetPlan(policy(...TEMPLATE), fleet);
    expect(plan.accounts.find((a) => a.sid === sid(3))).toBeUndefined();
    expect(plan.summary.errors).toBe(0);
    expect(plan.fleet!.suspended).toEqual([
      { friendlyName: 'cust-002', sid: sid(3), parent: 'production', fleet: 'customers' },
    ]);
    expect(fleet.calls.filter((c) => c.sid === sid(3))).toEqual([]);
  });

  it('a failed listing leaves the template uncovered: drift is incomplete', async () => {
    const fleet = customers(2);
    fleet.faults.cannotListAccounts = [PARENT];
    const desired = policy(...TEMPLATE);
    const { plan } = await fleetPlan(desired, fleet);
    expect(frameDrift(plan, noEvents, desired.guards).complete).toBe(false);
  });

  it("an apply while a template's parent could not be listed does not succeed: its members were not applied", async () => {
    const fleet = customers(2);
    fleet.faults.accountsListFails = [PARENT];
    // production gains GB: applied; the members (DE to close) were never seen.
    const lines = [
      'version: 1',
      'accounts:',
      '  production:',
      `    sid: ${PARENT}`,
      '    voice: {low_risk: [US, GB]}',
    ];
    const withGb = load(yaml(...lines, ...TEMPLATE), 'plan').desired!;
    const made = await fleetPlan(withGb, fleet);
    const apply = { concurrency: 1, readBack: { attempts: 1, delayMs: 0 }, sleep: async () => {} };
    const guards = { maxChangesOverride: null, allowHighRisk: false, surface: 'cli' as const };
    const outcome = await guardAndApply({ ...made, desired: made.governed.desired, guards, apply });
    expect(outcome.status).toBe('applied');
    if (outcome.status !== 'applied') return;
    expect(fleet.accounts[PARENT]!.voice.GB?.low_risk).toBe(true);
    expect(fleet.accounts[sid(2)]!.voice.DE!.low_risk).toBe(true);
    expect(outcome.result.ok).toBe(false);
    expect(outcome.result.accountErrors).toEqual([
      {
        account: 'production',
        sid: PARENT,
        message: expect.stringMatching(
          /^its subaccounts could not be listed, so the members of fleet customers were neither planned nor applied: .*503/,
        ),
      },
    ]);
  });

  it('unmanaged: {enforce: FLEET} applies the template to unmanaged subaccounts, under the guards', async () => {
    const fleet = customers(1, [{ name: 'stray', voice: { DE: { low_risk: true } } }]);
    const apply = { concurrency: 1, readBack: { attempts: 1, delayMs: 0 }, sleep: async () => {} };
    const guards = { maxChangesOverride: null, allowHighRisk: false, surface: 'cli' as const };

    const strict = policy('guards: {max_changes: 2}', ...TEMPLATE, 'unmanaged: {enforce: customers}');
    const refused = await fleetPlan(strict, fleet);
    expect(refused.plan.accounts.find((a) => a.account === 'stray')).toMatchObject({ fleet: 'customers' });
    expect(refused.governed.desired.accounts.find((a) => a.name === 'stray')!.fleet).toMatchObject({
      enforced: true,
    });
    expect(refused.plan.fleet!.unmanaged).toEqual([]);
    const outcome = await guardAndApply({ ...refused, desired: refused.governed.desired, guards, apply });
    expect(outcome.status).toBe('refused');
    expect(writeCalls(fleet)).toEqual([]);

    const open = policy(...TEMPLATE, 'unmanaged: {enforce: customers}');
    const made = await fleetPlan(open, fleet);
    const applied = await guardAndApply({ ...made, desired: made.governed.desired, guards, apply });
    expect(applied.status).toBe('applied');
    expect(fleet.accounts[sid(3)]!.voice.US!.low_risk).toBe(true);
    expect(fleet.accounts[sid(3)]!.voice.DE!.low_risk).toBe(false);
    expect((await fleetPlan(open, fleet)).plan.summary.changes).toBe(0);
  });

  it('globs: * and ? over the whole name, case-insensitive, other characters literal', () => {
    expect(globMatches('cust-*', 'CUST-12')).toBe(true);
    expect(globMatches('cust-?', 'cust-12')).toBe(false);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('*', '')).toBe(true);
  });
});
