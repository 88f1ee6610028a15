import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { readDriftEvents } from '../../src/live/events.js';
import { frameDrift } from '../../src/plan/drift.js';
import { readLiveState } from '../../src/live/read.js';
import { decideDriftIssue } from '../../src/github/drift-issue.js';
import { driftStateMarker } from '../../src/github/markers.js';
import type { RunningEmulator } from '../../src/emulator/index.js';

/** A fault as POST /__emulator/faults takes it (docs/emulator.md). */
type Fault = { type: string } & Record<string, unknown>;
import { buildPlan } from '../../src/plan/build.js';
import { control } from '../support/emulator-helpers.js';
import {
  desiredOf,
  gatewayFor,
  NOW,
  remainingChanges,
  startFleet,
  writeRequests,
} from '../support/hardening.js';

/**
 * The fault matrix (docs/hardening.md): plan, apply and drift against the emulator under each fault.
 * Transient faults must end in the right result after retries; permanent ones in a clean failure that
 * says, cell by cell, what is true, and a later fault-free run converges.
 */
const APPLY = { batchSize: 50, concurrency: 4, readBack: { attempts: 3, delayMs: 1 } };
const TIMEOUT_MS = 300;

const TRANSIENT: Record<string, Fault[]> = {
  '429 with Retry-After': [{ type: 'status', status: 429, retryAfter: 0.01, every: 2, count: 6 }],
  'a burst of 500s': [{ type: 'status', status: 500, count: 3 }],
  'a burst of 503s': [{ type: 'status', status: 503, every: 3, count: 5 }],
  'dropped connections': [{ type: 'drop', every: 3, count: 4 }],
  'answers slower than the timeout': [{ type: 'slow', ms: 1_500, every: 4, count: 3 }],
};

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startFleet();
});
afterEach(async () => {
  await emulator.stop();
});

const gateway = () => gatewayFor(emulator, { timeoutMs: TIMEOUT_MS });
const faults = (list: Fault[]) => control(emulator, 'POST', 'faults', list);
const clearFaults = () => control(emulator, 'DELETE', 'faults');
const fired = async (): Promise<number> =>
  ((await control(emulator, 'GET', 'faults')).faults as Array<{ fired: number }>).reduce(
    (sum, f) => sum + f.fired,
    0,
  );

describe.each(Object.entries(TRANSIENT))('transient fault: %s', (_name, list) => {
  it('plan reads every account and finds the five changes', async () => {
    const desired = desiredOf();
    await faults(list);
    const live = await readLiveState(gateway(), desired, { concurrency: 3 });
    expect(live.errors).toEqual([]);
    expect(await fired()).toBeGreaterThan(0);
    expect(buildPlan(desired, live).summary.writes).toBe(5);
  });

  it('apply verifies every cell and the fleet matches the policy', async () => {
    const desired = desiredOf();
    const gw = gateway();
    const plan = buildPlan(desired, await readLiveState(gw, desired, { concurrency: 3 }));
    await faults(list);
    const result = await applyPlan(desired, plan, gw, APPLY);
    expect(await fired()).toBeGreaterThan(0);
    expect(result.accountErrors).toEqual([]);
    expect(result.cells.map((c) => c.outcome)).toEqual(Array(5).fill('verified'));
    expect(result.ok).toBe(true);
    await clearFaults();
    expect(await remainingChanges(emulator)).toEqual([]);
  });

  it('drift is complete and reports the drifted cells', async () => {
    const desired = desiredOf();
    const gw = gateway();
    await faults(list);
    const live = await readLiveState(gw, desired, { concurrency: 3 });
    const plan = buildPlan(desired, live);
    const report = frameDrift(plan, await readDriftEvents(gw, desired, plan, { now: NOW, lookbackDays: 30 }));
    expect(report.complete).toBe(true);
    expect(report.items).toHaveLength(5);
  });
});

