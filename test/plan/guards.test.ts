import { describe, expect, it } from 'vitest';
import { checkGuards } from '../../src/plan/guards.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  planAgainst,
  sid,
} from '../support/fake-account-client.js';

async function guardsOf(
  desired: ReturnType<typeof desiredState>,
  fleet: ReturnType<typeof fakeFleet>,
  options = { maxChangesOverride: null as number | null, allowHighRisk: false, surface: 'cli' as const },
) {
  return checkGuards(await planAgainst(desired, fleet), desired, options);
}

describe('checkGuards', () => {
  it('max_changes names the number and the exact override; --max-changes N and --force pass', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { low: ['US', 'DE', 'GB'] })], { maxChanges: 2 });
    const [refusal, ...rest] = await guardsOf(desired, fleet);
    expect(rest).toEqual([]);
    expect(refusal!.guard).toBe('max_changes');
    expect(refusal!.message).toContain(
      'changes 3 cells, over guards.max_changes = 2 (geo-permissions.yml:3:1)',
    );
    expect(refusal!.message).toContain('Raise guards.max_changes to 3 in the policy');
    expect(refusal!.message).toContain('--max-changes 3 or --force');
    expect(refusal!.message).not.toContain('input');
    const [inAction] = checkGuards(await planAgainst(desired, fleet), desired, {
      maxChangesOverride: null,
      allowHighRisk: false,
      surface: 'action',
    });
    // The action has no --force: its refusal names the policy edit and the input that exist.
    expect(inAction!.message).toContain('set the action input max-changes: 3 for one run');
    expect(inAction!.message).not.toMatch(/--force|--max-changes/);
    expect(refusal!.cells).toHaveLength(3);
    expect(
      await guardsOf(desired, fleet, {
        maxChangesOverride: 3,
        allowHighRisk: false,
        surface: 'cli' as const,
      }),
    ).toEqual([]);
    expect(
      await guardsOf(desired, fleet, {
        maxChangesOverride: Infinity,
        allowHighRisk: false,
        surface: 'cli' as const,
      }),
    ).toEqual([]);
    const tighter = await guardsOf(desired, fleet, {
      maxChangesOverride: 1,
      allowHighRisk: false,
      surface: 'cli' as const,
    });
    expect(tighter[0]!.message).toContain('over the --max-changes override of 1');
  });

  it('never_disable refuses a disable of a protected country in any category and says to edit the policy', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { US: { low_risk: true } }, messaging: { US: true } })]);
    const desired = desiredState([desiredAccount(1)], { neverDisable: ['US'] });
    const refusals = await guardsOf(desired, fleet, {
      maxChangesOverride: Infinity,
      allowHighRisk: true,
      surface: 'cli' as const,
    });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.guard).toBe('never_disable');
    expect(refusals[0]!.cells.map((c) => c.category).sort()).toEqual(['messaging', 'voice.low_risk']);
    expect(refusals[0]!.message).toContain('remove US from guards.never_disable');
    expect(refusals[0]!.message).toContain('geo-permissions.yml:4:1');
  });

  describe('never_disable across a voice inheritance change', () => {
    const parent = { name: 'account-1', n: 1 };
    const everything = { maxChangesOverride: Infinity, allowHighRisk: true, surface: 'cli' as const };

    it('refuses a join that switches off a protected country the parent does not enable', async () => {
      const fleet = fakeFleet([
        fakeAccount(1, { voice: { CA: { low_risk: true } } }),
        fakeAccount(2, { parent: 1, voice: { US: { low_risk: true, high_risk_special: true } } }),
      ]);
      const desired = desiredState(
        [desiredAccount(1, { low: ['CA'] }), desiredAccount(2, { parent, inherit: true })],
        { neverDisable: ['US'] },
      );
      const refusals = await guardsOf(desired, fleet, everything);
      expect(refusals).toEqual([
        {
          guard: 'never_disable',
          message:
            "account-2 joins voice inheritance (voice.inherit: true, geo-permissions.yml:22:1), which switches off US in voice.low_risk and voice.high_risk_special: it is enabled live on account-2, but account-1's voice lists do not enable it, and guards.never_disable protects US (geo-permissions.yml:4:1). No flag or input overrides this; add US to account-1's voice.low_risk and voice.high_risk_special, keep voice.inherit: false on account-2, or remove US from guards.never_disable in the same change.",
          cells: [{ account: 'account-2', sid: sid(2), category: 'voice.inherit', country: null }],
        },
      ]);
    });

    it('allows a join when the parent keeps the protected country on', async () => {
      const fleet = fakeFleet([
        fakeAccount(1, { voice: { US: { low_risk: true } } }),
        fakeAccount(2, { parent: 1, voice: { US: { low_risk: true }, GB: { low_risk: true } } }),
      ]);
      const desired = desiredState(
        [desiredAccount(1, { low: ['US'] }), desiredAccount(2, { parent, inherit: true })],
        { neverDisable: ['US'] },
      );
      const plan = await planAgainst(desired, fleet);
      // GB goes off on joining, but only US is protected.
      expect(plan.accounts[1]!.changes[0]!.inheritDisables).toEqual([
        { category: 'voice.low_risk', country: 'GB' },
      ]);
      expect(checkGuards(plan, desired, everything)).toEqual([]);
    });

    it('refuses a leave whose own lists lack a protected country the parent enables, and says how to keep it', async () => {
      const fleet = fakeFleet([
        fakeAccount(1, { voice: { US: { low_risk: true } } }),
        fakeAccount(2, { parent: 1, inheritance: true }),
      ]);
      const desired = desiredState(
        [desiredAccount(1, { low: ['US'] }), desiredAccount(2, { parent, low: ['CA'] })],
        { neverDisable: ['US'] },
      );
      const refusals = await guardsOf(desired, fleet, everything);
      expect(refusals).toEqual([
        {
          guard: 'never_disable',
          message:
            'the plan disables US, which guards.never_disable protects (geo-permissions.yml:4:1): account-2 voice.low_risk US. account-2 leaves voice inheritance (voice.inherit: false) without US in its own voice lists: add US to them, or keep voice.inherit: true. No flag or input overrides this; if it is intended, remove US from guards.never_disable in the same change.',
          cells: [{ account: 'account-2', sid: sid(2), category: 'voice.low_risk', country: 'US' }],
        },
      ]);
    });

    it('names every account that leaves without the country, in the plural, and counts only voice disables', async () => {
      const fleet = fakeFleet([
        fakeAccount(1, { voice: { US: { low_risk: true } } }),
        fakeAccount(2, { parent: 1, inheritance: true }),
        fakeAccount(3, { parent: 1, inheritance: true }),
        // Leaves too, keeps US in its own voice lists, and only its messaging disables US.
        fakeAccount(4, { parent: 1, inheritance: true, messaging: { US: true } }),
      ]);
      const desired = desiredState(
        [
          desiredAccount(1, { low: ['US'] }),
          desiredAccount(2, { parent, low: ['CA'] }),
          desiredAccount(3, { parent, low: ['CA'] }),
          desiredAccount(4, { parent, low: ['US'] }),
        ],
        { neverDisable: ['US'] },
      );
      const [refusal, ...rest] = await guardsOf(desired, fleet, everything);
      expect(rest).toEqual([]);
      expect(refusal!.message).toContain(
        ' account-2, account-3 leave voice inheritance (voice.inherit: false) without US in their own voice lists: add US to them, or keep voice.inherit: true.',
      );
      expect(refusal!.cells.map((c) => `${c.account} ${c.category}`)).toEqual([
        'account-2 voice.low_risk',
        'account-3 voice.low_risk',
        'account-4 messaging',
      ]);
    });

    it('names the one list a join switches a protected country off in', async () => {
      const fleet = fakeFleet([
        fakeAccount(1, { voice: { CA: { low_risk: true } } }),
        fakeAccount(2, { parent: 1, voice: { US: { low_risk: true } } }),
      ]);
      const desired = desiredState(
        [desiredAccount(1, { low: ['CA'] }), desiredAccount(2, { parent, inherit: true })],
        { neverDisable: ['US'] },
      );
      const [refusal] = await guardsOf(desired, fleet, everything);
      expect(refusal!.message).toContain('which switches off US in voice.low_risk: it is enabled live');
      expect(refusal!.message).toContain("add US to account-1's voice.low_risk, keep");
    });
  });

  it('high_risk refuses toll-fraud and special enables unless --allow-high-risk', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { special: ['GB'], tollfraud: ['DE'], low: ['US'] })]);
    const refusals = await guardsOf(desired, fleet);
    expect(refusals.map((r) => r.guard)).toEqual(['high_risk']);
    expect(refusals[0]!.cells.map((c) => c.country)).toEqual(['DE', 'GB']);
    expect(refusals[0]!.message).toContain('--allow-high-risk');
    expect(refusals[0]!.message).toContain('guards.allow_high_risk');
    expect(
      await guardsOf(desired, fleet, {
        maxChangesOverride: null,
        allowHighRisk: true,
        surface: 'cli' as const,
      }),
    ).toEqual([]);
  });

  it('lists ten cells in a refusal and counts the rest', async () => {
    const codes = ['AR', 'BR', 'CL', 'DE', 'ES', 'FR', 'GB', 'IE', 'IT', 'MX', 'NL', 'US'];
    const fleet = fakeFleet([fakeAccount(1, { countries: codes })]);
    const [refusal] = await guardsOf(desiredState([desiredAccount(1, { special: codes })]), fleet);
    expect(refusal!.cells).toHaveLength(12);
    expect(refusal!.message).toContain(
      ': account-1 voice.high_risk_special AR, account-1 voice.high_risk_special BR, ',
    );
    expect(refusal!.message).toContain(', account-1 voice.high_risk_special MX and 2 more. To pass this');
  });

  it('trial_account refuses high-risk enables up front, even with --allow-high-risk', async () => {
    const fleet = fakeFleet([fakeAccount(1, { type: 'Trial' })]);
    const desired = desiredState([desiredAccount(1, { special: ['GB'], low: ['US'] })]);
    const refusals = await guardsOf(desired, fleet, {
      maxChangesOverride: null,
      allowHighRisk: true,
      surface: 'cli' as const,
    });
    expect(refusals.map((r) => r.guard)).toEqual(['trial_account']);
    expect(refusals[0]!.message).toContain('trial accounts can only enable low-risk');
    expect(refusals[0]!.cells).toEqual([
      expect.objectContaining({ country: 'GB', category: 'voice.high_risk_special' }),
    ]);
  });

  it('lets a plain low-risk plan through', async () => {
    const fleet = fakeFleet([fakeAccount(1, { type: 'Trial' })]);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })], { maxChanges: 5 });
    const plan = await planAgainst(desired, fleet);
    // A real low-risk enable on a trial account, within max_changes: nothing to refuse.
    expect(plan.accounts[0]!.changes.map((c) => `${c.category}:${c.country}:${c.to}`)).toContain(
      'voice.low_risk:US:true',
    );
    expect(
      checkGuards(plan, desired, { maxChangesOverride: null, allowHighRisk: false, surface: 'cli' as const }),
    ).toEqual([]);
  });
});
