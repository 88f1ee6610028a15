/**
 * Applies a reviewed plan: per account, re-read, then the schedule (schedule.ts: which writes, in which
 * order, what a failure stops) sent step by step (write.ts), then the read-back (read-back.ts). Accounts
 * go by family (families.ts): subaccounts that leave inheritance, then parents, then the other
 * subaccounts, which join inheritance only once their parent's voice disables verified. At the end every
 * account is read once more, so what another writer changed meanwhile is reported, not taken for success.
 *
 * What is read, per account (the request budget: docs/hardening.md):
 *  - before writing: nothing when this same run just read it for its plan (ApplyOptions.reads), else
 *    the whole account (voice list, inheritance setting of a subaccount, messaging list);
 *  - after leaving inheritance, and after a write whose answer was uncertain: the whole account;
 *  - before the first enable, when restrictive writes were sent: its voice and messaging lists, not the
 *    inheritance setting (truth.ts CONFIRM_READS), again while its own writes do not show;
 *  - the read-back: right after the writes for an account a later one depends on (a top-level account,
 *    a subaccount leaving inheritance); for the others the end pass is their read-back
 *    (families.ts readBackAtEnd), so they are read once after their writes, not twice;
 *  - the end pass: the whole account, again while a cell it reads back does not show.
 * Its identity is proven once a run: a subaccount's by its parent's Accounts list in this run, or one
 * read of its Account resource (src/twilio/gateway.ts). A top-level account has no inheritance setting
 * to read. An account done writing keeps its rows for the end pass, not its client.
 *
 * Cancellation (`signal`, aborted by the CLI or the action on SIGINT/SIGTERM) is an input like the plan:
 * once aborted, no account starts, and an account in flight ends safely (see CANCELLED).
 */
import { mapWithConcurrency } from '../live/concurrency.js';
import type { ReadParts } from '../live/read.js';
import { createCountryTables, type CountryTables } from '../live/country-tables.js';
import { readAccount, readOver } from '../live/read.js';
import { DEFAULT_READ_BACK, DEFAULT_SETTINGS_WAIT, DEFAULT_VOICE_BATCH_SIZE } from '../model/defaults.js';
import type { DesiredAccount, DesiredState } from '../model/desired.js';
import type { LiveAccount } from '../model/live.js';
import type { AccountPlan, ApplyResult, CellOutcome, Plan } from '../model/plan.js';
import { cellId } from '../plan/cells.js';
import type { AccountClient, TwilioGateway } from '../model/twilio-port.js';
import { compareChanges } from '../plan/build.js';
import { familyWaves, heldEnables, readBackAtEnd, stillFollowing, unnarrowedParents } from './families.js';
import { checkOtherShards } from './shard-followers.js';
import { defaultSleep, finalCheck, readBack, type ReconcileTarget } from './read-back.js';
import { waitForSetting, type ReadBackPolling, type SettingWait } from './truth.js';
import {
  DETAIL,
  notScheduled,
  scheduleLeave,
  scheduleWrites,
  type LeaveOutcome,
  type LeavePhase,
  type WriteStep,
} from './schedule.js';
import { messageOf } from './errors.js';
import {
  addCells,
  failCells,
  resultOf,
  rowOf,
  runStep,
  startRun,
  startWrites,
  type AccountRun,
  type CellRun,
} from './write.js';

export interface ApplyOptions {
  /** Countries per BulkCountryUpdates request (default DEFAULT_VOICE_BATCH_SIZE). */
  batchSize?: number;
  /** Accounts written at once. */
  concurrency: number;
  /** Read-back: how many reads of the touched cells, and the pause between them (default DEFAULT_READ_BACK). */
  readBack?: ReadBackPolling;
  /**
   * The wait for leaving inheritance to show (Settings answers 202 Accepted): reads of the setting, the
   * pause doubling from `delayMs` (default DEFAULT_SETTINGS_WAIT).
   */
  settingsWait?: ReadBackPolling;
  sleep?: (ms: number) => Promise<void>;
  /** Aborted when the run is cancelled (the first SIGINT or SIGTERM): see CANCELLED. */
  signal?: AbortSignal;
  /**
   * The accounts as this same run just read them for its plan, by SID: such an account is not read
   * again before its writes (request budget); the check before its first enable still reads it.
   * Without it (or for an account not in it), each account is re-read before writing.
   */
  reads?: Readonly<Record<string, LiveAccount>>;
  /**
   * The account's target as its re-read right before the writes makes it, instead of the desired state
   * given: a drift run closing expired cells writes what it finds then, minus those cells, so a change
   * made since its scan is neither undone nor, through a country's other voice flags, reopened.
   */
  targetOf?: (account: DesiredAccount, live: LiveAccount) => DesiredAccount;
}

