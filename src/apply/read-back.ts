/**
 * Read-back: Twilio answers writes "accepted", so every touched cell is re-read until it shows the
 * wanted value, a bounded number of times (DEFAULT_READ_BACK). Then the last read is compared with the
 * policy as a whole (reconcile): what is not as the policy wants at the end is reported, whoever changed
 * it, so a run never reports success while another writer left the account otherwise.
 */
import type { DesiredAccount } from '../model/desired.js';
import type { LiveAccount } from '../model/live.js';
import type { AccountPlan, CellChange } from '../model/plan.js';
import { diffAccount } from '../plan/build.js';
import { cellId } from '../plan/cells.js';
import { messageOf } from './errors.js';
import { isVoiceFlag } from '../model/plan.js';
import { cellWords, liveValue, valueWords, type ReadBackPolling } from './truth.js';
import type { AccountRun, CellRun } from './write.js';

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function settle(pending: readonly CellRun[], live: LiveAccount, attempt: number, last: boolean): void {
  for (const c of pending) {
    const value = liveValue(live, c.change);
    if (value === c.change.to) {
      c.outcome = 'verified';
    } else if (last) {
      c.outcome = 'failed';
      c.uncertain = true;
      c.detail = `read back ${String(value)} after ${attempt} reads (wanted ${String(c.change.to)})`;
    }
  }
}

/**
 * Reads until every unsettled cell shows its wanted value, or the attempts run out (then it failed).
 * Answers the last state it read (null: none), for reconcile.
 */
export async function readBack(
  cells: readonly CellRun[],
  read: () => Promise<LiveAccount>,
  polling: ReadBackPolling,
  sleep: (ms: number) => Promise<void>,
): Promise<LiveAccount | null> {
  let pending = cells.filter((c) => c.outcome === null);
  let lastRead: LiveAccount | null = null;
  for (let attempt = 1; pending.length > 0 && attempt <= polling.attempts; attempt++) {
    if (attempt > 1) await sleep(polling.delayMs);
    const last = attempt === polling.attempts;
    try {
      lastRead = await read();
    } catch (err) {
      if (last)
        for (const c of pending) {
          c.outcome = 'failed';
          c.uncertain = true;
          c.detail = `could not read back: ${messageOf(err)}`;
        }
      continue;
    }
    settle(pending, lastRead, attempt, last);
    pending = pending.filter((c) => c.outcome === null);
  }
  return lastRead;
}

/** The rows of one account, by cellId: all reconcile needs of its run. */
export type RunCells = Pick<AccountRun, 'cells'>;

/** Whom reconcile compares: the account's policy, and what the reviewed plan showed. */
export interface ReconcileTarget {
  account: DesiredAccount;
  planned: AccountPlan;
}

const SOMEONE_ELSE = 'another apply or a Console change; re-run plan';

/** Said of a cell on at the end that was off when planned and that the policy wants off. */
const WIDER = 'wider than both the plan and the policy: ';

/** Why a cell not in the run's schedule is not as the policy wants at the end: it changed during the run. */
function changedDuring(change: CellChange, account: DesiredAccount, live: LiveAccount): string {
  const now = valueWords(change.from, change.category);
  const before = valueWords(change.to, change.category);
  if (!change.to && isVoiceFlag(change.category) && live.voiceInheritance === true && !account.voice.inherit)
    return `${WIDER}${now} through the parent ${account.parent ?? ''}, which this subaccount still follows although its policy gives it its own lists, and its own policy does not allow it; it was ${before} when planned`;
  const wider = change.to ? '' : WIDER;
  return `${wider}read ${now} at the end of this apply, after it was ${before} (as the policy wants) when planned and when re-read: changed during this apply by someone else (${SOMEONE_ELSE})`;
}

/** The row of a cell the run did not schedule but finds not as the policy wants at the end. */
function untracked(change: CellChange, target: ReconcileTarget, live: LiveAccount): CellRun {
  const manual = change.kind === 'manual';
  return {
    change,
    write: false,
    outcome: manual ? 'manual' : 'failed',
    errorCode: null,
    detail: manual ? (change.manual?.reason ?? null) : changedDuring(change, target.account, live),
  };
}

/**
 * A subaccount whose policy gives it its own lists but which still follows its parent: its inheritance
 * row names the voice cells it has on through the parent that its own policy does not allow.
 */
function nameInherited(run: RunCells, target: ReconcileTarget, live: LiveAccount, now: CellChange[]) {
  if (target.account.voice.inherit || live.voiceInheritance !== true) return;
  const row = now.find((c) => c.category === 'voice.inherit');
  const tracked = row ? run.cells.get(cellId(row)) : undefined;
  const inherited = now.filter((c) => isVoiceFlag(c.category) && !c.to).map(cellWords);
  if (!tracked || inherited.length === 0) return;
  const shown =
    inherited.slice(0, 20).join(', ') + (inherited.length > 20 ? ` and ${inherited.length - 20} more` : '');
  const note = `it still follows its parent ${target.account.parent ?? ''}, so it has on through the parent what its own policy does not allow: ${shown}`;
  if (!tracked.detail?.includes(note)) tracked.detail = tracked.detail ? `${tracked.detail}; ${note}` : note;
}

/**
 * Compares the account as last read with its policy: an uncertain cell that shows as wanted verified; a
 * verified cell that no longer shows as wanted, and any other cell not as the policy wants, failed (someone
 * else changed it during the run). Run again at the end of the apply, it reports what changed since.
 */
export function reconcile(run: RunCells, target: ReconcileTarget, live: LiveAccount): void {
  const now = diffAccount({ account: target.account, live, parent: { desired: null, live: null } }).changes;
  const differing = new Map(now.map((c) => [cellId(c), c]));
  for (const [id, c] of run.cells) {
    if (differing.has(id) || c.outcome !== 'failed' || !c.uncertain) continue;
    c.outcome = 'verified';
    c.uncertain = false;
    c.detail = `read back as wanted although the write answered: ${c.detail ?? 'an error'}`;
  }
  const planned = new Set(target.planned.changes.map(cellId));
  for (const [id, change] of differing) {
    const tracked = run.cells.get(id);
    if (!tracked) run.cells.set(id, untracked(change, target, live));
    else if (tracked.outcome === 'verified') {
      tracked.outcome = 'failed';
      tracked.detail = `verified, then read ${valueWords(liveValue(live, change), change.category)} at the end of this apply: changed since by someone else (${SOMEONE_ELSE})`;
    } else if (
      !change.to &&
      !planned.has(id) &&
      tracked.outcome === 'failed' &&
      !tracked.detail?.startsWith(WIDER)
    )
      // Turned on after the plan, and this run could not turn it off.
      tracked.detail = WIDER + (tracked.detail ?? '');
  }
  nameInherited(run, target, live, now);
}

/**
 * Compares the account as last read (`lastRead`, else read now) with its policy (reconcile); answers
 * every row so far, new ones last. Unreadable: the rows keep what the writes and the read-back found.
 */
export async function finalCheck(
  run: RunCells,
  target: ReconcileTarget,
  read: () => Promise<LiveAccount>,
  lastRead: LiveAccount | null,
): Promise<CellRun[]> {
  const live = lastRead ?? (await read().catch(() => null));
  if (live) reconcile(run, target, live);
  return [...run.cells.values()];
}
