// export of a templated fleet: subaccounts sharing a profile become one `fleets:` template, and planning
// the export against the same fleet (through discovery, as plan does) is empty.
import { describe, expect, it } from 'vitest';
import { discoverSubaccounts } from '../../src/live/discover.js';
import { readLiveState } from '../../src/live/read.js';
import { buildFleetPlan } from '../../src/plan/fleet-plan.js';
import { governFleet } from '../../src/plan/fleet.js';
import { exportPolicy } from '../../src/policy/export.js';
import { loadPolicy } from '../../src/policy/load.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  sid,
} from '../support/fake-account-client.js';

describe('export of a fleet', () => {
  it('writes a template for subaccounts sharing a profile, keeps the others explicit, and round-trips to an empty plan', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { name: 'production', voice: { US: { low_risk: true }, GB: { low_risk: true } } }),
      ...Array.from({ length: 20 }, (_, i) =>
        fakeAccount(i + 2, { name: `cust-${i + 1}`, parent: 1, inheritance: true, messaging: { US: true } }),
      ),
      fakeAccount(30, { name: 'vip', parent: 1, voice: { DE: { low_risk: true } }, messaging: { DE: true } }),
    ]);
    const gateway = fakeGateway(fleet);
    const targets = [1, ...Array.from({ length: 20 }, (_, i) => i + 2), 30].map((n) =>
      desiredAccount(n, n === 1 ? {} : { parent: { name: 'production', n: 1 } }),
    );
    const live = await readLiveState(gateway, desiredState(targets), { concurrency: 4 });
    const text = exportPolicy(live, {}, [], new Set([sid(1)]));
    expect(text).toContain(
      [
        'fleets:',
        '  # 20 subaccounts of production share this profile; new subaccounts of production get it too',
        '  production-subaccounts:',
        '    parent: production',
        '    match: all',
        '    voice:',
        '      inherit: true',
        '    messaging: [US]',
      ].join('\n'),
    );
    expect(text).toContain('  vip:\n    sid: AC00000000000000000000000000000030\n    parent: production');
    expect(text).not.toContain('cust-1:');
    expect(text.split('\n').length).toBeLessThan(30);

    const { desired, diagnostics } = loadPolicy(text, 'exported.yml', { now: new Date(), mode: 'plan' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const governed = governFleet(desired!, await discoverSubaccounts(gateway, desired!, { concurrency: 4 }));
    const plan = buildFleetPlan(
      governed,
      await readLiveState(gateway, { accounts: governed.reads }, { concurrency: 4 }),
    );
    expect(plan.summary).toMatchObject({ accounts: 22, changes: 0, errors: 0 });
    expect(plan.fleet).toMatchObject({ unmanaged: [], conflicts: [], templates: [{ members: 20 }] });
  });
});

/** A fleet of one parent and `subs`, read as a fresh export reads it; `exportPolicy` on it, then its plan. */
async function exportAndPlan(
  subs: Parameters<typeof fakeAccount>[1][],
  parentVoice: NonNullable<Parameters<typeof fakeAccount>[1]>['voice'] = { US: { low_risk: true } },
) {
  const fleet = fakeFleet([
    fakeAccount(1, { name: 'production', voice: parentVoice }),
    ...subs.map((opts, i) => fakeAccount(i + 2, { parent: 1, ...opts })),
  ]);
  const gateway = fakeGateway(fleet);
  const targets = [1, ...subs.map((_, i) => i + 2)].map((n) =>
    desiredAccount(n, n === 1 ? {} : { parent: { name: 'production', n: 1 } }),
  );
  const live = await readLiveState(gateway, desiredState(targets), { concurrency: 4 });
  const text = exportPolicy(live, {}, [], new Set([sid(1)]));
  const { desired, diagnostics } = loadPolicy(text, 'exported.yml', { now: new Date(), mode: 'plan' });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const governed = governFleet(desired!, await discoverSubaccounts(gateway, desired!, { concurrency: 4 }));
  const plan = buildFleetPlan(
    governed,
    await readLiveState(gateway, { accounts: governed.reads }, { concurrency: 4 }),
  );
  expect(plan.summary).toMatchObject({ changes: 0, errors: 0 });
  return { text, desired: desired!, plan };
}

const tollFraud = (codes: string[]) =>
  Object.fromEntries(codes.map((c) => [c, { low_risk: true, high_risk_tollfraud: true }]));

