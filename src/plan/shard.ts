import { createHash } from 'node:crypto';
import type { DesiredAccount, DesiredState } from '../model/desired.js';

/** Shard `index` (1-based) of `count`, as written `--shard 2/4` or the action's `shard: 2/4`. */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new Error(`invalid shard "${text}": write INDEX/COUNT with 1 <= INDEX <= COUNT, for example 2/4`);
  }
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * Which shard an account family lands in. A subaccount goes with its parent (keyed by the parent's SID)
 * so a family is read and written by one job; hashing the SID keeps every other account where it was
 * when accounts are added or removed.
 */
export function shardOf(familySid: string, count: number): number {
  const digest = createHash('sha256').update(familySid).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

export function selectShard<T extends Pick<DesiredAccount, 'sid' | 'parentSid'>>(
  accounts: readonly T[],
  shard: Shard | null,
): T[] {
  if (!shard || shard.count === 1) return [...accounts];
  return accounts.filter((a) => shardOf(a.parentSid ?? a.sid, shard.count) === shard.index);
}

/**
 * The desired state of one shard only: its account families and their exceptions (a template's go with
 * the shard of its parent, whose subaccounts it governs).
 */
export function narrowToShard(desired: DesiredState, shard: Shard | null): DesiredState {
  if (!shard || shard.count === 1) return desired;
  const accounts = selectShard(desired.accounts, shard);
  const names = new Set(accounts.map((a) => a.name));
  const parentOf = new Map((desired.fleets ?? []).map((f) => [f.name, f.parent]));
  const inShard = (e: DesiredState['expiring'][number]) =>
    names.has(e.fleet === undefined ? e.account : (parentOf.get(e.fleet) ?? ''));
  return { ...desired, accounts, expiring: desired.expiring.filter(inShard) };
}
