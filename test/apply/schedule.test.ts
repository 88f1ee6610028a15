// The write schedule, pure: which cells are written, in which order, and what a failure stops. No
// client: the live states are built by hand and the plan by buildPlan over them.
import { describe, expect, it } from 'vitest';
import { countryInfo } from '../../src/catalog/index.js';
import type { DesiredAccount, DesiredState } from '../../src/model/desired.js';
import type { LiveAccount } from '../../src/model/live.js';
import type { AccountPlan } from '../../src/model/plan.js';
import { buildPlan } from '../../src/plan/build.js';
import { cellId } from '../../src/plan/cells.js';
import {
  DETAIL,
  notScheduled,
  scheduleLeave,
  scheduleWrites,
  type LeaveOutcome,
  type ScheduledCell,
  type WriteStep,
  type WritesInput,
} from '../../src/apply/schedule.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  type FakeAccount,
} from '../support/fake-account-client.js';

/** The live state Twilio answers for `account`; an inheriting subaccount shows its parent's voice lists. */
function liveOf(account: FakeAccount, parent?: FakeAccount): LiveAccount {
  const voiceSource = account.inheritance && parent ? parent : account;
  const info = (iso: string) => countryInfo(iso);
  return {
    identity: account.identity,
    voiceInheritance: account.inheritance,
    voice: Object.fromEntries(
      Object.entries(voiceSource.voice).map(([iso, flags]) => [
        iso,
        {
          iso,
          name: info(iso)?.name ?? iso,
          continent: info(iso)?.continent ?? null,
          callingCodes: info(iso)?.callingCodes ?? [],
          ...flags,
        },
      ]),
    ),
    messaging: Object.fromEntries(
      Object.entries(account.messaging).map(([iso, enabled]) => [
        iso,
        { iso, enabled, prefix: null, message: null },
      ]),
    ),
  };
}

/** The reviewed plan of one account of `desired`, against the live states given by SID. */
function planned(desired: DesiredState, live: Record<string, LiveAccount>, n: number): AccountPlan {
  const plan = buildPlan(desired, { accounts: live, errors: [] });
  return plan.accounts[n - 1]!;
}

const writesOf = (
  desired: DesiredState,
  n: number,
  plan: AccountPlan,
  live: LiveAccount,
  more: Partial<WritesInput> = {},
) =>
  scheduleWrites({
    account: desired.accounts[n - 1] as DesiredAccount,
    planned: plan,
    live,
    leave: null,
    parentNarrowed: true,
    batchSize: 50,
    ...more,
  });

/** A step as one line: its kind, its condition, and each request's countries (or inheritance value). */
function describeStep(step: WriteStep): string {
  const requests = step.requests.map((r) => {
    if (r.call.op === 'inheritance') return `inherit=${r.call.inherit}`;
    return r.call.updates.map((u) => u.iso).join(',');
  });
  return `${step.kind} (${step.requires}) ${requests.join(' | ')}`;
}

const cellLine = (c: ScheduledCell) =>
  `${c.change.category} ${c.change.country ?? '-'} ${c.change.to ? 'on' : 'off'} write=${c.write} ${c.outcome ?? 'pending'}`;

