import { describe, expect, it } from 'vitest';
import { allCountries, countriesOnContinent } from '../../src/catalog/index.js';
import { readLiveState } from '../../src/live/read.js';
import { exportPolicy } from '../../src/policy/export.js';
import { buildPlan } from '../../src/plan/build.js';
import { loadPolicy } from '../../src/policy/load.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
} from '../support/fake-account-client.js';

const ALL = allCountries().map((c) => c.iso);
const EUROPE = countriesOnContinent('EUROPE');
const on = (codes: string[]) => Object.fromEntries(codes.map((c) => [c, { low_risk: true }]));

describe('exportPolicy', () => {
  it('writes defaults, continents, groups and inherit: true, and planning it against the same state is empty', async () => {
    const voice = on([...EUROPE, 'US']);
    const messaging = Object.fromEntries(['US', 'CA', 'GB'].map((c) => [c, true]));
    const fleet = fakeFleet([
      fakeAccount(1, { name: 'Production', countries: ALL, voice, messaging }),
      fakeAccount(2, {
        name: 'EU Support',
        parent: 1,
        countries: ALL,
        voice: on(['US', 'CA', 'GB', 'DE', 'FR']),
        messaging,
      }),
      fakeAccount(3, {
        name: 'Sandbox',
        parent: 1,
        countries: ALL,
        inheritance: true,
        messaging: { US: true },
      }),
      fakeAccount(4, { name: 'Other', countries: ALL, voice, messaging: { US: true, CA: true, DE: true } }),
      fakeAccount(5, {
        name: 'Other',
        countries: ALL,
        voice: on(['US', 'CA', 'GB', 'DE', 'FR']),
        messaging: {},
      }),
    ]);
    const targets = [1, 2, 3, 4, 5].map((n) =>
      desiredAccount(n, n === 2 || n === 3 ? { parent: { name: 'production', n: 1 } } : {}),
    );
    const live = await readLiveState(fakeGateway(fleet), desiredState(targets), { concurrency: 2 });
    const text = exportPolicy(live);
    expect(text).toContain('    low_risk: [continent:EUROPE, US]'); // the shared default
    expect(text).toContain('  messaging: [CA, GB, US]');
    expect(text).toMatch(/groups:\n {2}eu-support-low-risk: \[CA, DE, FR, GB, US\]/);
    expect(text).toContain(
      '  sandbox:\n    sid: AC00000000000000000000000000000003\n    parent: production\n    voice:\n      inherit: true',
    );
    expect(text).toContain('  other-2:');
    expect(text).toContain('    messaging: []');

    const { desired, diagnostics } = loadPolicy(text, 'exported.yml', { now: new Date(), mode: 'plan' });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = buildPlan(desired!, live);
    expect(plan.summary).toMatchObject({ changes: 0, errors: 0 });
  });
});