describe('export never makes high-risk voice a default', () => {
  it('leaves toll-fraud most accounts share on those accounts, not in defaults', async () => {
    const { text, desired } = await exportAndPlan([
      { name: 'a', voice: tollFraud(['DE']) },
      { name: 'b', voice: tollFraud(['DE']) },
      { name: 'c', voice: { DE: { low_risk: true } } },
    ]);
    const defaults = text.slice(text.indexOf('defaults:'), text.indexOf('accounts:'));
    expect(defaults).not.toContain('high_risk');
    expect(text.match(/high_risk_tollfraud: \[DE\]/g)).toHaveLength(2);
    // An account added later with no voice lists of its own gets no toll-fraud from the defaults.
    const c = desired.accounts.find((a) => a.name === 'c')!;
    expect(c.voice).toMatchObject({ inherit: false, high_risk_tollfraud: {}, high_risk_special: {} });
  });

  it('writes high-risk voice as codes, never through a group', async () => {
    const wide = ['DE', 'BR', 'NG'];
    const { text } = await exportAndPlan([
      { name: 'a', voice: tollFraud(wide) },
      { name: 'b', voice: tollFraud(wide) },
      { name: 'c', voice: { US: { low_risk: true } } },
      { name: 'd', voice: { US: { low_risk: true } } },
    ]);
    // The low-risk list a and b repeat is a group; their toll-fraud, the same codes, reads in place.
    expect(text).toContain('groups:\n  a-low-risk: [BR, DE, NG]\n');
    expect(text.match(/low_risk: \[a-low-risk\]/g)).toHaveLength(2);
    expect(text.match(/high_risk_tollfraud: \[BR, DE, NG\]/g)).toHaveLength(2);
  });

  it('puts high-risk voice in a template only when every subaccount of the parent has it, with a comment', async () => {
    const everyone = await exportAndPlan(
      Array.from({ length: 4 }, (_, i) => ({ name: `cust-${i}`, voice: tollFraud(['DE']) })),
    );
    expect(everyone.text).toContain(
      [
        '  # high-risk voice: every subaccount of production has voice.high_risk_tollfraud DE open, and new subaccounts of production get it too; remove it here if that is not meant',
        '  production-subaccounts:',
      ].join('\n'),
    );
    expect(everyone.text).toContain('      high_risk_tollfraud: [DE]');

    // Every subaccount inherits a parent with toll-fraud: a template of inherit: true hands it on too.
    const inheriting = await exportAndPlan(
      Array.from({ length: 3 }, (_, i) => ({ name: `cust-${i}`, inheritance: true })),
      tollFraud(['NG']),
    );
    expect(inheriting.text).toContain(
      [
        '  # high-risk voice: every subaccount of production inherits voice.high_risk_tollfraud NG from production, and new subaccounts of production get it too; remove inherit: true here if that is not meant',
        '  production-subaccounts:',
        '    parent: production',
        '    match: all',
        '    voice:',
        '      inherit: true',
      ].join('\n'),
    );

    // Most share toll-fraud, one does not: the template is the safe profile, the toll-fraud stays explicit.
    const most = await exportAndPlan([
      ...Array.from({ length: 4 }, (_, i) => ({ name: `cust-${i}`, voice: tollFraud(['DE']) })),
      ...Array.from({ length: 3 }, (_, i) => ({ name: `safe-${i}`, voice: { DE: { low_risk: true } } })),
    ]);
    const fleets = most.text.slice(most.text.indexOf('fleets:'));
    expect(fleets).not.toContain('high_risk_tollfraud: [DE]');
    expect(most.text.match(/^ {2}cust-\d:$/gm)).toHaveLength(4);
    expect(most.text).not.toMatch(/^ {2}safe-\d:$/m);
  });
});

describe('export of subaccounts with differing profiles', () => {
  it('makes the common profile the template and the others explicit entries, which win over it', async () => {
    const { text, plan } = await exportAndPlan([
      ...Array.from({ length: 5 }, (_, i) => ({ name: `cust-${i}`, messaging: { US: true } })),
      { name: 'eu-1', voice: { DE: { low_risk: true } }, messaging: { DE: true } },
      { name: 'eu-2', voice: { DE: { low_risk: true } }, messaging: { DE: true } },
      { name: 'odd', inheritance: true },
    ]);
    expect(text).toContain('  production-subaccounts:\n    parent: production\n    match: all\n');
    for (const name of ['eu-1', 'eu-2', 'odd']) expect(text).toMatch(new RegExp(`^ {2}${name}:$`, 'm'));
    expect(text).not.toMatch(/^ {2}cust-\d:$/m);
    expect(plan.fleet).toMatchObject({ unmanaged: [], conflicts: [], templates: [{ members: 5 }] });
    const explicit = plan.accounts.filter((a) => a.fleet === undefined).map((a) => a.account);
    expect(explicit.sort()).toEqual(['eu-1', 'eu-2', 'odd', 'production']);
  });
});
