import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan, type ApplyOptions } from '../../src/apply/apply.js';
import { parseEmulatorState, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import type { ApplyResult, CellResult } from '../../src/model/plan.js';
import type { AccountClient, TwilioGateway } from '../../src/model/twilio-port.js';
import { buildPlan } from '../../src/plan/build.js';
import { loadPolicy } from '../../src/policy/load.js';
import {
  accountOf,
  cancelFleet,
  CANCEL_POLICY,
  CHILDREN,
  cellsOf,
  PARENT,
  PARENT_TOKEN,
  slowWrites,
  wantedCells,
  widerThanBoth,
} from '../support/cancel-fleet.js';
import { control, gatewayOn, requestLog } from '../support/emulator-helpers.js';

const NOT_STARTED = 'cancelled before it started';
const WIDENING = /^cancelled: /;

let emulator: RunningEmulator | null = null;
afterEach(async () => {
  await emulator?.stop();
  emulator = null;
});

function desiredOf(text: string) {
  const { desired, diagnostics } = loadPolicy(text, 'geo-permissions.yml', {
    now: new Date('2026-11-25T12:00:00Z'),
    mode: 'plan',
  });
  if (!desired) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return desired;
}

const WRITES = new Set(['bulkUpdateVoice', 'setVoiceInheritance', 'updateMessaging']);

/** The gateway, with every client (or only `sid`'s) aborting `controller` the moment it sends its first write. */
function abortingOnFirstWrite(
  gateway: TwilioGateway,
  controller: AbortController,
  sid?: string,
): TwilioGateway {
  return {
    async forAccount(target) {
      const client = await gateway.forAccount(target);
      if (sid !== undefined && target.sid !== sid) return client;
      return new Proxy(client, {
        get(obj, key, receiver) {
          const value: unknown = Reflect.get(obj, key, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (WRITES.has(String(key))) controller.abort('SIGINT');
            return (value as (...a: unknown[]) => unknown).apply(obj, args);
          };
        },
      }) as AccountClient;
    },
  };
}

async function planAndApply(text: string, options: Partial<ApplyOptions>, abortOnWrite?: AbortController) {
  if (!emulator) throw new Error('no emulator');
  const { gateway } = gatewayOn(emulator, { kind: 'authToken', accountSid: PARENT, authToken: PARENT_TOKEN });
  const desired = desiredOf(text);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 4 }));
  const writer = abortOnWrite ? abortingOnFirstWrite(gateway, abortOnWrite) : gateway;
  return applyPlan(desired, plan, writer, {
    concurrency: 2,
    readBack: { attempts: 3, delayMs: 5 },
    ...options,
  });
}

const cellsFor = (result: ApplyResult, sid: string): CellResult[] =>
  result.cells.filter((c) => c.sid === sid);
const rows = (cells: readonly CellResult[]) =>
  cells.map((c) => `${c.outcome} ${c.category} ${c.country ?? ''} ${c.to ? 'on' : 'off'}`).sort();