/**
 * What a cancelled apply does, and the words it reports. The promise: no account ends wider than both
 * its old and its new policy, and every cell is reported.
 *
 * - An account whose first write was not sent yet does not start: its cells are skipped and it stays
 *   exactly as it was.
 * - An account in flight still sends its restrictive steps (voice disables, the undo of leaving
 *   inheritance, messaging disables): they only narrow, and the one moment a subaccount can be wider
 *   than both policies is between leaving inheritance and its voice disables, so that gap is always closed.
 * - It starts none of its widening steps (joining inheritance, messaging enables, voice enables: exactly
 *   the steps a failed restrictive write stops, so the schedule's own rule is reused). Each such cell
 *   keeps the value it has, which is off, so each cell of the account ends at the narrower of its old and
 *   its new value. A widening step already sending finishes its requests (each cell it carries is then
 *   as the reviewed plan wants). Finishing the enables would also stay inside the new policy, but a
 *   cancel is often a person stopping a change they do not want, and it lengthens the time to exit: a
 *   runner sends SIGTERM 7.5 s after SIGINT and kills the process 2.5 s later.
 * - What was written is read back, without the pauses between reads (the same number of reads), so the
 *   report is out before the runner's SIGTERM; a cell that does not show its value by then is failed.
 *   That holds for the accounts in flight. Of the accounts done before the cancel whose read-back was
 *   left to the end pass (FamilyContext.readBackAtEnd), at most `concurrency` are read back, so the
 *   wind-down reads about twice what the accounts in flight need, however large the fleet; the cells
 *   of the others are failed as not read back (`notReadBack`): they were sent, but whether Twilio
 *   applied them is not known. No account is read again to compare it with its policy.
 */
export const CANCELLED = {
  notStarted: 'cancelled before it started',
  widening: 'cancelled: not sent, because a cancelled apply starts no step that widens',
  notReadBack:
    'not read back: the apply was cancelled before the end pass read this account, so whether Twilio applied it is not known; run plan to see',
} as const;

/** What every account of one apply shares. */
interface ApplyContext {
  options: ApplyOptions;
  counter: { writes: number };
  /** Every read of the apply shares its country records and tables (most accounts repeat them). */
  tables: CountryTables;
  cancelled: () => boolean;
  /** The pause between read-back reads; it ends at once when the apply is cancelled. */
  pause: (ms: number) => Promise<void>;
  /** Every account done writing, for the end pass (in the order they were done). */
  atEnd: Done[];
}

/**
 * One account done writing, as the end pass needs it: its rows, not its client or its reads (a fleet
 * of 10,000 waits for the end pass; the end pass opens a client again).
 */
interface Done {
  target: ReconcileTarget;
  /** Every row so far; the end pass settles and adds to them. */
  rows: CellRun[];
  /** Its writes were not read back yet: the end pass is its read-back (FamilyContext.readBackAtEnd). */
  readBackAtEnd: boolean;
}

/** What the rest of its family means for one account's schedule (families.ts). */
interface FamilyContext {
  /** false when a voice disable of the parent did not verify: joining would inherit the wider lists. */
  parentNarrowed: boolean;
  /** Voice enables a subaccount still following this account would take on, with why (by cellId). */
  heldEnables: ReadonlyMap<string, string>;
  /** Nothing later in the run depends on it, so the end pass reads it back (families.ts readBackAtEnd). */
  readBackAtEnd: boolean;
}

const NO_FAMILY: FamilyContext = { parentNarrowed: true, heldEnables: new Map(), readBackAtEnd: false };

/** One account being applied, with the read that sees it as Twilio has it now. */
interface AccountJob {
  ctx: ApplyContext;
  account: DesiredAccount;
  planned: AccountPlan;
  client: AccountClient;
  read: () => Promise<LiveAccount>;
  /** Reads some parts, the rest as `base` has it (the check before the enables). */
  readOver: (base: LiveAccount, parts: ReadParts) => Promise<LiveAccount>;
  /** The plan's read of the account in this same run (ApplyOptions.reads), used instead of a re-read. */
  justRead: LiveAccount | null;
}

/**
 * The re-read after leaving inheritance. Settings answers 202 Accepted, and Twilio refuses a
 * subaccount's country writes while it still inherits: when the re-read still shows it inheriting, the
 * setting is polled (bounded, with backoff) and, once it shows, the account is read again.
 */
