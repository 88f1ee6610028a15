/**
 * The write schedule of one account, pure (no I/O, no client): from the planned changes and the live
 * state re-read right before writing, it decides every cell the apply takes responsibility for (written,
 * already as wanted, manual, skipped and why, restored after leaving inheritance, changed since the
 * plan, held back for a subaccount) and the ordered write steps, each with the cells it carries and what
 * its failure stops. write.ts sends the steps, read-back.ts verifies them, apply.ts runs the phases.
 *
 * The order is the safety argument: a failure part-way never leaves an account wider than both the old
 * and the new policy. Every restrictive write comes before every enable.
 *
 *  1. Leave inheritance, then re-read (Twilio refuses country writes while a subaccount inherits, and the
 *     subaccount's own lists are in effect from then on). Settings answers 202 Accepted: while the re-read
 *     still shows it inheriting, apply waits for it, bounded; when it never shows, no voice cell is
 *     written and the leave is undone (`notShown`), as after a failure.
 *  2. Voice disables, in batches of `batchSize` countries.
 *  3. If the subaccount just left inheritance and anything failed: turn inheritance back on (its own lists
 *     could not be narrowed, so it follows its parent as before) and skip its voice cells.
 *  4. Messaging disables (their own PATCH: Twilio answers per country inside a 200, so a refused disable
 *     sent beside enables would leave the enables applied).
 *  -  Before the first enable that is sent: re-read the account and compare it with what this run expects
 *     live after its own restrictive writes (`confirm`). Anything else that changed (another apply, a
 *     Console change) refuses every enable of the account: it is written by someone else right now.
 *  5. Join inheritance, only when nothing failed and the parent's voice disables verified.
 *  6. Messaging enables, only if nothing restrictive failed.
 *  7. Voice enables, only if nothing restrictive failed.
 *
 * A write whose answer is uncertain (no Twilio error code: a dropped connection, an unreadable body) is
 * followed by a read of the truth before the next step is decided (write.ts). Then every touched cell is
 * read back, and the whole account is compared with the policy once more (read-back.ts).
 *
 * Step 1 is its own phase (scheduleLeave) because what follows depends on the live state after it:
 * scheduleWrites plans steps 2 to 7 from the re-read. Steps that depend on an earlier failure say so as
 * data (`requires`), and the executor only evaluates it.
 */
import type { DesiredAccount } from '../model/desired.js';
import type { LiveAccount, VoiceFlags } from '../model/live.js';
import type { AccountPlan, CellChange, VoiceCellCategory } from '../model/plan.js';
import { VOICE_FLAG, isVoiceFlag } from '../model/plan.js';
import type { MessagingUpdate, VoiceCountryUpdate } from '../model/twilio-port.js';
import { diffAccount } from '../plan/build.js';
import { cellId } from '../plan/cells.js';

/** Every reason the schedule gives a cell, so the report words each decision one way. */
export const DETAIL = {
  alreadyAsWanted: 'already as the policy wants when re-read before writing',
  restored: 'was in effect through the parent before leaving inheritance; kept on',
  disabledSincePlan: 'changed since the plan; disabled to match the policy',
  manualSincePlan: 'changed since the plan; ',
  notReviewed:
    'changed since the plan: the reviewed plan did not show this, and apply never enables what was not reviewed; re-run plan',
  leaveFailed: 'not attempted: leaving inheritance failed, so the subaccount still follows its parent',
  leaveNotShown:
    'not attempted: leaving inheritance did not take effect in time (Twilio accepted it, but the subaccount still read as inheriting, and Twilio refuses its country writes while it inherits), so its own lists were not written',
  earlierFailure:
    'not attempted: an earlier restrictive write for this account failed, so nothing is enabled',
  parentNotNarrowed:
    "not attempted: the parent's voice changes did not all apply, and joining now would give this subaccount the parent's unnarrowed lists",
  restoreWhy: 'the subaccount left inheritance, but its own lists could not be narrowed to the policy',
  undone: 'not in effect: the subaccount follows its parent again (leaving inheritance was undone)',
  notInPolicy: 'the account is no longer in the policy',
  changedUnder:
    'not attempted: the account changed under this apply after it re-read it (another apply or a Console change is writing it), so nothing is enabled; re-run plan. Changed: ',
} as const;

