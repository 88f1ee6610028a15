/**
 * A sharded apply and a parent's voice enables (docs/hardening.md, "Scale out: shards").
 *
 * A subaccount with its own voice lists is sharded by its own SID (plan/shard.ts), so another job than
 * its parent's may apply it. While it still inherits live (its job has not taken it out of inheritance
 * yet, or could not and put it back), every voice enable of the parent reaches it, and one its own
 * policy does not allow would leave it wider than both its old and its new policy. One job cannot order
 * its writes after another job's, so before a parent's voice enables the parent's job reads the
 * inheritance setting of each such subaccount whose policy does not allow one of them (its voice
 * Settings, after its Account resource through the parent unless this run's discovery listed it), and holds back every enable
 * that one still inheriting, or not readable, does not allow. The parent then stays narrower than its
 * policy for one run and that run fails, naming the subaccounts and their shards; the next run, once
 * their shard took them out of inheritance, proves it and enables. Nothing is read when the parent has
 * no voice enables, or every subaccount elsewhere allows them: the usual sharded run pays nothing.
 *
 * Between that check and the enables, the other shard may take a subaccount out and put it back (its own
 * lists could not be narrowed). So once every account is done the same subaccounts are read again (one
 * request each): one that follows its parent again is an account error naming it, and the run fails.
 */
import { mapWithConcurrency } from '../live/concurrency.js';
import type { DesiredAccount, DesiredShard } from '../model/desired.js';
import { messageOf } from '../model/errors.js';
import type { AccountPlan, ApplyResult, CellChange, ExpiredCell, VoiceCellCategory } from '../model/plan.js';
import { VOICE_FLAG, isVoiceFlag } from '../model/plan.js';
import type { TwilioGateway } from '../model/twilio-port.js';
import { cellId } from '../plan/cells.js';
import { grantingChildren, pushTo, withNeededBy } from '../plan/expired.js';
import type { CellRun } from './write.js';

type Elsewhere = DesiredShard['elsewhere'][number];
type VoiceEnable = CellChange & { category: VoiceCellCategory; country: string };

/** Subaccounts named one by one in a reason; more are counted. */
const NAMED = 3;

const voiceEnables = (changes: readonly CellChange[]): VoiceEnable[] =>
  changes.filter((c): c is VoiceEnable => c.to === true && isVoiceFlag(c.category) && c.country !== null);

const allows = (child: DesiredAccount, enable: VoiceEnable): boolean =>
  child.voice.inherit || enable.country in child.voice[VOICE_FLAG[enable.category]];

/** What the check found for one subaccount: whether it may follow its parent, and why not known (unread). */
interface Followed {
  follows: boolean;
  why: string | null;
}

async function follows(gateway: TwilioGateway, child: DesiredAccount): Promise<Followed> {
  try {
    const client = await gateway.forAccount({ sid: child.sid, parentSid: child.parentSid });
    const identity = await client.fetchIdentity();
    if (identity.sid !== child.sid) throw new Error(`the credentials act as ${identity.sid}`);
    return { follows: (await client.fetchVoiceInheritance()) === true, why: null };
  } catch (err) {
    return { follows: true, why: messageOf(err) };
  }
}

const names = (list: readonly Elsewhere[]): string => {
  const shown = list.slice(0, NAMED).map((e) => e.account.name);
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(list.length === 2 ? ' and ' : ', ');
};

const shardsOf = (list: readonly Elsewhere[], count: number): string =>
  [...new Set(list.map((e) => e.shard))]
    .sort((a, b) => a - b)
    .map((s) => `${s}/${count}`)
    .join(', ');

/**
 * Why a voice enable of a parent is held back for subaccounts other shards apply: those found inheriting,
 * and those whose setting could not be read (`why`: the first one's error).
 */
export function heldForShard(
  following: readonly Elsewhere[],
  unread: readonly Elsewhere[],
  count: number,
  why: string | null = null,
): string {
  const parts: string[] = [];
  if (following.length > 0) {
    const one = following.length === 1;
    parts.push(
      `${one ? 'subaccount' : 'subaccounts'} ${names(following)} (shard ${shardsOf(following, count)}) ${one ? 'still follows' : 'still follow'} this account (voice inheritance on)`,
    );
  }
  if (unread.length > 0)
    parts.push(
      `the voice inheritance of ${names(unread)} (shard ${shardsOf(unread, count)}) could not be read${why ? ` (${why})` : ''}, so ${unread.length === 1 ? 'it' : 'they'} may still follow this account`,
    );
  const all = [...following, ...unread];
  const [its, it] = all.length === 1 ? ['its policy gives it', 'it'] : ['their policies give them', 'them'];
  return `not attempted: ${parts.join('; ')}, but ${its} voice lists of ${all.length === 1 ? 'its' : 'their'} own that do not allow this, so enabling it here would enable it there too. Run the apply of shard ${shardsOf(all, count)} (it takes ${it} out of inheritance), then this one again`;
}