async function readAfterLeave(job: AccountJob): Promise<{ live: LiveAccount; wait: SettingWait | null }> {
  const live = await job.read();
  if (live.voiceInheritance === false) return { live, wait: null };
  const polling = job.ctx.options.settingsWait ?? DEFAULT_SETTINGS_WAIT;
  const wait = await waitForSetting(() => job.client.fetchVoiceInheritance(), false, polling, job.ctx.pause);
  return { live: wait.shown ? await job.read() : live, wait };
}

/** Why a leave that never showed is undone: what Twilio answered, and how long it was waited for. */
function notShownWhy(left: CellRun | undefined, wait: SettingWait | null, uncertain: boolean): string {
  const reads = 1 + (wait?.reads ?? 0);
  const seconds = Math.round((wait?.waitedMs ?? 0) / 100) / 10;
  const answered = uncertain
    ? `the answer to leaving inheritance was uncertain (${left?.detail ?? 'no answer'})`
    : 'Twilio accepted leaving inheritance (202 Accepted)';
  return `${answered}, but the subaccount still read as inheriting after ${reads} reads over ${seconds} s, so the change may still take effect later`;
}

/** Step 1 and the re-read after it: answers what phase 2 needs, and the live state it re-read. */
async function leaveInheritance(
  job: AccountJob,
  phase: LeavePhase,
  run: AccountRun,
): Promise<{ leave: LeaveOutcome; live: LiveAccount | null }> {
  const cells = addCells(run, [phase.cell]);
  await runStep(job.client, phase.step, run);
  // Twilio refused it: the subaccount still inherits.
  if (run.failed && !cells[0]?.uncertain) return { leave: { phase, left: false, failed: true }, live: null };
  let after: Awaited<ReturnType<typeof readAfterLeave>>;
  try {
    after = await readAfterLeave(job);
  } catch (err) {
    // Inheritance was (or may have been) left, but what is in effect now is unknown: treat it as a
    // failure, so it is undone.
    failCells(run, cells, err);
    return { leave: { phase, left: true, failed: true }, live: null };
  }
  const { live, wait } = after;
  if (live.voiceInheritance !== false) {
    // Accepted (or maybe applied) but not in effect within the bound: no country write is sent, and the
    // leave is undone (restore-inheritance), so a late change cannot bring in unnarrowed own lists.
    const notShown = notShownWhy(cells[0], wait, run.failed);
    for (const c of cells) Object.assign(c, { outcome: 'failed', uncertain: false, detail: notShown });
    run.failed = true;
    return { leave: { phase, left: false, failed: true, notShown }, live: null };
  }
  if (run.failed) {
    // The answer was uncertain, and the truth right after it unreadable or still inheriting; it shows
    // off now: the own lists are in effect, so they are narrowed.
    run.failed = false;
    for (const c of cells) {
      c.outcome = null;
      c.detail = `read back as wanted although the write answered: ${c.detail ?? 'an error'}`;
    }
  }
  return { leave: { phase, left: true, failed: false }, live };
}

/** After a cancel, a widening step the schedule would send is not: its cells are skipped instead. */
function holdWidening(ctx: ApplyContext, step: WriteStep, run: AccountRun): boolean {
  // A step that requires no failure widens (schedule.ts); when it would not be sent anyway (an earlier
  // failure, held for the parent), runStep reports that reason instead.
  if (step.requires !== 'no-failure' || run.failed || step.held !== null || !ctx.cancelled()) return false;
  for (const id of step.requests.flatMap((r) => r.cells)) {
    const cell = run.cells.get(id);
    if (!cell || cell.outcome !== null) continue;
    cell.outcome = 'skipped';
    cell.detail = CANCELLED.widening;
  }
  return true;
}

