import { describe, expect, it } from 'vitest';
import { checkGuards } from '../../src/plan/guards.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  planAgainst,
} from '../support/fake-account-client.js';

async function guardsOf(
  desired: ReturnType<typeof desiredState>,
  fleet: ReturnType<typeof fakeFleet>,
  options = { maxChangesOverride: null as number | null, allowHighRisk: false },
) {
  return checkGuards(await planAgainst(desired, fleet), desired, options);
}

describe('checkGuards', () => {
  it('max_changes names the number and the exact override; --max-changes N and --force pass', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { low: ['US', 'CA', 'GB'] })], { maxChanges: 2 });
    const [refusal, ...rest] = await guardsOf(desired, fleet);
    expect(rest).toEqual([]);
    expect(refusal!.guard).toBe('max_changes');
    expect(refusal!.message).toContain(
      'writes 3 cells, over guards.max_changes = 2 (geo-permissions.yml:3:1)',
    );
    expect(refusal!.message).toContain('--max-changes 3');
    expect(refusal!.message).toContain('max-changes: 3');
    expect(refusal!.cells).toHaveLength(3);
    expect(await guardsOf(desired, fleet, { maxChangesOverride: 3, allowHighRisk: false })).toEqual([]);
    expect(await guardsOf(desired, fleet, { maxChangesOverride: Infinity, allowHighRisk: false })).toEqual(
      [],
    );
    const tighter = await guardsOf(desired, fleet, { maxChangesOverride: 1, allowHighRisk: false });
    expect(tighter[0]!.message).toContain('over the --max-changes override of 1');
  });

  it('never_disable refuses a disable of a protected country in any category and says to edit the policy', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { US: { low_risk: true } }, messaging: { US: true } })]);
    const desired = desiredState([desiredAccount(1)], { neverDisable: ['US'] });
    const refusals = await guardsOf(desired, fleet, { maxChangesOverride: Infinity, allowHighRisk: true });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.guard).toBe('never_disable');
    expect(refusals[0]!.cells.map((c) => c.category).sort()).toEqual(['messaging', 'voice.low_risk']);
    expect(refusals[0]!.message).toContain('remove US from guards.never_disable');
    expect(refusals[0]!.message).toContain('geo-permissions.yml:4:1');
  });

  it('high_risk refuses toll-fraud and special enables unless --allow-high-risk', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { special: ['GB'], tollfraud: ['DE'], low: ['US'] })]);
    const refusals = await guardsOf(desired, fleet);
    expect(refusals.map((r) => r.guard)).toEqual(['high_risk']);
    expect(refusals[0]!.cells.map((c) => c.country)).toEqual(['DE', 'GB']);
    expect(refusals[0]!.message).toContain('--allow-high-risk');
    expect(refusals[0]!.message).toContain('allow-high-risk: true');
    expect(await guardsOf(desired, fleet, { maxChangesOverride: null, allowHighRisk: true })).toEqual([]);
  });

  it('trial_account refuses high-risk enables up front, even with --allow-high-risk', async () => {
    const fleet = fakeFleet([fakeAccount(1, { type: 'Trial' })]);
    const desired = desiredState([desiredAccount(1, { special: ['GB'], low: ['US'] })]);
    const refusals = await guardsOf(desired, fleet, { maxChangesOverride: null, allowHighRisk: true });
    expect(refusals.map((r) => r.guard)).toEqual(['trial_account']);
    expect(refusals[0]!.message).toContain('trial accounts can only enable low-risk');
    expect(refusals[0]!.cells).toEqual([
      expect.objectContaining({ country: 'GB', category: 'voice.high_risk_special' }),
    ]);
  });

  it('lets a plain low-risk plan through', async () => {
    const fleet = fakeFleet([fakeAccount(1, { type: 'Trial' })]);
    expect(
      await guardsOf(desiredState([desiredAccount(1, { low: ['US'] })], { maxChanges: 5 }), fleet),
    ).toEqual([]);
  });
});
