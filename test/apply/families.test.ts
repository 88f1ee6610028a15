// The order of accounts by family, and what a subaccount still following its parent holds back on it.
import { describe, expect, it } from 'vitest';
import { familyWaves, heldEnables, stillFollowing } from '../../src/apply/families.js';
import type { CellRun } from '../../src/apply/write.js';
import { cellId } from '../../src/plan/cells.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  planAgainst,
  sid,
} from '../support/fake-account-client.js';

// A parent gaining DE (low-risk) and FR (toll-fraud); sub 2 is to leave inheritance with US and DE;
// sub 3 has its own lists and only a messaging change; sub 4 is to join.
async function family() {
  const fleet = fakeFleet([
    fakeAccount(1, { voice: { US: { low_risk: true } } }),
    fakeAccount(2, { parent: 1, inheritance: true }),
    fakeAccount(3, { parent: 1, inheritance: false, voice: { US: { low_risk: true } } }),
    fakeAccount(4, { parent: 1, inheritance: false }),
  ]);
  const parent = { name: 'account-1', n: 1 };
  const desired = desiredState([
    desiredAccount(1, { low: ['US', 'DE'], tollfraud: ['FR'] }),
    desiredAccount(2, { parent, low: ['US', 'DE'] }),
    desiredAccount(3, { parent, low: ['US'], messaging: ['US'] }),
    desiredAccount(4, { parent, inherit: true }),
  ]);
  const plan = await planAgainst(desired, fleet);
  return { desired, plan, bySid: new Map(desired.accounts.map((a) => [a.sid, a])) };
}

describe('familyWaves', () => {
  it('puts the subaccounts that leave inheritance before their parent, the others after it', async () => {
    const { plan, bySid } = await family();
    const waves = familyWaves(plan.accounts, bySid);
    const names = (list: typeof plan.accounts) => list.map((a) => a.account);
    expect({
      leaving: names(waves.leaving),
      parents: names(waves.parents),
      children: names(waves.children),
    }).toEqual({ leaving: ['account-2'], parents: ['account-1'], children: ['account-3', 'account-4'] });
  });
});

describe('heldEnables', () => {
  it("holds the parent's voice enables a subaccount still following it does not allow, naming it", async () => {
    const { plan, bySid } = await family();
    const parent = plan.accounts[0]!;
    const held = heldEnables(parent, new Set([sid(2)]), bySid);
    const fr = parent.changes.find((c) => c.country === 'FR')!;
    // DE is in sub 2's own lists, so enabling it on the parent is within its policy.
    expect([...held.keys()]).toEqual([cellId(fr)]);
    expect(held.get(cellId(fr))).toMatch(/^not attempted: subaccount account-2 could not leave inheritance/);
    expect(heldEnables(parent, new Set(), bySid).size).toBe(0);
  });

  it('a subaccount follows its parent when its inheritance cell did not verify', () => {
    const row = (outcome: CellRun['outcome'], to: boolean): CellRun => ({
      change: { sid: sid(2), category: 'voice.inherit', country: null, to } as CellRun['change'],
      write: true,
      outcome,
      errorCode: null,
      detail: null,
    });
    expect([...stillFollowing([row('failed', false)])]).toEqual([sid(2)]);
    expect(stillFollowing([row('verified', false), row('skipped', true)]).size).toBe(0);
  });
});