describe('permanent faults end in a clean failure', () => {
  it('a malformed answer is not taken as data: the account is reported as unread, the others planned', async () => {
    const desired = desiredOf();
    await faults([{ type: 'malformed', mode: 'not-json', path: '/v1/Messaging/GeoPermissions', count: 1 }]);
    const live = await readLiveState(gateway(), desired, { concurrency: 1 });
    expect(live.errors).toHaveLength(1);
    expect(live.errors[0]?.message).toMatch(/not JSON/);
    const plan = buildPlan(desired, live);
    expect(plan.summary.errors).toBe(1);
    expect(plan.accounts.filter((a) => a.error === null)).toHaveLength(2);
  });

  it('JSON missing every expected field is refused, not read as "all off"', async () => {
    const desired = desiredOf();
    await faults([{ type: 'malformed', mode: 'missing-fields', path: '/v1/DialingPermissions/Countries' }]);
    const live = await readLiveState(gateway(), desired, { concurrency: 3 });
    expect(live.errors.map((e) => e.account).sort()).toEqual(['production', 'sandbox', 'support-eu']);
    expect(buildPlan(desired, live).summary.writes).toBe(0);
  });

  it('a scan that errored is incomplete and never closes the drift issue', async () => {
    const desired = desiredOf();
    const gw = gateway();
    await faults([{ type: 'status', status: 503, path: '/v1/Messaging/GeoPermissions' }]);
    const live = await readLiveState(gw, desired, { concurrency: 3 });
    const plan = buildPlan(desired, live);
    const report = frameDrift(plan, await readDriftEvents(gw, desired, plan, { now: NOW, lookbackDays: 30 }));
    expect(report.complete).toBe(false);
    expect(report.items).toEqual([]);
    const openIssue = {
      number: 7,
      title: 'drift',
      body: driftStateMarker({ fingerprint: 'sha256:old', cells: ['x'] }),
      state: 'open' as const,
      author: 'github-actions[bot]',
      isPullRequest: false,
      closedAt: null,
      labels: ['geo-permissions-drift'],
      url: 'https://github.com/acme/telephony/issues/7',
    };
    const decision = decideDriftIssue(
      [openIssue] as unknown as Parameters<typeof decideDriftIssue>[0],
      {
        detected: report.items.length > 0,
        complete: report.complete,
        state: { fingerprint: report.fingerprint, cells: [] },
      },
      { title: 'drift', body: 'body' },
      'https://example.test/run',
    );
    expect(decision.ops.filter((op) => op.op === 'close')).toEqual([]);
    expect(decision.issue).toBe(7);
  });

  it('a fault in the middle of an apply reports every cell, and the next run converges', async () => {
    const desired = desiredOf();
    const gw = gateway();
    const plan = buildPlan(desired, await readLiveState(gw, desired, { concurrency: 3 }));
    // Every voice bulk update fails (after retries); the messaging PATCH goes through.
    await faults([
      { type: 'status', status: 500, method: 'POST', path: '/v1/DialingPermissions/BulkCountryUpdates' },
    ]);
    const result = await applyPlan(desired, plan, gw, APPLY);
    expect(result.ok).toBe(false);
    expect(result.cells).toHaveLength(5);
    const byCell = Object.fromEntries(
      result.cells.map((c) => [`${c.account}|${c.category}|${c.country}`, c.outcome]),
    );
    // Restrictive voice writes failed; the enables after them were held back; messaging is unaffected.
    expect(byCell).toEqual({
      'production|voice.low_risk|MX': 'failed',
      'production|voice.low_risk|IE': 'skipped',
      'support-eu|voice.high_risk_special|GB': 'failed',
      'support-eu|voice.low_risk|FR': 'skipped',
      'support-eu|messaging|FR': 'skipped',
    });
    for (const c of result.cells) expect(c.detail).toBeTruthy();
    // What the report says is what is true: nothing reported as done was left undone, and vice versa.
    await clearFaults();
    const remaining = await remainingChanges(emulator);
    for (const c of result.cells)
      expect(remaining.includes(`${c.account}|${c.category}|${c.country}|${String(c.to)}`)).toBe(
        c.outcome !== 'verified',
      );
    const again = await applyPlan(
      desired,
      buildPlan(desired, await readLiveState(gw, desired, { concurrency: 3 })),
      gw,
      APPLY,
    );
    expect(again.ok).toBe(true);
    expect(await remainingChanges(emulator)).toEqual([]);
  });

  it('a write whose answer is unreadable is read back, not guessed', async () => {
    const desired = desiredOf();
    const gw = gateway();
    const plan = buildPlan(desired, await readLiveState(gw, desired, { concurrency: 3 }));
    // The PATCH is handled but its answer is garbage: the cell changed even though the call "failed".
    await faults([
      { type: 'malformed', mode: 'not-json', method: 'PATCH', path: '/v1/Messaging/GeoPermissions' },
    ]);
    const result = await applyPlan(desired, plan, gw, APPLY);
    await clearFaults();
    const remaining = await remainingChanges(emulator);
    const fr = result.cells.find((c) => c.category === 'messaging');
    expect(fr).toBeDefined();
    const applied = !remaining.includes('support-eu|messaging|FR|true');
    expect(applied).toBe(true);
    // The call failed but the cell changed: the report says what is true, and why it is unusual.
    expect(fr?.outcome).toBe('verified');
    expect(fr?.detail).toMatch(/although the write answered/);
    expect((await writeRequests(emulator)).length).toBeGreaterThan(0);
  });
});