/** The schedule of one account, sent in order, then read back (here, or by the end pass). */
async function applyAccount(job: AccountJob, family: FamilyContext): Promise<CellRun[]> {
  const { options } = job.ctx;
  const polling = options.readBack ?? DEFAULT_READ_BACK;
  const truth = { read: job.read, readOver: job.readOver, polling, sleep: job.ctx.pause };
  const run = startRun(job.ctx.counter, truth);
  // Re-read right before writing: the plan may be minutes or days old (unless this run just read it).
  let live = job.justRead ?? (await job.read());
  // Nothing is written yet: a cancel now leaves the account exactly as it was.
  if (job.ctx.cancelled()) return unwritten(job.planned, CANCELLED.notStarted);
  if (options.targetOf) job = { ...job, account: options.targetOf(job.account, live) };
  const phase = scheduleLeave(job.account, job.planned, live);
  let leave: LeaveOutcome | null = null;
  if (phase) {
    const afterLeave = await leaveInheritance(job, phase, run);
    leave = afterLeave.leave;
    live = afterLeave.live ?? live;
  }
  const writes = scheduleWrites({
    account: job.account,
    planned: job.planned,
    live,
    leave,
    parentNarrowed: family.parentNarrowed,
    batchSize: options.batchSize ?? DEFAULT_VOICE_BATCH_SIZE,
    heldEnables: family.heldEnables,
  });
  startWrites(run, live, writes.cells);
  for (const step of writes.steps)
    if (!holdWidening(job.ctx, step, run)) await runStep(job.client, step, run);
  // The pre-write state served the check before the enables; the end pass must not keep it per account.
  run.base = null;
  const target = { account: job.account, planned: job.planned };
  // After a cancel there may be no end pass for it: it is read back now (see CANCELLED).
  const atEnd = family.readBackAtEnd && !job.ctx.cancelled();
  const rows = atEnd
    ? [...run.cells.values()]
    : await finalCheck(
        run,
        target,
        job.read,
        await readBack([...run.cells.values()], job.read, polling, truth.sleep),
      );
  job.ctx.atEnd.push({ target, rows, readBackAtEnd: atEnd });
  return rows;
}

/**
 * The end pass for one account: its read-back when it was left to the end (reads until its cells show,
 * as readBack does), then the comparison with its policy (reconcile), which reports what another writer
 * changed meanwhile. A fresh client: the one that wrote it was let go.
 */
async function readAtEnd(ctx: ApplyContext, gateway: TwilioGateway, done: Done): Promise<void> {
  const { account } = done.target;
  // Opened for each read (no request: the gateway keeps what a client is made of); failing to open is
  // failing to read.
  const target = { sid: account.sid, parentSid: account.parentSid };
  const read = async () => readAccount(await gateway.forAccount(target), account, ctx.tables);
  const cells = new Map(done.rows.map((c) => [cellId(c.change), c]));
  const polling = ctx.options.readBack ?? DEFAULT_READ_BACK;
  const lastRead = done.readBackAtEnd ? await readBack(done.rows, read, polling, ctx.pause) : null;
  const rows = await finalCheck({ cells }, done.target, read, lastRead);
  done.rows.push(...rows.slice(done.rows.length));
}

/** A row the end pass did not read back because the run was cancelled: its outcome is not known. */
function notReadBack(done: Done): void {
  for (const c of done.rows) {
    if (c.outcome !== null) continue;
    c.outcome = 'failed';
    c.uncertain = true;
    c.detail = c.detail ? `${c.detail}; ${CANCELLED.notReadBack}` : CANCELLED.notReadBack;
  }
}

/**
 * Once every account is done: each is read again, so what another writer changed meanwhile is
 * reported; for the accounts it was left to, this is their read-back. After a cancel the report must be
 * out quickly (see CANCELLED): accounts already read back are not read again, and of those waiting for
 * their read-back, at most `concurrency` are read back (the others are reported not read back).
 */
async function endPass(ctx: ApplyContext, gateway: TwilioGateway): Promise<void> {
  let readsLeftAfterCancel = ctx.options.concurrency;
  await mapWithConcurrency(ctx.atEnd, ctx.options.concurrency, async (done) => {
    if (ctx.cancelled()) {
      if (!done.readBackAtEnd) return;
      if (readsLeftAfterCancel-- <= 0) return notReadBack(done);
    }
    await readAtEnd(ctx, gateway, done);
  });
}

const unwritten = (planned: AccountPlan, detail: string): CellRun[] =>
  notScheduled(planned, detail).map(rowOf);

/** One account, from its plan to its cells; an account that cannot be reached is reported, not thrown. */
async function applyOne(
  ctx: ApplyContext,
  gateway: TwilioGateway,
  account: DesiredAccount | undefined,
  planned: AccountPlan,
  family: FamilyContext,
  accountErrors: ApplyResult['accountErrors'],
): Promise<CellRun[]> {
  if (!account) return unwritten(planned, DETAIL.notInPolicy);
  if (planned.changes.every((c) => c.kind === 'manual')) return unwritten(planned, '');
  if (ctx.cancelled()) return unwritten(planned, CANCELLED.notStarted);
  try {
    const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
    const read = () => readAccount(client, account, ctx.tables);
    const readPartsOver = (base: LiveAccount, parts: ReadParts) =>
      readOver(client, account, ctx.tables, base, parts);
    const justRead = ctx.options.reads?.[account.sid] ?? null;
    const job = { ctx, account, planned, client, read, readOver: readPartsOver, justRead };
    return await applyAccount(job, family);
  } catch (err) {
    accountErrors.push({ account: planned.account, sid: planned.sid, message: messageOf(err) });
    return unwritten(planned, `not attempted: ${messageOf(err)}`);
  }
}

