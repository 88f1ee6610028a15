/**
 * Sends the steps of a schedule (schedule.ts) through the AccountClient port and records what Twilio
 * answered: its error code, the per-country results inside a messaging 200, the number of write
 * requests. What to send, and when, is the schedule's; this only evaluates a step's condition.
 */
import type { CellChange, CellOutcome, CellResult } from '../model/plan.js';
import type { AccountClient, MessagingUpdateResult } from '../model/twilio-port.js';
import { cellId } from '../plan/cells.js';
import { DETAIL, type ScheduledCell, type WriteCall, type WriteRequest, type WriteStep } from './schedule.js';

/** A tracked cell while its account is applied; its outcome is null until known. */
export interface CellRun {
  change: CellChange;
  /** true: a write is sent for it (so an error answer may still have been applied). */
  write: boolean;
  outcome: CellOutcome | null;
  errorCode: number | null;
  detail: string | null;
}

export interface AccountRun {
  /** By cellId, in the order they were scheduled. */
  cells: Map<string, CellRun>;
  /** Set by the first failed write; steps that require no failure are then skipped. */
  failed: boolean;
  /** Write requests sent, shared by every account of the apply. */
  counter: { writes: number };
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Twilio's error code, when the error carries one. */
export const codeOf = (err: unknown): number | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
};

export function startRun(counter: { writes: number }): AccountRun {
  return { cells: new Map(), failed: false, counter };
}

/** Starts tracking scheduled cells; answers their run records. */
export function addCells(run: AccountRun, cells: readonly ScheduledCell[]): CellRun[] {
  return cells.map((c) => {
    const tracked: CellRun = { ...c, errorCode: null };
    run.cells.set(cellId(c.change), tracked);
    return tracked;
  });
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

/** Twilio fails per country inside the 200 of a messaging PATCH: each answer is checked. */
function recordMessaging(run: AccountRun, cells: readonly CellRun[], results: MessagingUpdateResult[]): void {
  const byIso = new Map(results.map((r) => [r.iso, r]));
  for (const c of cells) {
    const r = byIso.get(c.change.country as string);
    if (!r) {
      run.failed = true;
      c.outcome = 'failed';
      c.detail = 'Twilio answered no result for this country';
    } else if (r.errorCode !== 0) {
      run.failed = true;
      c.outcome = 'failed';
      c.errorCode = r.errorCode;
      c.detail = r.errorMessages.join('; ') || `Twilio error ${r.errorCode}`;
    }
  }
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
  try {
    run.counter.writes++;
    const results = await call(client, request.call);
    if (results) recordMessaging(run, cells, results);
  } catch (err) {
    failCells(run, cells, err);
  }
}

/** Step 3: the subaccount follows its parent again; leaving stays failed, its voice cells are not in effect. */
async function restoreInheritance(client: AccountClient, step: WriteStep, run: AccountRun): Promise<void> {
  const [left] = cellsOf(
    run,
    step.requests.flatMap((r) => r.cells),
  );
  if (!left) return;
  try {
    run.counter.writes++;
    await client.setVoiceInheritance(true);
    left.detail = `${DETAIL.restoreWhy}; inheritance was turned back on, so it follows its parent as before`;
  } catch (err) {
    left.detail = `${DETAIL.restoreWhy}, and turning inheritance back on failed too: ${messageOf(err)}`;
    left.errorCode = codeOf(err);
  }
  left.outcome = 'failed';
  skipCells(cellsOf(run, step.supersedes), DETAIL.undone);
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
  if (step.kind === 'restore-inheritance') return restoreInheritance(client, step, run);
  for (const request of step.requests) await send(client, request, run);
}

/** The result row of a tracked cell; a cell never settled counts as failed. */
export const resultOf = (c: CellRun): CellResult => ({
  ...c.change,
  outcome: c.outcome ?? 'failed',
  errorCode: c.errorCode,
  detail: c.detail,
});