describe('applyPlan with a cancel signal', () => {
  it('pre-aborted: starts no account, writes and reads nothing, and reports every cell skipped', async () => {
    emulator = await startEmulator({ state: cancelFleet() });
    const { gateway } = gatewayOn(emulator, {
      kind: 'authToken',
      accountSid: PARENT,
      authToken: PARENT_TOKEN,
    });
    const desired = desiredOf(CANCEL_POLICY);
    const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 4 }));
    await control(emulator, 'DELETE', 'requests');
    const controller = new AbortController();
    controller.abort('SIGTERM');
    const result = await applyPlan(desired, plan, gateway, { concurrency: 2, signal: controller.signal });

    expect(await requestLog(emulator)).toEqual([]);
    expect(result.cancelled).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.writeRequests).toBe(0);
    expect(result.cells).toHaveLength(16);
    for (const c of result.cells) expect(c).toMatchObject({ outcome: 'skipped', detail: NOT_STARTED });
  });

  it('mid-run: the accounts in flight finish their disables and read them back; no new account or enable starts', async () => {
    emulator = await startEmulator({ state: cancelFleet() });
    const before = cancelFleet();
    await slowWrites(emulator, 100);
    const controller = new AbortController();
    const result = await planAndApply(CANCEL_POLICY, { signal: controller.signal }, controller);
    await control(emulator, 'DELETE', 'faults');
    const after = emulator.state();

    // Concurrency 2: the first two accounts are in flight (or not yet writing) when the first write is
    // sent; the last two are never started.
    for (const sid of CHILDREN.slice(2)) {
      for (const c of cellsFor(result, sid))
        expect(c).toMatchObject({ outcome: 'skipped', detail: NOT_STARTED });
      expect(accountOf(after, sid)).toEqual(accountOf(before, sid));
    }
    const inFlight = CHILDREN.slice(0, 2).filter((sid) =>
      cellsFor(result, sid).some((c) => c.outcome === 'verified'),
    );
    expect(inFlight.length).toBeGreaterThan(0);
    for (const sid of inFlight) {
      // Its restrictive writes all went out and were read back; its enables were never sent.
      expect(rows(cellsFor(result, sid))).toEqual([
        'skipped messaging GB on',
        'skipped voice.low_risk GB on',
        'verified messaging MX off',
        'verified voice.low_risk MX off',
      ]);
      for (const c of cellsFor(result, sid).filter((c) => c.to)) expect(c.detail).toMatch(WIDENING);
      expect(accountOf(after, sid).voice.countries.MX?.lowRisk).toBe(false);
      expect(accountOf(after, sid).messaging.MX).toBe(false);
      expect(accountOf(after, sid).voice.countries.GB?.lowRisk ?? false).toBe(false);
    }
    for (const sid of CHILDREN.slice(0, 2).filter((s) => !inFlight.includes(s)))
      expect(accountOf(after, sid)).toEqual(accountOf(before, sid));
    for (const sid of CHILDREN)
      expect(widerThanBoth(accountOf(before, sid), accountOf(after, sid), wantedCells())).toEqual([]);
    expect(result.cancelled).toBe(true);
    expect(result.ok).toBe(false);
    expect(result.summary.failed).toBe(0);
    expect(result.accountErrors).toEqual([]);
  });

  it('without a signal, nothing changes: the same fleet is applied in full', async () => {
    emulator = await startEmulator({ state: cancelFleet() });
    const result = await planAndApply(CANCEL_POLICY, {});
    expect(result.ok).toBe(true);
    expect(result.cancelled).toBeUndefined();
    expect(result.summary).toEqual({ verified: 16, failed: 0, manual: 0, skipped: 0 });
  });
});

describe('applyPlan cancelled while accounts wait for the end pass to read them back', () => {
  it('reads back at most `concurrency` of them and reports the others not read back, never verified', async () => {
    emulator = await startEmulator({ state: cancelFleet() });
    const { gateway } = gatewayOn(emulator, {
      kind: 'authToken',
      accountSid: PARENT,
      authToken: PARENT_TOKEN,
    });
    const desired = desiredOf(CANCEL_POLICY);
    const live = await readLiveState(gateway, desired, { concurrency: 4 });
    const plan = buildPlan(desired, live);
    const before = cancelFleet();
    // One account at a time: team-1 and team-2 are done (their read-back left to the end pass) when
    // team-3 sends its first write and the run is cancelled.
    const controller = new AbortController();
    const result = await applyPlan(desired, plan, abortingOnFirstWrite(gateway, controller, CHILDREN[2]), {
      concurrency: 1,
      readBack: { attempts: 3, delayMs: 5 },
      reads: live.accounts,
      signal: controller.signal,
    });
    const after = emulator.state();
    expect(result).toMatchObject({ cancelled: true, ok: false });
    // team-1: read back by the end pass (one account, as many as run at once).
    expect(rows(cellsFor(result, CHILDREN[0]!))).toEqual([
      'verified messaging GB on',
      'verified messaging MX off',
      'verified voice.low_risk GB on',
      'verified voice.low_risk MX off',
    ]);
    // team-2: written in full, but not read back: not known, so not verified.
    for (const c of cellsFor(result, CHILDREN[1]!))
      expect(c).toMatchObject({
        outcome: 'failed',
        detail: expect.stringMatching(/^not read back: the apply was cancelled/),
      });
    expect(cellsOf(accountOf(after, CHILDREN[1]!))).toEqual(cellsOf(accountOf(after, CHILDREN[0]!)));
    // team-3, in flight: its disables sent and read back, its enables not sent; team-4 never started.
    expect(rows(cellsFor(result, CHILDREN[2]!))).toEqual([
      'skipped messaging GB on',
      'skipped voice.low_risk GB on',
      'verified messaging MX off',
      'verified voice.low_risk MX off',
    ]);
    for (const c of cellsFor(result, CHILDREN[3]!))
      expect(c).toMatchObject({ outcome: 'skipped', detail: NOT_STARTED });
    for (const sid of CHILDREN)
      expect(widerThanBoth(accountOf(before, sid), accountOf(after, sid), wantedCells())).toEqual([]);
  });
});