function toResult(
  plan: Plan,
  cells: readonly CellRun[],
  errors: ApplyResult['accountErrors'],
  ctx: ApplyContext,
) {
  const results = cells.map(resultOf).sort(compareChanges);
  const summary: Record<CellOutcome, number> = { verified: 0, failed: 0, manual: 0, skipped: 0 };
  for (const c of results) summary[c.outcome]++;
  const cancelled = ctx.cancelled();
  const result: ApplyResult = {
    schemaVersion: 1,
    policyFile: plan.policyFile,
    fingerprint: plan.fingerprint,
    // A cancelled run is never ok, even when the cancel came after its last write.
    ok: summary.failed === 0 && summary.skipped === 0 && errors.length === 0 && !cancelled,
    cells: results,
    summary,
    accountErrors: errors,
    writeRequests: ctx.counter.writes,
    // Only when cancelled, so the report of a run that was not is unchanged.
    ...(cancelled ? { cancelled: true as const } : {}),
  };
  return result;
}

/** A pause that ends at once when the apply is cancelled (its timer is left to run out on its own). */
function pauseUntilCancelled(sleep: (ms: number) => Promise<void>, signal: AbortSignal | undefined) {
  if (!signal) return sleep;
  return (ms: number) =>
    signal.aborted
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            resolve();
          };
          signal.addEventListener('abort', done);
          sleep(ms).then(done, done);
        });
}

/**
 * Applies a reviewed plan: per account, re-read, disables first, inheritance in the safe order, the
 * messaging disables then its enables, voice enables, then read-back. A failed restrictive write stops
 * that account's enables, so a partial failure never leaves an account more open than both the old and
 * the new policy. A cancel (options.signal) keeps that promise: see CANCELLED.
 */
export async function applyPlan(
  desired: DesiredState,
  plan: Plan,
  gateway: TwilioGateway,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const bySid = new Map(desired.accounts.map((a) => [a.sid, a]));
  const { signal } = options;
  const ctx: ApplyContext = {
    options,
    counter: { writes: 0 },
    tables: createCountryTables(),
    cancelled: () => signal?.aborted === true,
    pause: pauseUntilCancelled(options.sleep ?? defaultSleep, signal),
    atEnd: [],
  };
  const accountErrors: ApplyResult['accountErrors'] = plan.accounts
    .filter((a) => a.error !== null)
    .map((a) => ({ account: a.account, sid: a.sid, message: `not planned: ${a.error}` }));
  const work = plan.accounts.filter((a) => a.error === null && a.changes.length > 0);
  const apply = (planned: AccountPlan, family: FamilyContext) =>
    applyOne(ctx, gateway, bySid.get(planned.sid), planned, family, accountErrors);

  // By family (families.ts): subaccounts that leave inheritance first, so the voice enables of a parent
  // they still follow are held back; then parents; then the other subaccounts, which join their
  // parent's lists only once every voice disable of that parent verified.
  const waves = familyWaves(work, bySid);
  const parentOf = (a: AccountPlan) => bySid.get(a.sid)?.parentSid ?? '';
  const atEnd = (a: AccountPlan) => readBackAtEnd(a, bySid);
  const leaving = await mapWithConcurrency(waves.leaving, options.concurrency, (p) => apply(p, NO_FAMILY));
  const following = stillFollowing(leaving.flat());
  // A sharded run: subaccounts another shard applies may still follow a parent here (shard-followers.ts).
  const elsewhere = await checkOtherShards(
    ctx.cancelled() ? undefined : desired.shard,
    waves.parents,
    gateway,
    options.concurrency,
  );
  const parents = await mapWithConcurrency(waves.parents, options.concurrency, (planned) => {
    const held = new Map([
      ...(elsewhere.held.get(planned.sid) ?? []),
      ...heldEnables(planned, following, bySid),
    ]);
    return apply(planned, { ...NO_FAMILY, heldEnables: held, readBackAtEnd: atEnd(planned) });
  });
  const unnarrowed = unnarrowedParents(parents.flat());
  const children = await mapWithConcurrency(waves.children, options.concurrency, (planned) =>
    apply(planned, {
      ...NO_FAMILY,
      parentNarrowed: !unnarrowed.has(parentOf(planned)),
      readBackAtEnd: atEnd(planned),
    }),
  );
  await endPass(ctx, gateway);
  if (!ctx.cancelled()) accountErrors.push(...(await elsewhere.recheck(parents.flat())));
  return toResult(plan, [...leaving, ...parents, ...children].flat(), accountErrors, ctx);
}
