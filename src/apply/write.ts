/**
 * Sends the steps of a schedule (schedule.ts) through the AccountClient port and records what Twilio
 * answered: its error code, the per-country results inside a messaging 200, the number of write
 * requests. What to send, and when, is the schedule's; this only evaluates a step's condition, and reads
 * the truth where the schedule's next decision depends on it (truth.ts): after an uncertain answer, and
 * before the first enable.
 */
import type { LiveAccount } from '../model/live.js';
import type { CellChange, CellOutcome, CellResult } from '../model/plan.js';
import type { AccountClient, MessagingUpdateResult } from '../model/twilio-port.js';
import { cellId } from '../plan/cells.js';
import { codeOf, isUncertain, messageOf } from './errors.js';
import { DETAIL, type ScheduledCell, type WriteCall, type WriteRequest, type WriteStep } from './schedule.js';
import { CONFIRM_READS, confirmUnchanged, liveValue, readTruth, type TruthReader } from './truth.js';

/** A tracked cell while its account is applied; its outcome is null until known. */
export interface CellRun {
  change: CellChange;
  /** true: a write is sent for it (so an error answer may still have been applied). */
  write: boolean;
  outcome: CellOutcome | null;
  errorCode: number | null;
  detail: string | null;
  /** A request carrying it was sent. */
  sent?: boolean;
  /**
   * Its outcome is not known for sure (an uncertain answer, a read-back that never saw it): a later read
   * of the account may still find it as wanted.
   */
  uncertain?: boolean;
}

export interface AccountRun {
  /** By cellId, in the order they were scheduled. */
  cells: Map<string, CellRun>;
  /** Set by the first failed write; steps that require no failure are then skipped. */
  failed: boolean;
  /** Write requests sent, shared by every account of the apply. */
  counter: { writes: number };
  /** How the account is read; null: never (an uncertain answer is then a failure; nothing is confirmed). */
  truth: TruthReader | null;
  /** The live state the schedule was made from (startWrites). */
  base: LiveAccount | null;
  /** Requests sent since `base` was read: none, and `base` is still the latest read. */
  sentSinceBase: number;
  /** The check before the enables ran. */
  confirmed: boolean;
  /** Why the enables were refused (the account changed under the run), or null. */
  refused: string | null;
}

export function startRun(counter: { writes: number }, truth: TruthReader | null = null): AccountRun {
  return {
    cells: new Map(),
    failed: false,
    counter,
    truth,
    base: null,
    sentSinceBase: 0,
    confirmed: false,
    refused: null,
  };
}

/**
 * The run record of a scheduled cell. Every field set here, in one order: rows then share one hidden
 * class (a spread gave each row its own: about 250 bytes a row at fleet scale; see resultOf).
 */
export const rowOf = (c: ScheduledCell): CellRun => ({
  change: c.change,
  write: c.write,
  outcome: c.outcome,
  errorCode: null,
  detail: c.detail,
  sent: false,
  uncertain: false,
});

/** Starts tracking scheduled cells; answers their run records. */
export function addCells(run: AccountRun, cells: readonly ScheduledCell[]): CellRun[] {
  return cells.map((c) => {
    const tracked = rowOf(c);
    run.cells.set(cellId(c.change), tracked);
    return tracked;
  });
}

/** Phase 2 begins: its cells are tracked, and `live` (scheduled from) is what the run expects. */
export function startWrites(run: AccountRun, live: LiveAccount, cells: readonly ScheduledCell[]): CellRun[] {
  run.base = live;
  run.sentSinceBase = 0;
  return addCells(run, cells);
}

const cellsOf = (run: AccountRun, ids: readonly string[]): CellRun[] =>
  ids.map((id) => run.cells.get(id)).filter((c): c is CellRun => c !== undefined);

export function failCells(run: AccountRun, cells: readonly CellRun[], err: unknown): void {
  run.failed = true;
  for (const c of cells) {
    c.outcome = 'failed';
    c.errorCode = codeOf(err);
    c.detail = messageOf(err);
  }
}

function skipCells(cells: readonly CellRun[], detail: string): void {
  for (const c of cells) {
    if (c.outcome !== null) continue;
    c.outcome = 'skipped';
    c.detail = detail;
  }
}

/**
 * A write whose answer is uncertain may have been applied: the truth is read before anything else is
 * decided. Cells that show their new value go on to the read-back; the others failed (and so stop the
 * enables), as do all of them when the truth cannot be read.
 */
async function settleUncertain(run: AccountRun, cells: readonly CellRun[], answer: string): Promise<void> {
  if (cells.length === 0) return;
  const live = run.truth ? await readTruth(run.truth.read) : null;
  for (const c of cells) {
    c.errorCode = null;
    c.uncertain = true;
    const value = live && !(live instanceof Error) ? liveValue(live, c.change) : undefined;
    if (value === c.change.to) {
      c.outcome = null;
      c.detail = `read back as wanted although the write answered: ${answer}`;
      continue;
    }
    run.failed = true;
    c.outcome = 'failed';
    if (value !== undefined) c.detail = `${answer}; read back ${String(value)} right after`;
    else
      c.detail = live instanceof Error ? `${answer}; the truth could not be read: ${live.message}` : answer;
  }
}

