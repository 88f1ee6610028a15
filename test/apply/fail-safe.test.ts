// Failures part-way through an apply must never leave an account more open than both
// the state before and the policy after.
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
  writeCalls,
} from '../support/fake-account-client.js';

const options = {
  batchSize: 50,
  concurrency: 2,
  readBack: { attempts: 2, delayMs: 0 },
  sleep: async () => {},
};

describe('apply fail-safe ordering', () => {
  it('a messaging disable refused inside the 200 does not come with the enables of the same apply', async () => {
    // DE on (to be disabled, Twilio refuses it), GB off (to be enabled).
    const fleet = fakeFleet([fakeAccount(1, { messaging: { DE: true } })], {
      messagingErrors: { DE: 30649 },
    });
    const desired = desiredState([desiredAccount(1, { messaging: ['GB'] })]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    const account = fleet.accounts[desired.accounts[0]!.sid]!;
    expect(account.messaging.DE).toBe(true); // the refused disable
    expect(account.messaging.GB).toBe(false); // so the enable must not have gone out
    expect(result.cells.find((c) => c.country === 'GB')).toMatchObject({ outcome: 'skipped' });
    expect(result.cells.find((c) => c.country === 'DE')).toMatchObject({
      outcome: 'failed',
      errorCode: 30649,
    });
    expect(result.ok).toBe(false);
  });

  it('sends one PATCH when the messaging writes only disable or only enable', async () => {
    const fleet = fakeFleet([fakeAccount(1, { messaging: { DE: true } })]);
    const desired = desiredState([desiredAccount(1, { messaging: ['GB'] })]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(result.ok).toBe(true);
    // Disables and enables mixed: two PATCHes, the disables first.
    const patches = writeCalls(fleet).filter((c) => c.op === 'messaging.patch');
    expect(patches.map((p) => JSON.stringify(p.detail))).toEqual([
      JSON.stringify([{ iso: 'DE', enabled: false }]),
      JSON.stringify([{ iso: 'GB', enabled: true }]),
    ]);
    fleet.calls = [];
    const only = desiredState([desiredAccount(1, { messaging: ['GB', 'US', 'CA'] })]);
    await applyPlan(only, await planAgainst(only, fleet), fakeGateway(fleet), options);
    expect(writeCalls(fleet).filter((c) => c.op === 'messaging.patch')).toHaveLength(1);
  });

  it('after leaving inheritance, a failed disable puts the subaccount back on its parent', async () => {
    // The parent allows US only; the subaccount inherits, but its own stored list is wide (US, DE, FR).
    const fleet = fakeFleet(
      [
        fakeAccount(1, { voice: { US: { low_risk: true } } }),
        fakeAccount(2, {
          parent: 1,
          inheritance: true,
          voice: { US: { low_risk: true }, DE: { low_risk: true }, FR: { low_risk: true } },
        }),
      ],
      { voiceFailIso: ['DE'] },
    );
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US'] }),
    ]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    const sub = fleet.accounts[desired.accounts[1]!.sid]!;
    // Before: US only (through the parent). After (policy): US only. DE stayed on in the sub's own
    // list, so it must not be left in effect: the subaccount follows its parent again.
    expect(sub.inheritance).toBe(true);
    expect(result.ok).toBe(false);
    const inherit = result.cells.find((c) => c.account === 'account-2' && c.category === 'voice.inherit');
    expect(inherit?.outcome).toBe('failed');
  });

  it('a subaccount joins inheritance only after its parent was narrowed as planned', async () => {
    // The parent is to lose DE (Twilio refuses that write); the subaccount, US only in its own
    // list, is to follow its parent. Joining while the parent still has DE would open DE on it.
    const fleet = fakeFleet(
      [
        fakeAccount(1, { voice: { US: { low_risk: true }, DE: { low_risk: true } } }),
        fakeAccount(2, { parent: 1, inheritance: false, voice: { US: { low_risk: true } } }),
      ],
      { voiceFailIso: ['DE'] },
    );
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
    ]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(fleet.accounts[desired.accounts[1]!.sid]!.inheritance).toBe(false);
    const inherit = result.cells.find((c) => c.account === 'account-2' && c.category === 'voice.inherit');
    expect(inherit?.outcome).toBe('skipped');
    expect(result.ok).toBe(false);
  });

  it('a subaccount still joins inheritance when its parent applied cleanly', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true }, DE: { low_risk: true } } }),
      fakeAccount(2, { parent: 1, inheritance: false, voice: { US: { low_risk: true } } }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true }),
    ]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(result.ok).toBe(true);
    expect(fleet.accounts[desired.accounts[1]!.sid]!.inheritance).toBe(true);
    // The parent's write came before the subaccount's.
    expect(writeCalls(fleet).map((c) => c.op)).toEqual(['voice.bulk', 'settings.post']);
  });
});
