import { createHash } from 'node:crypto';
import type { DesiredAccount, DesiredState, Shard } from '../model/desired.js';
import type { PlanShard } from '../model/plan.js';
import type { GovernedFleet } from './fleet.js';

export type { Shard } from '../model/desired.js';

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`invalid shard "${text}": write INDEX/COUNT with 1 <= INDEX <= COUNT, for example 2/4`);
  }
  return { index, count };
}

/**
 * A `--shard` or `shard:` as given: `1/1` is the whole fleet, so it is no shard at all (the same drift
 * issue, the same saved-plan shard, as a run without it).
 */
export function shardOption(text: string): Shard | null {
  const shard = parseShard(text);
  return shard.count === 1 ? null : shard;
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Which shard (1-based) a SID hashes to; the same SID lands in the same shard whatever else exists. */
export function shardOf(keySid: string, count: number): number {
  const digest = createHash('sha256').update(keySid).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/**
 * The SID an account is sharded by. A subaccount whose policy says `voice.inherit: true` goes with its
 * parent: it may join inheritance only once the parent's voice disables verified, and its voice is the
 * parent's, so one job must apply both (apply/families.ts). Every other account goes by its own SID:
 * parents, subaccounts with their own voice lists, template members and unmanaged subaccounts, so a
 * 10,000-subaccount fleet under one parent spreads over every shard, and adding a subaccount moves no
 * other. (A subaccount with its own lists that still inherits live is the one link left across shards:
 * apply/shard-followers.ts.)
 */
export function shardKey(
  account: Pick<DesiredAccount, 'sid' | 'parentSid'> & { voice?: { inherit: boolean } },
) {
  return account.parentSid !== null && account.voice?.inherit === true ? account.parentSid : account.sid;
}

export function selectShard<
  T extends Pick<DesiredAccount, 'sid' | 'parentSid'> & { voice?: { inherit: boolean } },
>(accounts: readonly T[], shard: Shard | null): T[] {
  if (!shard || shard.count === 1) return [...accounts];
  return accounts.filter((a) => shardOf(shardKey(a), shard.count) === shard.index);
}

/**
 * The expiring exceptions of the accounts kept: an account's own, and a template's (`fleets.NAME`) where
 * the shard has one of its members or its parent.
 */
function expiringOf(desired: DesiredState, kept: readonly DesiredAccount[]): DesiredState['expiring'] {
  const names = new Set(kept.map((a) => a.name));
  for (const a of kept) if (a.fleet) names.add(`fleets.${a.fleet.fleet}`);
  for (const f of desired.fleets ?? []) if (names.has(f.parent)) names.add(`fleets.${f.name}`);
  return desired.expiring.filter((e) => names.has(e.account));
}

/** Template members of the whole fleet, by template. */
function membersByTemplate(accounts: readonly DesiredAccount[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const a of accounts) if (a.fleet) counts.set(a.fleet.fleet, (counts.get(a.fleet.fleet) ?? 0) + 1);
  return counts;
}

/**
 * The governed fleet of one shard: its accounts (listed, template members), its unmanaged and suspended
 * subaccounts, each account of the fleet in exactly one shard. Discovery ran in full before this (every
 * shard lists every parent, a page per 1,000 subaccounts), so templates match as unsharded and only the
 * reads, the plan and the writes are split. The desired state keeps, for the apply, the subaccounts
 * other shards govern whose parent is here (DesiredShard).
 */
export function narrowGoverned(governed: GovernedFleet, shard: Shard | null): GovernedFleet {
  if (!shard || shard.count === 1) return governed;
  const here = (keySid: string) => shardOf(keySid, shard.count) === shard.index;
  const { desired } = governed;
  const accounts = desired.accounts.filter((a) => here(shardKey(a)));
  const sids = new Set(accounts.map((a) => a.sid));
  const parents = new Set(accounts.filter((a) => a.parentSid === null).map((a) => a.sid));
  const elsewhere = desired.accounts
    .filter((a) => a.parentSid !== null && parents.has(a.parentSid) && !a.voice.inherit && !sids.has(a.sid))
    .map((account) => ({ account, shard: shardOf(shardKey(account), shard.count) }));
  const unmanaged = governed.unmanaged.filter((u) => here(u.sid));
  const unmanagedSids = new Set(unmanaged.map((u) => u.sid));
  const coverage: PlanShard = {
    shard: formatShard(shard),
    accounts: accounts.length,
    allAccounts: desired.accounts.length,
    unmanaged: unmanaged.length,
    allUnmanaged: governed.unmanaged.length,
  };
  return {
    desired: {
      ...desired,
      accounts,
      expiring: expiringOf(desired, accounts),
      shard: { shard, elsewhere },
    },
    reads: governed.reads.filter((r) => sids.has(r.sid) || unmanagedSids.has(r.sid)),
    preset: governed.preset.filter((p) => sids.has(p.sid)),
    discovery: governed.discovery,
    unmanaged,
    suspended: governed.suspended.filter((s) => here(s.sid)),
    conflicts: governed.conflicts.filter((c) => sids.has(c.sid)),
    shard: { coverage, allMembers: membersByTemplate(desired.accounts) },
  };
}