/**
 * Why a voice enable of a parent is held back: `child` should have left inheritance in this run but still
 * follows this account, and its own policy does not allow the cell, so enabling it here enables it there.
 */
export const heldForChild = (child: string): string =>
  `not attempted: subaccount ${child} could not leave inheritance and still follows this account; enabling this here would enable it on ${child} too, which its policy does not allow`;

/** What the schedule decided for one cell, before anything is written. */
export interface ScheduledCell {
  /** The planned change, its `from` as re-read before writing. */
  change: CellChange;
  /** true: a step writes it; false: not written (already as wanted, manual, skipped). */
  write: boolean;
  /** Settled without writing; null: settled by its write and the read-back. */
  outcome: 'manual' | 'skipped' | null;
  detail: string | null;
}

export type StepKind =
  | 'leave-inheritance'
  | 'voice-disables'
  | 'restore-inheritance'
  | 'join-inheritance'
  | 'messaging-disables'
  | 'messaging-enables'
  | 'voice-enables';

export type WriteCall =
  /** One BulkCountryUpdates request: all three flags of each country. */
  | { op: 'voice'; updates: VoiceCountryUpdate[] }
  | { op: 'inheritance'; inherit: boolean }
  /** One messaging PATCH. */
  | { op: 'messaging'; updates: MessagingUpdate[] };

export interface WriteRequest {
  call: WriteCall;
  /** Ids (cellId) of the cells this request writes: a failed answer fails exactly these. */
  cells: string[];
}

/**
 * When a step is sent. 'always'; 'no-failure': only when no earlier write of the account failed (else its
 * cells are skipped with `skipDetail`); 'failure': only when one did (the undo of leaving inheritance).
 */
export type StepCondition = 'always' | 'no-failure' | 'failure';

export interface WriteStep {
  kind: StepKind;
  /** Sent in order, every one once the step runs: a failed batch does not hold back the next batch. */
  requests: WriteRequest[];
  requires: StepCondition;
  /** Why its cells are skipped when `requires: 'no-failure'` does not hold. */
  skipDetail: string | null;
  /** Known before writing: the step is not sent even when `requires` holds, its cells skipped for this. */
  held: string | null;
  /**
   * An enable: before the first such step that is sent, the account is re-read and compared with what the
   * run expects live after its restrictive writes; a difference refuses it and every later enable.
   */
  confirm?: boolean;
  /** restore-inheritance only: cells no longer in effect once the subaccount follows its parent again. */
  supersedes: string[];
  /** restore-inheritance only: why leaving is undone (default DETAIL.restoreWhy). */
  undoes?: string;
  /** The later steps a failure of this one stops (they require no failure). */
  failureStops: StepKind[];
  /** The later steps a failure of this one starts (they require a failure). */
  failureStarts: StepKind[];
}

/** Phase 1: leave inheritance; then re-read, and plan phase 2 from what the re-read shows. */
export interface LeavePhase {
  cell: ScheduledCell;
  step: WriteStep;
  then: 're-read';
  /**
   * Voice cells as the policy wants while the subaccount inherits: should its own lists differ on one
   * once they are in effect, it is written back even when that enables it (it restores what was reviewed).
   */
  restores: ReadonlySet<string>;
}