describe('scheduleWrites: the order', () => {
  // One parent: BR and DE voice on (to disable), US, FR, GB off (to enable); messaging BR on (off), US off (on).
  const account = fakeAccount(1, {
    voice: { BR: { low_risk: true }, DE: { low_risk: true } },
    messaging: { BR: true },
  });
  const desired = desiredState([desiredAccount(1, { low: ['US', 'FR', 'GB'], messaging: ['US'] })]);
  const live = liveOf(account);
  const plan = planned(desired, { [account.identity.sid]: live }, 1);

  it('disables voice first, then messaging disables, messaging enables and voice enables, in batches', () => {
    const { steps } = writesOf(desired, 1, plan, live, { batchSize: 2 });
    expect(steps.map(describeStep)).toEqual([
      'voice-disables (always) BR,DE',
      'messaging-disables (always) BR',
      'messaging-enables (no-failure) US',
      'voice-enables (no-failure) FR,GB | US',
    ]);
  });

  it('says what a failure of each step stops: every later enable, never a disable', () => {
    const { steps } = writesOf(desired, 1, plan, live);
    expect(Object.fromEntries(steps.map((s) => [s.kind, s.failureStops]))).toEqual({
      'voice-disables': ['messaging-enables', 'voice-enables'],
      'messaging-disables': ['messaging-enables', 'voice-enables'],
      'messaging-enables': ['voice-enables'],
      'voice-enables': [],
    });
    const enables = steps.filter((s) => s.requires === 'no-failure');
    expect(enables.map((s) => s.skipDetail)).toEqual([DETAIL.earlierFailure, DETAIL.earlierFailure]);
  });

  it('each step carries exactly the cells its requests write', () => {
    const { steps } = writesOf(desired, 1, plan, live, { batchSize: 2 });
    const carried = steps.map((s) => s.requests.map((r) => r.cells));
    const id = (category: string, country: string) =>
      cellId({ sid: account.identity.sid, category: category as 'messaging', country });
    expect(carried).toEqual([
      [[id('voice.low_risk', 'BR'), id('voice.low_risk', 'DE')]],
      [[id('messaging', 'BR')]],
      [[id('messaging', 'US')]],
      [[id('voice.low_risk', 'FR'), id('voice.low_risk', 'GB')], [id('voice.low_risk', 'US')]],
    ]);
  });

  it('sends all three flags of a country: the disable keeps the others as read, the enable adds to it', () => {
    const both = fakeAccount(1, { voice: { DE: { low_risk: true, high_risk_tollfraud: true } } });
    const wanted = desiredState([desiredAccount(1, { special: ['DE'], tollfraud: ['DE'] })]);
    const read = liveOf(both);
    const { steps } = writesOf(wanted, 1, planned(wanted, { [both.identity.sid]: read }, 1), read);
    const updates = steps.map((s) =>
      s.requests[0]!.call.op === 'voice' ? s.requests[0]!.call.updates : null,
    );
    expect(updates).toEqual([
      [{ iso: 'DE', low_risk: false, high_risk_special: false, high_risk_tollfraud: true }],
      [{ iso: 'DE', low_risk: false, high_risk_special: true, high_risk_tollfraud: true }],
    ]);
  });

  it('leaves out the steps with nothing to send', () => {
    const onlyOff = desiredState([desiredAccount(1, { messaging: [] })]);
    const { steps } = writesOf(onlyOff, 1, planned(onlyOff, { [account.identity.sid]: live }, 1), live);
    expect(steps.map((s) => s.kind)).toEqual(['voice-disables', 'messaging-disables']);
  });
});

describe('scheduleWrites: the cells as re-read before writing', () => {
  it('a planned cell already as wanted is only read back; one that changed since the plan is not enabled', () => {
    const account = fakeAccount(1);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })]);
    const plan = planned(desired, { [account.identity.sid]: liveOf(account) }, 1);
    // Console changes after the plan: US already on, FR turned on; the policy now also wants GB.
    const now = fakeAccount(1, { voice: { US: { low_risk: true }, FR: { low_risk: true } } });
    const wider = desiredState([desiredAccount(1, { low: ['US', 'GB'] })]);
    const { cells, steps } = writesOf(wider, 1, plan, liveOf(now));
    expect(cells.map(cellLine)).toEqual([
      'voice.low_risk US on write=false pending',
      'voice.low_risk GB on write=false skipped',
      'voice.low_risk FR off write=true pending',
    ]);
    expect(cells.map((c) => c.detail)).toEqual([
      DETAIL.alreadyAsWanted,
      DETAIL.notReviewed,
      DETAIL.disabledSincePlan,
    ]);
    expect(steps.map(describeStep)).toEqual(['voice-disables (always) FR']);
  });

  it('takes `from` from the re-read, not from the plan', () => {
    const account = fakeAccount(1, { messaging: { DE: true } });
    const desired = desiredState([desiredAccount(1, {})]);
    const plan = planned(desired, { [account.identity.sid]: liveOf(account) }, 1);
    const planCell = { ...plan.changes[0]!, from: false }; // as if the plan had read it otherwise
    const { cells } = writesOf(desired, 1, { ...plan, changes: [planCell] }, liveOf(account));
    expect(cells[0]!.change.from).toBe(true);
  });

  it('keeps manual cells out of every step, with their reason; one that appeared since the plan says so', () => {
    const account = fakeAccount(1);
    const desired = desiredState([desiredAccount(1, { messaging: ['NG', 'US'] })]);
    const plan = planned(desired, { [account.identity.sid]: liveOf(account) }, 1);
    const now = fakeAccount(1, { messaging: { PK: true } });
    const { cells, steps } = writesOf(desired, 1, plan, liveOf(now));
    const manual = cells.filter((c) => c.outcome === 'manual');
    expect(manual.map((c) => `${c.change.country} ${c.write}`)).toEqual(['NG false', 'PK false']);
    expect(manual[0]!.detail).toBe(plan.changes.find((c) => c.country === 'NG')!.manual!.reason);
    expect(manual[1]!.detail).toMatch(/^changed since the plan; high-risk messaging country/);
    const sent = steps.flatMap((s) => s.requests.flatMap((r) => r.cells));
    expect(sent).toEqual([cellId({ sid: account.identity.sid, category: 'messaging', country: 'US' })]);
  });

  it('notScheduled: an account that is not written keeps its manual cells manual and skips the rest', () => {
    const account = fakeAccount(1, { voice: { DE: { low_risk: true } } });
    const desired = desiredState([desiredAccount(1, { messaging: ['NG'] })]);
    const plan = planned(desired, { [account.identity.sid]: liveOf(account) }, 1);
    const reason = plan.changes.find((c) => c.country === 'NG')!.manual!.reason;
    expect(notScheduled(plan, 'why').map((c) => `${c.change.country} ${c.outcome} ${c.detail}`)).toEqual([
      `NG manual ${reason}`,
      'DE skipped why',
    ]);
  });
});

