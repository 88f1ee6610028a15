import { afterEach, beforeEach, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { control } from '../support/emulator-helpers.js';
import { desiredOf, gatewayFor, remainingChanges, SIDS, startFleet } from '../support/hardening.js';

const APPLY = { batchSize: 50, concurrency: 4, readBack: { attempts: 3, delayMs: 5 } };

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startFleet();
});
afterEach(async () => {
  await emulator.stop();
});

async function planAndApply() {
  const desired = desiredOf();
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  return applyPlan(desired, plan, gateway, APPLY);
}

it('two applies of the same policy at once both verify, and nothing outside the policy is lost', async () => {
  const before = (await control(emulator, 'GET', 'state')) as {
    accounts: Array<{ sid: string; messaging: object }>;
  };
  // Latency makes the two runs interleave request by request.
  await control(emulator, 'POST', 'faults', { type: 'latency', ms: 15 });
  const [a, b] = await Promise.all([planAndApply(), planAndApply()]);
  await control(emulator, 'DELETE', 'faults');
  for (const result of [a, b]) {
    expect(result.accountErrors).toEqual([]);
    expect(result.cells.map((c) => c.outcome)).toEqual(Array(5).fill('verified'));
  }
  expect(await remainingChanges(emulator)).toEqual([]);
  // Sandbox is not touched by the plan: its state is exactly what it was.
  const after = (await control(emulator, 'GET', 'state')) as typeof before;
  const sandbox = (s: typeof before) => s.accounts.find((x) => x.sid === SIDS.sandbox);
  expect(sandbox(after)).toEqual(sandbox(before));
});

it('an apply racing a Console enable either closes it (reported) or leaves it to the next plan, never silently', async () => {
  const desired = desiredOf();
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  await control(emulator, 'POST', 'faults', { type: 'latency', ms: 15 });
  const [result] = await Promise.all([
    applyPlan(desired, plan, gateway, APPLY),
    control(emulator, 'POST', 'console', {
      account: SIDS.production,
      actor: SIDS.consoleUser,
      messaging: { BR: true },
    }),
  ]);
  await control(emulator, 'DELETE', 'faults');
  expect(result.ok).toBe(true);
  const remaining = await remainingChanges(emulator);
  const closed = result.cells.find((c) => c.category === 'messaging' && c.country === 'BR');
  // Apply disables what the policy forbids when it sees it on re-read (fail closed), and says so.
  if (closed) {
    expect(closed).toMatchObject({ to: false, outcome: 'verified' });
    expect(remaining).toEqual([]);
  } else expect(remaining).toEqual(['production|messaging|BR|false']);
});