/** What phase 1 did, as phase 2 needs it. */
export interface LeaveOutcome {
  phase: LeavePhase;
  /** Inheritance was left: the own lists are in effect, so a later failure must undo it. */
  left: boolean;
  /** The leave or the re-read after it failed: no voice cell of the account is written. */
  failed: boolean;
  /**
   * Twilio accepted the leave (Settings answers 202 Accepted) but the subaccount still read as
   * inheriting after the bounded wait: why, in words. It may still take effect later, so it is undone
   * as after a failure (restore-inheritance), and no voice cell is written.
   */
  notShown?: string;
}

export interface WritesInput {
  account: DesiredAccount;
  planned: AccountPlan;
  /** The live state re-read before writing (after leaving inheritance, when that happened). */
  live: LiveAccount;
  leave: LeaveOutcome | null;
  /** false when a voice disable of the parent did not verify: joining would inherit the wider lists. */
  parentNarrowed: boolean;
  batchSize: number;
  /** Voice enables not sent, by cellId, with why (heldForChild): a subaccount would take them on. */
  heldEnables?: ReadonlyMap<string, string>;
}

/** Phase 2: every tracked cell (but the leave cell of phase 1) and steps 2 to 7, in order. */
export interface WritesPhase {
  cells: ScheduledCell[];
  steps: WriteStep[];
}

/** A leave failure: no voice cell is written, and enables wait for a run without failures. */
const LEAVE_FAILURE_STOPS: StepKind[] = ['voice-disables', 'messaging-enables', 'voice-enables'];

const changesAgainst = (account: DesiredAccount, live: LiveAccount): CellChange[] =>
  diffAccount({ account, live, parent: { desired: null, live: null } }).changes;

const idOf = (c: ScheduledCell): string => cellId(c.change);

/** A step; one that requires no failure is an enable, so it is confirmed against the live state first. */
function step(kind: StepKind, requests: WriteRequest[], requires: StepCondition = 'always'): WriteStep {
  return {
    kind,
    requests,
    requires,
    skipDetail: requires === 'no-failure' ? DETAIL.earlierFailure : null,
    held: null,
    confirm: requires === 'no-failure',
    supersedes: [],
    failureStops: [],
    failureStarts: [],
  };
}

/** Step 1, when the plan leaves inheritance and the subaccount still inherits when re-read. */
export function scheduleLeave(
  account: DesiredAccount,
  planned: AccountPlan,
  live: LiveAccount,
): LeavePhase | null {
  const leave = planned.changes.find((c) => c.category === 'voice.inherit' && !c.to);
  if (!leave || live.voiceInheritance !== true) return null;
  const differing = new Set(changesAgainst(account, live).map(cellId));
  const restores = new Set<string>();
  for (const country of Object.keys(live.voice))
    for (const category of Object.keys(VOICE_FLAG) as VoiceCellCategory[]) {
      const id = cellId({ sid: account.sid, category, country });
      if (!differing.has(id)) restores.add(id);
    }
  const leaveStep = step('leave-inheritance', [
    { call: { op: 'inheritance', inherit: false }, cells: [cellId(leave)] },
  ]);
  return {
    cell: { change: leave, write: true, outcome: null, detail: null },
    step: { ...leaveStep, failureStops: LEAVE_FAILURE_STOPS },
    then: 're-read',
    restores,
  };
}

/** A planned cell, as the re-read finds it. */
function plannedCell(change: CellChange, current: CellChange | undefined): ScheduledCell {
  if (change.kind === 'manual')
    return { change, write: false, outcome: 'manual', detail: change.manual?.reason ?? null };
  if (!current) return { change, write: false, outcome: null, detail: DETAIL.alreadyAsWanted };
  // The planned change itself when the re-read agrees (the rule): a row per cell, not a copy of it too.
  const asRead = current.from === change.from ? change : { ...change, from: current.from };
  return { change: asRead, write: true, outcome: null, detail: null };
}