// The parent allows US and GB; the subaccount inherits, its own stored lists are US, DE and FR.
function leavingFixture() {
  const parent = fakeAccount(1, { voice: { US: { low_risk: true }, GB: { low_risk: true } } });
  const sub = fakeAccount(2, {
    parent: 1,
    inheritance: true,
    voice: { US: { low_risk: true }, DE: { low_risk: true }, FR: { low_risk: true } },
  });
  const desired = desiredState([
    desiredAccount(1, { low: ['US', 'GB'] }),
    desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US', 'GB'] }),
  ]);
  const whileInheriting = liveOf(sub, parent);
  const plan = planned(
    desired,
    { [parent.identity.sid]: liveOf(parent), [sub.identity.sid]: whileInheriting },
    2,
  );
  const ownLists = liveOf({ ...sub, inheritance: false });
  const phase = scheduleLeave(desired.accounts[1]!, plan, whileInheriting)!;
  const after = (leave: Omit<LeaveOutcome, 'phase'>) =>
    writesOf(desired, 2, plan, leave.left && !leave.failed ? ownLists : whileInheriting, {
      leave: { phase, ...leave },
    });
  return { parent, sub, desired, whileInheriting, plan, ownLists, phase, after };
}

describe('leaving inheritance', () => {
  const { parent, sub, desired, plan, ownLists, phase, after } = leavingFixture();

  it('comes first, alone, then a re-read: scheduleLeave is phase 1', () => {
    expect(plan.changes.map((c) => c.category)).toEqual(['voice.inherit']);
    expect(describeStep(phase.step)).toBe('leave-inheritance (always) inherit=false');
    expect(phase.then).toBe('re-read');
    expect(phase.step.requests[0]!.cells).toEqual([cellId(plan.changes[0]!)]);
    expect(phase.step.failureStops).toEqual(['voice-disables', 'messaging-enables', 'voice-enables']);
  });

  it('is not scheduled when the re-read shows the subaccount no longer inherits, or the plan does not leave', () => {
    expect(scheduleLeave(desired.accounts[1]!, plan, ownLists)).toBeNull();
    expect(scheduleLeave(desired.accounts[0]!, planned(desired, {}, 1), liveOf(parent))).toBeNull();
  });

  it('restores what was in effect through the parent, and disables the own cells the policy does not want', () => {
    expect(
      phase.restores.has(cellId({ sid: sub.identity.sid, category: 'voice.low_risk', country: 'GB' })),
    ).toBe(true);
    const { cells, steps } = after({ left: true, failed: false });
    expect(cells.map((c) => `${cellLine(c)}: ${c.detail}`)).toEqual([
      `voice.low_risk GB on write=true pending: ${DETAIL.restored}`,
      `voice.low_risk DE off write=true pending: ${DETAIL.disabledSincePlan}`,
      `voice.low_risk FR off write=true pending: ${DETAIL.disabledSincePlan}`,
    ]);
    expect(steps.map(describeStep)).toEqual([
      'voice-disables (always) DE,FR',
      'restore-inheritance (failure) inherit=true',
      'voice-enables (no-failure) GB',
    ]);
  });

  it('an enable that was never in effect through the parent is not restored', () => {
    const noGB = fakeAccount(1, { voice: { US: { low_risk: true } } });
    const whileOnUS = liveOf(sub, noGB);
    const p = planned(desired, { [noGB.identity.sid]: liveOf(noGB), [sub.identity.sid]: whileOnUS }, 2);
    const leave = scheduleLeave(desired.accounts[1]!, p, whileOnUS)!;
    // GB differed while inheriting, so the plan showed it: it is written as a planned enable.
    expect(p.changes.map((c) => `${c.category} ${c.country}`)).toEqual([
      'voice.inherit null',
      'voice.low_risk GB',
    ]);
    expect(
      leave.restores.has(cellId({ sid: sub.identity.sid, category: 'voice.low_risk', country: 'GB' })),
    ).toBe(false);
    const { cells } = writesOf(desired, 2, p, ownLists, {
      leave: { phase: leave, left: true, failed: false },
    });
    expect(cells.find((c) => c.change.country === 'GB')).toMatchObject({ write: true, detail: null });
  });
});