/** Twilio fails per country inside the 200 of a messaging PATCH: each answer is checked. */
async function recordMessaging(
  run: AccountRun,
  cells: readonly CellRun[],
  results: MessagingUpdateResult[],
): Promise<void> {
  const byIso = new Map(results.map((r) => [r.iso, r]));
  const unanswered: CellRun[] = [];
  for (const c of cells) {
    const r = byIso.get(c.change.country as string);
    if (!r) {
      unanswered.push(c);
    } else if (r.errorCode !== 0) {
      run.failed = true;
      c.outcome = 'failed';
      c.errorCode = r.errorCode;
      c.detail = r.errorMessages.join('; ') || `Twilio error ${r.errorCode}`;
    }
  }
  // No result for a country says nothing of whether it was applied.
  await settleUncertain(run, unanswered, 'Twilio answered no result for this country');
}

/** One request; answers the per-country messaging results, or null for the other calls. */
async function call(client: AccountClient, request: WriteCall): Promise<MessagingUpdateResult[] | null> {
  if (request.op === 'voice') await client.bulkUpdateVoice(request.updates);
  else if (request.op === 'inheritance') await client.setVoiceInheritance(request.inherit);
  else return client.updateMessaging(request.updates);
  return null;
}

async function send(client: AccountClient, request: WriteRequest, run: AccountRun): Promise<void> {
  const cells = cellsOf(run, request.cells);
  for (const c of cells) c.sent = true;
  run.sentSinceBase++;
  try {
    run.counter.writes++;
    const results = await call(client, request.call);
    if (results) await recordMessaging(run, cells, results);
  } catch (err) {
    if (isUncertain(err)) await settleUncertain(run, cells, messageOf(err));
    else failCells(run, cells, err);
  }
}

/** Turns inheritance back on; true when it is on (as answered, or as read after an uncertain answer). */
async function turnInheritanceOn(
  client: AccountClient,
  run: AccountRun,
  left: CellRun,
  why: string,
): Promise<boolean> {
  run.counter.writes++;
  run.sentSinceBase++;
  try {
    await client.setVoiceInheritance(true);
    return true;
  } catch (err) {
    const live = isUncertain(err) && run.truth ? await readTruth(run.truth.read) : null;
    if (live && !(live instanceof Error) && live.voiceInheritance === true) return true;
    left.detail = `${why}, and turning inheritance back on failed too: ${messageOf(err)}`;
    left.errorCode = codeOf(err);
    return false;
  }
}

/**
 * Step 3: the subaccount follows its parent again; leaving stays failed, its voice cells are not in
 * effect. When inheritance could not be turned back on, its own lists stay in effect: their cells keep
 * their outcomes (the read-back says what is true).
 */
async function restoreInheritance(client: AccountClient, step: WriteStep, run: AccountRun): Promise<void> {
  const [left] = cellsOf(
    run,
    step.requests.flatMap((r) => r.cells),
  );
  if (!left) return;
  const why = step.undoes ?? DETAIL.restoreWhy;
  const restored = await turnInheritanceOn(client, run, left, why);
  left.outcome = 'failed';
  left.uncertain = false; // Its outcome is the undo's now, not its own write's.
  if (!restored) return;
  left.detail = `${why}; inheritance was turned back on, so it follows its parent as before`;
  skipCells(cellsOf(run, step.supersedes), DETAIL.undone);
}

/**
 * Before the first enable that is sent: live must be what this run expects after its own writes, else
 * every enable of the account is refused (run.refused). Once per account; not needed when nothing was
 * sent since the schedule's own read. It reads what CONFIRM_READS names (the voice and messaging lists).
 */
async function confirmed(run: AccountRun): Promise<boolean> {
  if (!run.confirmed) {
    run.confirmed = true;
    if (run.truth && run.base && run.sentSinceBase > 0) {
      const written = [...run.cells.values()]
        .filter((c) => c.sent && c.outcome !== 'failed')
        .map((c) => c.change);
      const { base, truth } = run;
      const read = truth.readOver ? () => truth.readOver!(base, CONFIRM_READS) : truth.read;
      run.refused = await confirmUnchanged({ ...truth, read, base, written });
    }
  }
  return run.refused === null;
}

/** Sends one step when its condition holds, else records why its cells were not written. */
export async function runStep(client: AccountClient, step: WriteStep, run: AccountRun): Promise<void> {
  const carried = () =>
    cellsOf(
      run,
      step.requests.flatMap((r) => r.cells),
    );
  if (step.requires === 'failure' && !run.failed) return;
  if (step.requires === 'no-failure' && run.failed)
    return skipCells(carried(), step.skipDetail ?? DETAIL.earlierFailure);
  if (step.held !== null) return skipCells(carried(), step.held);
  if (step.confirm && !(await confirmed(run))) return skipCells(carried(), run.refused ?? '');
  if (step.kind === 'restore-inheritance') return restoreInheritance(client, step, run);
  for (const request of step.requests) await send(client, request, run);
}

/** The result row of a tracked cell; a cell never settled counts as failed. */
export const resultOf = (c: CellRun): CellResult =>
  // Object.assign, not a spread: V8 gives each object made by `{ ...change, more }` a hidden class of
  // its own (about 500 bytes each, 50,000 results in a fleet of 10,000); assigned ones share one.
  Object.assign({}, c.change, { outcome: c.outcome ?? 'failed', errorCode: c.errorCode, detail: c.detail });