/** A cell the plan did not show but the re-read does: only disables and restores are written. */
function changedSincePlan(change: CellChange, restores: ReadonlySet<string>): ScheduledCell {
  if (change.kind === 'manual')
    return {
      change,
      write: false,
      outcome: 'manual',
      detail: DETAIL.manualSincePlan + (change.manual?.reason ?? ''),
    };
  if (change.category !== 'voice.inherit' && (!change.to || restores.has(cellId(change))))
    return {
      change,
      write: true,
      outcome: null,
      detail: change.to ? DETAIL.restored : DETAIL.disabledSincePlan,
    };
  return { change, write: false, outcome: 'skipped', detail: DETAIL.notReviewed };
}

/** Every cell phase 2 tracks: the planned ones first, then those changed since the plan. */
function decideCells(input: WritesInput): ScheduledCell[] {
  const { leave } = input;
  const seen = new Set(leave ? [cellId(leave.phase.cell.change)] : []);
  const restores = leave?.left ? leave.phase.restores : new Set<string>();
  const now = changesAgainst(input.account, input.live);
  const nowById = new Map(now.map((c) => [cellId(c), c]));
  const cells: ScheduledCell[] = [];
  for (const change of input.planned.changes) {
    const id = cellId(change);
    if (seen.has(id)) continue;
    seen.add(id);
    cells.push(plannedCell(change, nowById.get(id)));
  }
  for (const change of now) if (!seen.has(cellId(change))) cells.push(changedSincePlan(change, restores));
  const kept = input.heldEnables ? holdEnables(cells, input.heldEnables) : cells;
  if (!leave?.failed) return kept;
  // Inheritance could not be left: the subaccount still follows its parent, write none of its voice cells.
  return kept.map((c) =>
    c.outcome === null && c.change.category !== 'messaging'
      ? { ...c, outcome: 'skipped', detail: leave.notShown ? DETAIL.leaveNotShown : DETAIL.leaveFailed }
      : c,
  );
}

/** A parent's voice enables a subaccount would take on through inheritance are not written (heldForChild). */
function holdEnables(cells: ScheduledCell[], held: ReadonlyMap<string, string>): ScheduledCell[] {
  return cells.map((c) => {
    const why = c.write && c.change.to && isVoiceFlag(c.change.category) ? held.get(idOf(c)) : undefined;
    return why === undefined ? c : { ...c, write: false, outcome: 'skipped', detail: why };
  });
}

interface CountryUpdate {
  update: VoiceCountryUpdate;
  cells: string[];
}

/** The three voice flags of a country as re-read (a country Twilio does not list counts as all off). */
function flagsOf(live: LiveAccount, iso: string): VoiceFlags {
  const f = live.voice[iso];
  return {
    low_risk: f?.low_risk ?? false,
    high_risk_special: f?.high_risk_special ?? false,
    high_risk_tollfraud: f?.high_risk_tollfraud ?? false,
  };
}

/** Per touched country, sorted: the flags after its disables, then its target with the enables too. */
function voiceUpdates(writes: readonly ScheduledCell[], live: LiveAccount) {
  const byCountry = new Map<string, ScheduledCell[]>();
  for (const c of writes) {
    if (!isVoiceFlag(c.change.category)) continue;
    const iso = c.change.country as string;
    byCountry.set(iso, [...(byCountry.get(iso) ?? []), c]);
  }
  const disables: CountryUpdate[] = [];
  const enables: CountryUpdate[] = [];
  const flag = (c: ScheduledCell) => VOICE_FLAG[c.change.category as VoiceCellCategory];
  for (const [iso, cells] of [...byCountry].sort(([a], [b]) => a.localeCompare(b))) {
    const off = cells.filter((c) => !c.change.to);
    const on = cells.filter((c) => c.change.to);
    const afterDisables = flagsOf(live, iso);
    for (const c of off) afterDisables[flag(c)] = false;
    if (off.length > 0) disables.push({ update: { iso, ...afterDisables }, cells: off.map(idOf) });
    if (on.length === 0) continue;
    const target = { ...afterDisables };
    for (const c of on) target[flag(c)] = true;
    enables.push({ update: { iso, ...target }, cells: on.map(idOf) });
  }
  return { disables, enables };
}