describe('leaving inheritance, then a failure', () => {
  const { parent, sub, desired, whileInheriting, ownLists, phase, after } = leavingFixture();

  it('a failure after leaving turns inheritance back on: the undo carries the leave cell and supersedes the voice cells', () => {
    const { steps } = after({ left: true, failed: false });
    const [disables, restore] = steps;
    expect(disables!.failureStarts).toEqual(['restore-inheritance']);
    expect(disables!.failureStops).toEqual(['voice-enables']);
    expect(restore!.requests[0]!.cells).toEqual([cellId(phase.cell.change)]);
    // Messaging does not follow the parent: undoing the leave leaves it as written.
    const withMessaging = desiredState([
      desired.accounts[0]!,
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US', 'GB'], messaging: ['US'] }),
    ]);
    const p = planned(
      withMessaging,
      { [parent.identity.sid]: liveOf(parent), [sub.identity.sid]: whileInheriting },
      2,
    );
    const leave = scheduleLeave(withMessaging.accounts[1]!, p, whileInheriting)!;
    const { cells, steps: withMessagingSteps } = writesOf(withMessaging, 2, p, ownLists, {
      leave: { phase: leave, left: true, failed: false },
    });
    const undo = withMessagingSteps.find((s) => s.kind === 'restore-inheritance')!;
    const voice = cells.filter((c) => c.change.category !== 'messaging');
    expect(voice).toHaveLength(3);
    expect(undo.supersedes).toEqual(voice.map((c) => cellId(c.change)));
  });

  it('when leaving failed, writes no voice cell, and no undo is scheduled', () => {
    const withMessaging = desiredState([
      desired.accounts[0]!,
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US', 'DE'], messaging: ['US'] }),
    ]);
    const p = planned(
      withMessaging,
      { [parent.identity.sid]: liveOf(parent), [sub.identity.sid]: whileInheriting },
      2,
    );
    const leave = scheduleLeave(withMessaging.accounts[1]!, p, whileInheriting)!;
    const { cells, steps } = writesOf(withMessaging, 2, p, whileInheriting, {
      leave: { phase: leave, left: false, failed: true },
    });
    expect(cells.map(cellLine)).toEqual([
      'voice.low_risk DE on write=true skipped',
      'messaging US on write=true pending',
      'voice.low_risk GB off write=true skipped',
    ]);
    expect(cells.filter((c) => c.outcome === 'skipped').map((c) => c.detail)).toEqual([
      DETAIL.leaveFailed,
      DETAIL.leaveFailed,
    ]);
    expect(steps.map(describeStep)).toEqual(['messaging-enables (no-failure) US']);
  });

  it('when inheritance was left but the re-read failed, the undo is scheduled and runs (a failure happened)', () => {
    const { cells, steps } = after({ left: true, failed: true });
    expect(cells.every((c) => c.outcome === 'skipped')).toBe(true);
    expect(steps.map(describeStep)).toEqual(['restore-inheritance (failure) inherit=true']);
  });
});

