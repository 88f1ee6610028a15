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
    const text = exportPolicy(await readLiveState(gateway, desiredState(targets), { concurrency: 4 }));
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