/** What a sharded apply does about the subaccounts other shards apply (see the top of this file). */
export interface OtherShards {
  /** By parent SID: the parent's voice enables held back, with why (by cellId). */
  held: Map<string, Map<string, string>>;
  /**
   * Once every account is done: each subaccount found not inheriting before that follows its parent now
   * (its shard put it back, between this check and the parent's enables), with an enable this run
   * verified that its policy does not allow. Each is an account error, so the run does not succeed.
   */
  recheck(cells: readonly CellRun[]): Promise<ApplyResult['accountErrors']>;
}

const NOTHING_ELSEWHERE: OtherShards = { held: new Map(), recheck: async () => [] };

/**
 * Reads, before the parents' wave, the inheritance of each subaccount another shard applies whose
 * policy does not allow one of its parent's planned voice enables. Nothing outside a sharded run.
 */
export async function checkOtherShards(
  shard: DesiredShard | undefined,
  parents: readonly AccountPlan[],
  gateway: TwilioGateway,
  concurrency: number,
): Promise<OtherShards> {
  if (!shard || shard.elsewhere.length === 0) return NOTHING_ELSEWHERE;
  const work = parents.flatMap((parent) => {
    const enables = voiceEnables(parent.changes);
    if (enables.length === 0) return [];
    const refusing = shard.elsewhere.filter(
      (e) => e.account.parentSid === parent.sid && enables.some((c) => !allows(e.account, c)),
    );
    return refusing.length > 0 ? [{ parent, enables, refusing }] : [];
  });
  if (work.length === 0) return NOTHING_ELSEWHERE;
  const checked = new Map<string, Followed>();
  await mapWithConcurrency(
    work.flatMap((w) => w.refusing),
    concurrency,
    async (e) => void checked.set(e.account.sid, await follows(gateway, e.account)),
  );
  const held = new Map<string, Map<string, string>>();
  for (const { parent, enables, refusing } of work) {
    const reasons = new Map<string, string>();
    for (const enable of enables) {
      const against = refusing.filter(
        (e) => !allows(e.account, enable) && checked.get(e.account.sid)?.follows,
      );
      if (against.length === 0) continue;
      const unread = against.filter((e) => checked.get(e.account.sid)?.why);
      const following = against.filter((e) => !unread.includes(e));
      const why = unread[0] ? (checked.get(unread[0].account.sid)?.why ?? null) : null;
      reasons.set(cellId(enable), heldForShard(following, unread, shard.shard.count, why));
    }
    if (reasons.size > 0) held.set(parent.sid, reasons);
  }
  const cleared = work
    .flatMap((w) => w.refusing)
    .filter((e) => checked.get(e.account.sid)?.follows === false);
  return { held, recheck: (cells) => recheck(cleared, cells, gateway, concurrency, shard.shard.count) };
}

async function recheck(
  cleared: readonly Elsewhere[],
  cells: readonly CellRun[],
  gateway: TwilioGateway,
  concurrency: number,
  count: number,
): Promise<ApplyResult['accountErrors']> {
  const enabled = voiceEnables(cells.filter((c) => c.outcome === 'verified').map((c) => c.change));
  const errors: ApplyResult['accountErrors'] = [];
  await mapWithConcurrency(cleared, concurrency, async (e) => {
    const reached = enabled.filter((c) => c.sid === e.account.parentSid && !allows(e.account, c));
    if (reached.length === 0) return;
    const now = await follows(gateway, e.account);
    if (!now.follows) return;
    const cellsText = reached.map((c) => `${c.category} ${c.country}`).join(', ');
    const state = now.why
      ? `may follow it again (its voice inheritance could not be re-read: ${now.why})`
      : 'follows it again (voice inheritance on)';
    errors.push({
      account: e.account.name,
      sid: e.account.sid,
      message: `applied by shard ${e.shard}/${count}, it did not inherit when this run checked it, but now ${state} after ${e.account.parent ?? 'its parent'}'s voice enables (${cellsText}), which its policy does not allow: run the apply of shard ${e.shard}/${count}, which takes it out of inheritance again`,
    });
  });
  return errors;
}

/**
 * A sharded run's expired cells (plan/expired.ts findExpiredCells) with the subaccounts other shards apply
 * that need a parent's cell kept open: their own policy grants it and they follow the parent live, or could
 * not be read (`neededBy`, as for the run's own subaccounts, which its scan read). Read as before a parent's
 * enables (2 requests each), only for the subaccounts whose lists grant an expired voice cell of their
 * parent: nothing is read without such a cell.
 */
export async function neededElsewhere(
  shard: DesiredShard | undefined,
  cells: readonly ExpiredCell[],
  gateway: TwilioGateway,
  concurrency: number,
): Promise<ExpiredCell[]> {
  const byParent = new Map<string, DesiredAccount[]>();
  for (const { account } of shard?.elsewhere ?? []) pushTo(byParent, account.parentSid ?? '', account);
  const granting = new Map<string, DesiredAccount>();
  for (const cell of cells)
    for (const child of grantingChildren(cell, byParent.get(cell.sid) ?? [])) granting.set(child.sid, child);
  if (granting.size === 0) return [...cells];
  const following = new Set<string>();
  await mapWithConcurrency([...granting.values()], concurrency, async (child) => {
    if ((await follows(gateway, child)).follows) following.add(child.sid);
  });
  return withNeededBy(cells, [...granting.values()], (sid) => following.has(sid));
}