function batches(updates: readonly CountryUpdate[], batchSize: number): WriteRequest[] {
  const requests: WriteRequest[] = [];
  for (let i = 0; i < updates.length; i += batchSize) {
    const batch = updates.slice(i, i + batchSize);
    requests.push({
      call: { op: 'voice', updates: batch.map((b) => b.update) },
      cells: batch.flatMap((b) => b.cells),
    });
  }
  return requests;
}

function messagingRequest(cells: readonly ScheduledCell[]): WriteRequest[] {
  if (cells.length === 0) return [];
  const updates = cells.map((c) => ({ iso: c.change.country as string, enabled: c.change.to }));
  return [{ call: { op: 'messaging', updates }, cells: cells.map(idOf) }];
}

/** Steps 2 to 7 over the cells to write; a step with nothing to send is left out. */
function orderSteps(input: WritesInput, cells: readonly ScheduledCell[]): WriteStep[] {
  const writes = cells.filter((c) => c.write && c.outcome === null);
  const voice = voiceUpdates(writes, input.live);
  const messaging = writes.filter((c) => c.change.category === 'messaging');
  const steps: WriteStep[] = [step('voice-disables', batches(voice.disables, input.batchSize))];
  if (input.leave?.left || input.leave?.notShown) {
    // Its own lists may be wider than both its parent's (before) and the policy (after); a leave not
    // shown yet may still take effect, so it is undone too.
    const restore = step('restore-inheritance', [
      { call: { op: 'inheritance', inherit: true }, cells: [cellId(input.leave.phase.cell.change)] },
    ]);
    const supersedes = cells.filter((c) => c.change.category !== 'messaging').map(idOf);
    const undoes = input.leave.notShown;
    steps.push({ ...restore, requires: 'failure', supersedes, ...(undoes ? { undoes } : {}) });
  }
  steps.push(step('messaging-disables', messagingRequest(messaging.filter((c) => !c.change.to))));
  const join = writes.find((c) => c.change.category === 'voice.inherit' && c.change.to);
  if (join) {
    const joinStep = step(
      'join-inheritance',
      [{ call: { op: 'inheritance', inherit: true }, cells: [idOf(join)] }],
      'no-failure',
    );
    steps.push({ ...joinStep, held: input.parentNarrowed ? null : DETAIL.parentNotNarrowed });
  }
  steps.push(
    step('messaging-enables', messagingRequest(messaging.filter((c) => c.change.to)), 'no-failure'),
    step('voice-enables', batches(voice.enables, input.batchSize), 'no-failure'),
  );
  return withFailureEffects(steps.filter((s) => s.requests.length > 0));
}

/** Says on each step what its failure stops and starts, from the conditions of the steps after it. */
function withFailureEffects(steps: readonly WriteStep[]): WriteStep[] {
  return steps.map((s, i) => {
    const later = steps.slice(i + 1);
    return {
      ...s,
      failureStops: later.filter((l) => l.requires === 'no-failure').map((l) => l.kind),
      failureStarts: later.filter((l) => l.requires === 'failure').map((l) => l.kind),
    };
  });
}

/** Steps 2 to 7, from the live state re-read before writing (after step 1, when it ran). */
export function scheduleWrites(input: WritesInput): WritesPhase {
  const cells = decideCells(input);
  return { cells, steps: orderSteps(input, cells) };
}

/** The cells of an account that is not written at all: manual stays manual, the rest is skipped. */
export function notScheduled(planned: AccountPlan, detail: string): ScheduledCell[] {
  return planned.changes.map((change) =>
    change.kind === 'manual'
      ? { change, write: false, outcome: 'manual', detail: change.manual?.reason ?? null }
      : { change, write: false, outcome: 'skipped', detail },
  );
}