const SUB = CHILDREN[0]!;
const leavingState = () =>
  parseEmulatorState({
    accounts: [
      {
        sid: PARENT,
        authToken: PARENT_TOKEN,
        voice: { countries: { US: { lowRisk: true }, JM: { lowRisk: true }, GB: { lowRisk: true } } },
        messaging: { US: true },
      },
      {
        sid: SUB,
        authToken: 'cancel-test-token-sub',
        ownerAccountSid: PARENT,
        // Inherits US, JM, GB; its own lists, in effect once it leaves, have BR and DE on.
        voice: { inheritance: true, countries: { BR: { lowRisk: true }, DE: { lowRisk: true } } },
        messaging: { US: true },
      },
    ],
  });
const LEAVING_POLICY = [
  'version: 1',
  'accounts:',
  '  parent:',
  `    sid: ${PARENT}`,
  '    voice: {low_risk: [US, JM, GB], high_risk_special: [], high_risk_tollfraud: []}',
  '    messaging: [US]',
  '  sub:',
  `    sid: ${SUB}`,
  '    parent: parent',
  '    voice: {inherit: false, low_risk: [US, JM], high_risk_special: [], high_risk_tollfraud: []}',
  '    messaging: [US]',
  '',
].join('\n');

describe('applyPlan cancelled right after leaving inheritance', () => {
  it('still narrows the own lists that came into effect, and sends none of the restores', async () => {
    emulator = await startEmulator({ state: leavingState() });
    await slowWrites(emulator, 100);
    const controller = new AbortController();
    const result = await planAndApply(LEAVING_POLICY, { signal: controller.signal }, controller);
    await control(emulator, 'DELETE', 'faults');
    const sub = accountOf(emulator.state(), SUB);

    // The abort came with the leave: BR and DE (on in the own lists, wanted by neither policy) still went off.
    const byCell = Object.fromEntries(
      cellsFor(result, SUB).map((c) => [`${c.category} ${c.country ?? ''}`, c]),
    );
    expect(byCell['voice.inherit ']).toMatchObject({ outcome: 'verified' });
    expect(byCell['voice.low_risk BR']).toMatchObject({ outcome: 'verified', to: false });
    expect(byCell['voice.low_risk DE']).toMatchObject({ outcome: 'verified', to: false });
    // US and JM would restore what the parent gave: an enable, so not sent after the cancel.
    expect(byCell['voice.low_risk US']).toMatchObject({
      outcome: 'skipped',
      detail: expect.stringMatching(WIDENING),
    });
    expect(byCell['voice.low_risk JM']).toMatchObject({
      outcome: 'skipped',
      detail: expect.stringMatching(WIDENING),
    });
    expect(sub.voice.inheritance).toBe(false);
    const on = Object.entries(sub.voice.countries).filter(
      ([, f]) => f.lowRisk || f.highRiskSpecial || f.highRiskTollfraud,
    );
    // Narrower than both: the parent's US, JM, GB before, and US, JM after.
    expect(on).toEqual([]);
    expect(result.summary.failed).toBe(0);
    expect(result.cancelled).toBe(true);
  });
});
