// The one guard-then-apply sequence the CLI, the merge apply and the drift revert share.
import { describe, expect, it } from 'vitest';
import { guardAndApply } from '../../src/apply/guard-and-apply.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
  writeCalls,
} from '../support/fake-account-client.js';

const apply = { concurrency: 1, readBack: { attempts: 1, delayMs: 0 }, sleep: async () => {} };
const guards = { maxChangesOverride: null, allowHighRisk: false, surface: 'cli' as const };

async function setup(maxChanges?: number) {
  const fleet = fakeFleet([fakeAccount(1, { voice: { DE: { low_risk: true } } })]);
  const desired = desiredState([desiredAccount(1, { low: ['US'] })], { maxChanges });
  return { fleet, desired, plan: await planAgainst(desired, fleet), gateway: fakeGateway(fleet) };
}

describe('guardAndApply', () => {
  it('a refusal writes nothing and never asks for confirmation', async () => {
    const { fleet, ...rest } = await setup(1);
    let asked = 0;
    const outcome = await guardAndApply({ ...rest, guards, apply, confirm: async () => (asked++, true) });
    expect(outcome.status).toBe('refused');
    expect(outcome.status === 'refused' && outcome.refusals.map((r) => r.guard)).toEqual(['max_changes']);
    expect(asked).toBe(0);
    expect(writeCalls(fleet)).toEqual([]);
  });

  it('asks once the guards passed; not confirmed writes nothing', async () => {
    const { fleet, ...rest } = await setup();
    let asked = 0;
    const outcome = await guardAndApply({ ...rest, guards, apply, confirm: async () => (asked++, false) });
    expect(outcome).toEqual({ status: 'not-confirmed' });
    expect(asked).toBe(1);
    expect(writeCalls(fleet)).toEqual([]);
  });

  it('applies when the guards pass (and the caller confirmed, when it asks)', async () => {
    const { fleet, ...rest } = await setup();
    const outcome = await guardAndApply({ ...rest, guards, apply });
    expect(outcome.status).toBe('applied');
    expect(outcome.status === 'applied' && outcome.result.summary).toEqual({
      verified: 2,
      failed: 0,
      manual: 0,
      skipped: 0,
    });
    expect(writeCalls(fleet).map((c) => c.op)).toEqual(['voice.bulk', 'voice.bulk']);
  });

  it("the guard options are the caller's: an override lets the same plan through", async () => {
    const { fleet, ...rest } = await setup(1);
    const outcome = await guardAndApply({ ...rest, guards: { ...guards, maxChangesOverride: 2 }, apply });
    expect(outcome.status).toBe('applied');
    expect(writeCalls(fleet)).toHaveLength(2);
  });
});
