import { describe, expect, it } from 'vitest';
import type { DesiredAccount, DesiredState, FleetTemplate } from '../../src/model/desired.js';
import type { GovernedFleet } from '../../src/plan/fleet.js';
import { narrowGoverned, parseShard, selectShard, shardKey } from '../../src/plan/shard.js';

const sid = (n: number) => 'AC' + n.toString(16).padStart(32, '0');

describe('parseShard', () => {
  it('reads INDEX/COUNT', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
  });
  it.each(['0/4', '5/4', '1/0', 'a/b', '2', '2/4/1', ''])('rejects %j with how to write it', (text) => {
    expect(() => parseShard(text)).toThrow(/INDEX\/COUNT/);
  });
});

describe('selectShard', () => {
  const voice = (inherit: boolean) => ({ inherit });
  // Every fifth a parent; of its four subaccounts, the first inherits, the others keep their own lists.
  const accounts = Array.from({ length: 200 }, (_, i) => ({
    sid: sid(i + 1),
    parentSid: i % 5 === 0 ? null : sid(i - (i % 5) + 1),
    voice: voice(i % 5 === 1),
  }));

  it('splits every account into exactly one shard', () => {
    const shards = [1, 2, 3].map((index) => selectShard(accounts, { index, count: 3 }));
    const seen = shards.flat().map((a) => a.sid);
    expect(seen.sort()).toEqual(accounts.map((a) => a.sid).sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(20);
  });

  it('keeps a subaccount that inherits with its parent, and splits the others by their own SID', () => {
    const moved = { withParent: 0, elsewhere: 0 };
    for (const index of [1, 2, 3, 4]) {
      const picked = selectShard(accounts, { index, count: 4 });
      const sids = new Set(picked.map((a) => a.sid));
      for (const a of picked) {
        if (a.parentSid && a.voice.inherit) expect(sids.has(a.parentSid)).toBe(true);
        if (a.parentSid && !a.voice.inherit) moved[sids.has(a.parentSid) ? 'withParent' : 'elsewhere']++;
      }
    }
    // Subaccounts with their own lists land by their own SID: most of them away from their parent.
    expect(moved.elsewhere).toBeGreaterThan(moved.withParent);
    expect(shardKey({ sid: sid(7), parentSid: sid(6), voice: voice(false) })).toBe(sid(7));
    expect(shardKey({ sid: sid(7), parentSid: sid(6), voice: voice(true) })).toBe(sid(6));
    expect(shardKey({ sid: sid(7), parentSid: sid(6) })).toBe(sid(7));
  });

  it('does not move existing accounts when one is added', () => {
    // The newcomer goes first so a split by position (rather than by SID) would shift everyone.
    const newcomer = { sid: sid(999), parentSid: sid(1), voice: voice(false) };
    const grown = [newcomer, ...accounts];
    for (const index of [1, 2, 3, 4]) {
      const before = selectShard(accounts, { index, count: 4 }).map((a) => a.sid);
      const after = selectShard(grown, { index, count: 4 }).map((a) => a.sid);
      expect(after.filter((s) => s !== newcomer.sid)).toEqual(before);
    }
  });
});

describe('narrowGoverned', () => {
  const at = { file: 'p.yml', line: 1, column: 1 };
  const own = { inherit: false, location: at, low_risk: {}, high_risk_special: {}, high_risk_tollfraud: {} };
  const account = (
    n: number,
    parent: number | null,
    extra: Partial<DesiredAccount> = {},
  ): DesiredAccount => ({
    name: `a${n}`,
    sid: sid(n),
    parent: parent === null ? null : `a${parent}`,
    parentSid: parent === null ? null : sid(parent),
    location: at,
    voice: own,
    messaging: {},
    ...extra,
  });
  const member = (n: number) =>
    account(n, 1, { fleet: { fleet: 'customers', friendlyName: `a${n}`, enforced: false } });
  const target = (n: number) => ({ friendlyName: `s${n}`, sid: sid(n), parent: 'a1', parentSid: sid(1) });
  const desired: DesiredState = {
    file: 'p.yml',
    accounts: [
      account(1, null),
      account(2, null),
      account(3, 1, { voice: { inherit: true, location: at } }),
      ...Array.from({ length: 40 }, (_, i) => member(100 + i)),
    ],
    guards: {
      maxChanges: null,
      maxChangesLocation: null,
      neverDisable: {},
      neverEnable: {},
      allowHighRisk: {},
    },
    warnings: [],
    expiring: [
      { account: 'a2' } as DesiredState['expiring'][number],
      { account: 'fleets.customers' } as DesiredState['expiring'][number],
    ],
    fleets: [{ name: 'customers', parent: 'a1', parentSid: sid(1) } as FleetTemplate],
    expiry: { expired: 'enforce', warningDays: 14, location: null },
  };
  const unmanaged = Array.from({ length: 20 }, (_, i) => target(500 + i));
  const governed: GovernedFleet = {
    desired,
    reads: [
      ...desired.accounts,
      ...unmanaged.map((u) => ({ name: u.friendlyName, sid: u.sid, parentSid: u.parentSid })),
    ],
    preset: [],
    discovery: { parents: [] },
    unmanaged,
    suspended: [{ friendlyName: 'old', sid: sid(900), parent: 'a1', fleet: null }],
    conflicts: [],
  };
  const parts = [1, 2, 3].map((index) => narrowGoverned(governed, { index, count: 3 }));

  it('splits accounts, members and unmanaged subaccounts without overlap, and reads only its own', () => {
    const planned = parts.flatMap((p) => p.desired.accounts.map((a) => a.sid));
    expect(planned.sort()).toEqual(desired.accounts.map((a) => a.sid).sort());
    const reported = parts.flatMap((p) => p.unmanaged.map((u) => u.sid));
    expect(reported.sort()).toEqual(unmanaged.map((u) => u.sid).sort());
    expect(parts.flatMap((p) => p.suspended)).toHaveLength(1);
    for (const p of parts) {
      const mine = new Set([...p.desired.accounts, ...p.unmanaged].map((a) => a.sid));
      expect(p.reads.map((r) => r.sid).sort()).toEqual([...mine].sort());
      expect(p.desired.accounts.filter((a) => a.fleet).length).toBeGreaterThan(0);
      expect(p.shard?.coverage).toMatchObject({ allAccounts: 43, allUnmanaged: 20 });
      expect(p.shard?.allMembers.get('customers')).toBe(40);
    }
    expect(narrowGoverned(governed, null)).toBe(governed);
    expect(narrowGoverned(governed, { index: 1, count: 1 })).toBe(governed);
  });

  it("keeps with the parent's shard the subaccounts elsewhere that have their own lists, for the apply", () => {
    const home = parts.find((p) => p.desired.accounts.some((a) => a.sid === sid(1)))!;
    expect(home.desired.accounts.map((a) => a.sid)).toContain(sid(3));
    const elsewhere = home.desired.shard!.elsewhere;
    const members = desired.accounts.filter((a) => a.fleet && !home.desired.accounts.includes(a));
    expect(elsewhere.map((e) => e.account.sid).sort()).toEqual(members.map((a) => a.sid).sort());
    for (const e of elsewhere) expect(e.shard).not.toBe(home.desired.shard!.shard.index);
    for (const p of parts.filter((q) => q !== home)) expect(p.desired.shard!.elsewhere).toEqual([]);
  });

  it("keeps an account's expiring exceptions with it, and a template's where it has members or its parent", () => {
    for (const p of parts) {
      const names = p.desired.accounts.map((a) => a.name);
      const kept = p.desired.expiring.map((e) => e.account);
      expect(kept.includes('a2')).toBe(names.includes('a2'));
      expect(kept.includes('fleets.customers')).toBe(true);
    }
  });
});
