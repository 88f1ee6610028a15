import { describe, expect, it } from 'vitest';
import { narrowToShard, parseShard, selectShard } from '../../src/plan/shard.js';

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
  const accounts = Array.from({ length: 200 }, (_, i) => ({
    sid: sid(i + 1),
    parentSid: i % 5 === 0 ? null : sid(i - (i % 5) + 1),
  }));

  it('splits every account into exactly one shard', () => {
    const shards = [1, 2, 3].map((index) => selectShard(accounts, { index, count: 3 }));
    const seen = shards.flat().map((a) => a.sid);
    expect(seen.sort()).toEqual(accounts.map((a) => a.sid).sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(20);
  });

  it('keeps a subaccount with its parent', () => {
    for (const index of [1, 2, 3, 4]) {
      const picked = selectShard(accounts, { index, count: 4 });
      const sids = new Set(picked.map((a) => a.sid));
      for (const a of picked) if (a.parentSid) expect(sids.has(a.parentSid)).toBe(true);
    }
  });

  it('does not move existing accounts when one is added', () => {
    // The newcomer goes first so a split by position (rather than by SID) would shift everyone.
    const newcomer = { sid: sid(999), parentSid: null };
    const grown = [newcomer, ...accounts];
    for (const index of [1, 2, 3, 4]) {
      const before = selectShard(accounts, { index, count: 4 }).map((a) => a.sid);
      const after = selectShard(grown, { index, count: 4 }).map((a) => a.sid);
      expect(after.filter((s) => s !== newcomer.sid)).toEqual(before);
    }
  });
});

describe('narrowToShard', () => {
  it('keeps only the shard’s accounts and their expiring exceptions', () => {
    const at = { file: 'p.yml', line: 1, column: 1 };
    const acct = (n: number) =>
      ({ name: `a${n}`, sid: sid(n), parent: null, parentSid: null, location: at }) as never;
    const desired = {
      file: 'p.yml',
      accounts: [1, 2, 3, 4, 5, 6].map(acct),
      guards: {
        maxChanges: null,
        maxChangesLocation: null,
        neverDisable: {},
        neverEnable: {},
        allowHighRisk: {},
      },
      warnings: [],
      expiring: [1, 2, 3, 4, 5, 6].map((n) => ({ account: `a${n}` }) as never),
      expiry: { expired: 'enforce' as const, warningDays: 14, location: null },
    };
    const parts = [1, 2].map((index) => narrowToShard(desired, { index, count: 2 }));
    expect(parts.flatMap((p) => p.accounts).length).toBe(6);
    for (const p of parts)
      expect(p.expiring.map((e: { account: string }) => e.account)).toEqual(p.accounts.map((a) => a.name));
    expect(narrowToShard(desired, null)).toBe(desired);
  });
});