describe('joining inheritance', () => {
  const parent = fakeAccount(1, { voice: { US: { low_risk: true }, DE: { low_risk: true } } });
  const sub = fakeAccount(2, { parent: 1, inheritance: false, voice: { US: { low_risk: true } } });
  const desired = desiredState([
    desiredAccount(1, { low: ['US'] }),
    desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true, messaging: ['US', 'GB'] }),
  ]);
  const live = liveOf(sub);
  const plan = planned(desired, { [parent.identity.sid]: liveOf(parent), [sub.identity.sid]: live }, 2);

  it('comes after the voice disables and before messaging, only when nothing failed', () => {
    const { steps } = writesOf(desired, 2, plan, live);
    expect(steps.map(describeStep)).toEqual([
      'join-inheritance (no-failure) inherit=true',
      'messaging-enables (no-failure) GB,US',
    ]);
    expect(steps[0]!.held).toBeNull();
    expect(steps[0]!.skipDetail).toBe(DETAIL.earlierFailure);
    expect(steps[0]!.failureStops).toEqual(['messaging-enables']);
  });

  it("is held when the parent's voice disables did not all verify", () => {
    const { steps } = writesOf(desired, 2, plan, live, { parentNarrowed: false });
    expect(steps[0]).toMatchObject({ kind: 'join-inheritance', held: DETAIL.parentNotNarrowed });
    // Holding the join is not a failure: the messaging enables stay scheduled.
    expect(steps[1]).toMatchObject({ kind: 'messaging-enables', held: null });
  });

  it('is not scheduled when the re-read shows the subaccount already inherits', () => {
    const { cells, steps } = writesOf(desired, 2, plan, liveOf({ ...sub, inheritance: true }, parent));
    expect(steps.map((s) => s.kind)).toEqual(['messaging-enables']);
    expect(cells.find((c) => c.change.category === 'voice.inherit')).toMatchObject({
      write: false,
      outcome: null,
      detail: DETAIL.alreadyAsWanted,
    });
  });
});

describe('every restrictive write before every enable', () => {
  // A subaccount to join its parent (US only), whose messaging loses BR and gains GB.
  const parent = fakeAccount(1, { voice: { US: { low_risk: true } } });
  const sub = fakeAccount(2, { parent: 1, inheritance: false, messaging: { BR: true } });
  const desired = desiredState([
    desiredAccount(1, { low: ['US'] }),
    desiredAccount(2, { parent: { name: 'account-1', n: 1 }, inherit: true, messaging: ['GB'] }),
  ]);
  const live = liveOf(sub);
  const plan = planned(desired, { [parent.identity.sid]: liveOf(parent), [sub.identity.sid]: live }, 2);

  it('joins inheritance after the messaging disables, and a messaging disable failure stops the join', () => {
    const { steps } = writesOf(desired, 2, plan, live);
    expect(steps.map(describeStep)).toEqual([
      'messaging-disables (always) BR',
      'join-inheritance (no-failure) inherit=true',
      'messaging-enables (no-failure) GB',
    ]);
    expect(steps[0]!.failureStops).toEqual(['join-inheritance', 'messaging-enables']);
  });

  it('confirms the live state before every enable step, never before a restrictive one', () => {
    const { steps } = writesOf(desired, 2, plan, live);
    expect(steps.map((s) => `${s.kind} ${String(s.confirm)}`)).toEqual([
      'messaging-disables false',
      'join-inheritance true',
      'messaging-enables true',
    ]);
  });
});

describe('voice enables held back for a subaccount', () => {
  const account = fakeAccount(1, { voice: { DE: { low_risk: true } } });
  const desired = desiredState([desiredAccount(1, { low: ['US', 'GB'], tollfraud: ['GB'] })]);
  const live = liveOf(account);
  const plan = planned(desired, { [account.identity.sid]: live }, 1);
  const id = (category: 'voice.low_risk' | 'voice.high_risk_tollfraud', country: string) =>
    cellId({ sid: account.identity.sid, category, country });

  it('are skipped with why, and the country update keeps them off; disables and other enables still go', () => {
    const heldEnables = new Map([[id('voice.high_risk_tollfraud', 'GB'), 'held for sub-1']]);
    const { cells, steps } = writesOf(desired, 1, plan, live, { heldEnables });
    expect(cells.find((c) => c.change.category === 'voice.high_risk_tollfraud')).toMatchObject({
      write: false,
      outcome: 'skipped',
      detail: 'held for sub-1',
    });
    expect(steps.map(describeStep)).toEqual([
      'voice-disables (always) DE',
      'voice-enables (no-failure) GB,US',
    ]);
    const gb = steps[1]!.requests[0]!.call;
    expect(gb.op === 'voice' && gb.updates.find((u) => u.iso === 'GB')).toMatchObject({
      low_risk: true,
      high_risk_tollfraud: false,
    });
  });
});
