// A sharded apply: the parent's voice enables that a subaccount another shard applies may still take on.
import { describe, expect, it } from 'vitest';
import { checkOtherShards } from '../../src/apply/shard-followers.js';
import type { CellRun } from '../../src/apply/write.js';
import type { DesiredShard } from '../../src/model/desired.js';
import { cellId } from '../../src/plan/cells.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
  sid,
} from '../support/fake-account-client.js';

const parent = { name: 'account-1', n: 1 };

// The parent gains DE (low-risk) and FR (toll-fraud). In other shards: sub 2 still inherits (its lists
// allow DE, not FR), sub 3 has left (its lists allow neither), sub 4 cannot be reached.
async function shardOfParent(faults = { unreachable: [sid(4)] }) {
  const fleet = fakeFleet(
    [
      fakeAccount(1, { voice: { US: { low_risk: true } } }),
      fakeAccount(2, { parent: 1, inheritance: true }),
      fakeAccount(3, { parent: 1, inheritance: false, voice: { US: { low_risk: true } } }),
      fakeAccount(4, { parent: 1, inheritance: false }),
    ],
    faults,
  );
  const desired = desiredState([desiredAccount(1, { low: ['US', 'DE'], tollfraud: ['FR'] })]);
  const plan = await planAgainst(desired, fleet);
  const elsewhere = [
    { account: desiredAccount(2, { parent, low: ['US', 'DE'] }), shard: 2 },
    { account: desiredAccount(3, { parent, low: ['US'] }), shard: 3 },
    { account: desiredAccount(4, { parent, low: ['US'] }), shard: 3 },
  ];
  const shard: DesiredShard = { shard: { index: 1, count: 3 }, elsewhere };
  fleet.calls.length = 0;
  return { fleet, plan, shard, parentPlan: plan.accounts[0]! };
}

describe('checkOtherShards', () => {
  it('holds what a subaccount still inheriting, or not readable, does not allow, naming it and its shard', async () => {
    const { fleet, shard, parentPlan } = await shardOfParent();
    const { held } = await checkOtherShards(shard, [parentPlan], fakeGateway(fleet), 4);
    const cell = (country: string) => cellId(parentPlan.changes.find((c) => c.country === country)!);
    const reasons = held.get(sid(1))!;
    expect([...reasons.keys()].sort()).toEqual([cell('DE'), cell('FR')].sort());
    // DE: account-2's own lists allow it; account-4 could not be read.
    expect(reasons.get(cell('DE'))).toMatch(
      /^not attempted: the voice inheritance of account-4 \(shard 3\/3\) could not be read \(HTTP 401 .*\), so it may still follow this account, but its policy gives it voice lists of its own/,
    );
    expect(reasons.get(cell('FR'))).toMatch(
      /^not attempted: subaccount account-2 \(shard 2\/3\) still follows this account \(voice inheritance on\); the voice inheritance of account-4 \(shard 3\/3\) could not be read .*Run the apply of shard 2\/3, 3\/3 \(it takes them out of inheritance\), then this one again$/,
    );
    // account-3 left inheritance: read, and nothing held for it.
    expect(fleet.calls.filter((c) => c.op === 'settings.get').map((c) => c.sid)).toEqual([sid(2), sid(3)]);
    expect(fleet.calls.some((c) => c.op.startsWith('voice') || c.op.startsWith('messaging'))).toBe(false);
  });

  it('enables once every subaccount elsewhere has left inheritance', async () => {
    const { fleet, shard, parentPlan } = await shardOfParent({ unreachable: [] });
    fleet.accounts[sid(2)]!.inheritance = false;
    expect((await checkOtherShards(shard, [parentPlan], fakeGateway(fleet), 4)).held.size).toBe(0);
  });

  it('reads nothing without a shard, without voice enables, or when every subaccount elsewhere allows them', async () => {
    const { fleet, shard, parentPlan } = await shardOfParent();
    const gateway = fakeGateway(fleet);
    expect((await checkOtherShards(undefined, [parentPlan], gateway, 4)).held.size).toBe(0);
    const noEnables = { ...parentPlan, changes: parentPlan.changes.filter((c) => !c.to) };
    expect((await checkOtherShards(shard, [noEnables], gateway, 4)).held.size).toBe(0);
    const allowing = {
      ...shard,
      elsewhere: [{ account: desiredAccount(2, { parent, low: ['US', 'DE'], tollfraud: ['FR'] }), shard: 2 }],
    };
    expect((await checkOtherShards(allowing, [parentPlan], gateway, 4)).held.size).toBe(0);
    expect(fleet.calls).toEqual([]);
  });

  it('after the writes, names a subaccount that follows its parent again and has an enable it does not allow', async () => {
    const { fleet, shard, parentPlan } = await shardOfParent({ unreachable: [] });
    fleet.accounts[sid(2)]!.inheritance = false;
    const gateway = fakeGateway(fleet);
    const elsewhere = await checkOtherShards(shard, [parentPlan], gateway, 4);
    expect(elsewhere.held.size).toBe(0);
    const verified = (country: string): CellRun => ({
      change: parentPlan.changes.find((c) => c.country === country)!,
      write: true,
      outcome: 'verified',
      errorCode: null,
      detail: null,
    });
    // Nothing followed again: no error (and only the subaccounts a verified enable concerns are read).
    fleet.calls.length = 0;
    expect(await elsewhere.recheck([verified('DE')])).toEqual([]);
    expect(
      fleet.calls
        .filter((c) => c.op === 'settings.get')
        .map((c) => c.sid)
        .sort(),
    ).toEqual([sid(3), sid(4)].sort());
    // account-3's shard put it back into inheritance meanwhile: it now has DE through its parent.
    fleet.accounts[sid(3)]!.inheritance = true;
    const errors = await elsewhere.recheck([verified('DE'), verified('FR')]);
    expect(errors.map((e) => e.sid)).toEqual([sid(3)]);
    expect(errors[0]!.message).toMatch(
      /^applied by shard 3\/3, it did not inherit when this run checked it, but now follows it again \(voice inheritance on\) after account-1's voice enables \(voice.low_risk DE, voice.high_risk_tollfraud FR\), which its policy does not allow/,
    );
  });
});
