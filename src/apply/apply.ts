/**
 * Applies a reviewed plan: per account, re-read, then the schedule (schedule.ts: which writes, in which
 * order, what a failure stops) sent step by step (write.ts), then the read-back (read-back.ts). Parents
 * go first, so a subaccount joins inheritance only once its parent's voice disables verified.
 */
import { mapWithConcurrency } from '../live/concurrency.js';
import { createCountryTables, type CountryTables } from '../live/country-tables.js';
import { readAccount } from '../live/read.js';
import { DEFAULT_VOICE_BATCH_SIZE } from '../model/defaults.js';
import type { DesiredAccount, DesiredState } from '../model/desired.js';
import type { LiveAccount } from '../model/live.js';
import type { AccountPlan, ApplyResult, CellOutcome, Plan } from '../model/plan.js';
import type { AccountClient, TwilioGateway } from '../model/twilio-port.js';
import { compareChanges } from '../plan/build.js';
import { readBack, recheckUnsure, type ReadBackPolling } from './read-back.js';
import {
  DETAIL,
  notScheduled,
  scheduleLeave,
  scheduleWrites,
  type LeaveOutcome,
  type LeavePhase,
} from './schedule.js';
import {
  addCells,
  failCells,
  messageOf,
  resultOf,
  runStep,
  startRun,
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
  sleep?: (ms: number) => Promise<void>;
}

/** What every account of one apply shares. */
interface ApplyContext {
  options: ApplyOptions;
  counter: { writes: number };
  /** Every read of the apply shares its country records and tables (most accounts repeat them). */
  tables: CountryTables;
}

/** One account being applied, with the read that sees it as Twilio has it now. */
interface AccountJob {
  ctx: ApplyContext;
  account: DesiredAccount;
  planned: AccountPlan;
  client: AccountClient;
  read: () => Promise<LiveAccount>;
}

/** Step 1 and the re-read after it: answers what phase 2 needs, and the live state it re-read. */
async function leaveInheritance(
  job: AccountJob,
  phase: LeavePhase,
  run: AccountRun,
): Promise<{ leave: LeaveOutcome; live: LiveAccount | null }> {
  const cells = addCells(run, [phase.cell]);
  await runStep(job.client, phase.step, run);
  if (run.failed) return { leave: { phase, left: false, failed: true }, live: null };
  try {
    const live = await job.read();
    return { leave: { phase, left: true, failed: false }, live };
  } catch (err) {
    // Inheritance was left, but what is in effect now is unknown: treat it as a failure, so it is undone.
    failCells(run, cells, err);
    return { leave: { phase, left: true, failed: true }, live: null };
  }
}

/** The schedule of one account, sent in order, then read back. */
async function applyAccount(job: AccountJob, parentNarrowed: boolean): Promise<CellRun[]> {
  const { options } = job.ctx;
  const run = startRun(job.ctx.counter);
  // Re-read right before writing: the plan may be minutes or days old.
  let live = await job.read();
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
    parentNarrowed,
    batchSize: options.batchSize ?? DEFAULT_VOICE_BATCH_SIZE,
  });
  addCells(run, writes.cells);
  for (const step of writes.steps) await runStep(job.client, step, run);
  const cells = [...run.cells.values()];
  await readBack(cells, job.read, options.readBack, options.sleep);
  await recheckUnsure(cells, job.read);
  return cells;
}

const unwritten = (planned: AccountPlan, detail: string): CellRun[] =>
  notScheduled(planned, detail).map((c) => ({ ...c, errorCode: null }));

/** One account, from its plan to its cells; an account that cannot be reached is reported, not thrown. */
async function applyOne(
  ctx: ApplyContext,
  gateway: TwilioGateway,
  account: DesiredAccount | undefined,
  planned: AccountPlan,
  parentNarrowed: boolean,
  accountErrors: ApplyResult['accountErrors'],
): Promise<CellRun[]> {
  if (!account) return unwritten(planned, DETAIL.notInPolicy);
  if (planned.changes.every((c) => c.kind === 'manual')) return unwritten(planned, '');
  try {
    const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
    const read = () => readAccount(client, account, ctx.tables);
    return await applyAccount({ ctx, account, planned, client, read }, parentNarrowed);
  } catch (err) {
    accountErrors.push({ account: planned.account, sid: planned.sid, message: messageOf(err) });
    return unwritten(planned, `not attempted: ${messageOf(err)}`);
  }
}

/** Parents whose voice disables (inheritance left included) did not all verify. */
function unnarrowedParents(cells: readonly CellRun[]): Set<string> {
  return new Set(
    cells
      .filter((c) => c.change.category.startsWith('voice.') && !c.change.to && c.outcome !== 'verified')
      .map((c) => c.change.sid),
  );
}

function toResult(
  plan: Plan,
  cells: readonly CellRun[],
  errors: ApplyResult['accountErrors'],
  writes: number,
) {
  const results = cells.map(resultOf).sort(compareChanges);
  const summary: Record<CellOutcome, number> = { verified: 0, failed: 0, manual: 0, skipped: 0 };
  for (const c of results) summary[c.outcome]++;
  const result: ApplyResult = {
    schemaVersion: 1,
    policyFile: plan.policyFile,
    fingerprint: plan.fingerprint,
    ok: summary.failed === 0 && summary.skipped === 0 && errors.length === 0,
    cells: results,
    summary,
    accountErrors: errors,
    writeRequests: writes,
  };
  return result;
}

/**
 * Applies a reviewed plan: per account, re-read, disables first, inheritance in the safe order, the
 * messaging disables then its enables, voice enables, then read-back. A failed restrictive write stops
 * that account's enables, so a partial failure never leaves an account more open than both the old and
 * the new policy.
 */
export async function applyPlan(
  desired: DesiredState,
  plan: Plan,
  gateway: TwilioGateway,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const bySid = new Map(desired.accounts.map((a) => [a.sid, a]));
  const ctx: ApplyContext = { options, counter: { writes: 0 }, tables: createCountryTables() };
  const accountErrors: ApplyResult['accountErrors'] = plan.accounts
    .filter((a) => a.error !== null)
    .map((a) => ({ account: a.account, sid: a.sid, message: `not planned: ${a.error}` }));
  const work = plan.accounts.filter((a) => a.error === null && a.changes.length > 0);
  const apply = (planned: AccountPlan, parentNarrowed: boolean) =>
    applyOne(ctx, gateway, bySid.get(planned.sid), planned, parentNarrowed, accountErrors);

  // Parents first: a subaccount that joins inheritance takes on its parent's lists as they are then, so
  // it joins only once every voice disable of its parent verified.
  const workSids = new Set(work.map((a) => a.sid));
  const parentOf = (a: AccountPlan) => bySid.get(a.sid)?.parentSid ?? null;
  const isChild = (a: AccountPlan) => workSids.has(parentOf(a) ?? '');
  const first = await mapWithConcurrency(
    work.filter((a) => !isChild(a)),
    options.concurrency,
    (planned) => apply(planned, true),
  );
  const unnarrowed = unnarrowedParents(first.flat());
  const second = await mapWithConcurrency(work.filter(isChild), options.concurrency, (planned) =>
    apply(planned, !unnarrowed.has(parentOf(planned) ?? '')),
  );
  return toResult(plan, [...first, ...second].flat(), accountErrors, ctx.counter.writes);
}
