// Suspended and closed accounts: the emulator refuses them as Twilio does (20003, "The account is
// suspended or closed"), and plan, drift and apply report them as such, never as missing credentials,
// and never write to them.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { rawTwilio, requestLog } from '../support/emulator-helpers.js';
import {
  desiredOf,
  fleetState,
  gatewayFor,
  PARENT_TOKEN,
  SIDS,
  startFleet,
  SUPPORT_EU_TOKEN,
} from '../support/hardening.js';

const APPLY = { batchSize: 50, concurrency: 2, readBack: { attempts: 3, delayMs: 1 } };

function fleetWith(status: Partial<Record<string, 'active' | 'suspended' | 'closed'>>): EmulatorState {
  const state = fleetState();
  for (const a of state.accounts) a.status = status[a.sid] ?? a.status;
  return state;
}

let emulator: RunningEmulator;
afterEach(() => emulator.stop());

describe('the emulator refuses suspended and closed accounts', () => {
  it('their own credentials (token or key) are a 401 with 20003; the parent still reads their status', async () => {
    const state = fleetWith({ [SIDS.supportEu]: 'suspended', [SIDS.sandbox]: 'closed' });
    emulator = await startFleet(state);
    const eu = await rawTwilio(emulator, 'GET', '/v1/Messaging/GeoPermissions', [
      SIDS.supportEu,
      SUPPORT_EU_TOKEN,
    ]);
    expect(eu).toMatchObject({ status: 401, body: { code: 20003 } });
    const key = await rawTwilio(emulator, 'GET', '/v1/Messaging/GeoPermissions', [
      SIDS.supportEuKey,
      'hardening-key-secret',
    ]);
    expect(key.status).toBe(401);
    const list = await rawTwilio(emulator, 'GET', '/2010-04-01/Accounts.json', [
      SIDS.production,
      PARENT_TOKEN,
    ]);
    expect(list.body.accounts.map((a: { sid: string; status: string }) => [a.sid, a.status])).toEqual([
      [SIDS.production, 'active'],
      [SIDS.supportEu, 'suspended'],
      [SIDS.sandbox, 'closed'],
    ]);
    // No write reached them.
    expect(
      (await requestLog(emulator)).filter((r) => r.status < 300 && r.account === SIDS.supportEu),
    ).toEqual([]);
  });

  it("a suspended parent's subaccounts are suspended too", async () => {
    emulator = await startFleet(fleetWith({ [SIDS.production]: 'suspended' }));
    const eu = await rawTwilio(emulator, 'GET', '/v1/Settings', [SIDS.supportEu, SUPPORT_EU_TOKEN]);
    expect(eu.status).toBe(401);
  });
});

describe('plan and apply report suspended and closed accounts as such', () => {
  it.each([
    ['suspended', /AC0+2 is suspended .*Twilio refuses every request of a suspended account/],
    ['closed', /AC0+2 is closed .*a closed account can never be read or changed again/],
  ] as const)(
    'a %s subaccount: its plan entry says so, carries the status, and nothing is written to it',
    async (status, message) => {
      emulator = await startFleet(fleetWith({ [SIDS.supportEu]: status }));
      const desired = desiredOf();
      const gateway = gatewayFor(emulator);
      const live = await readLiveState(gateway, desired, { concurrency: 3 });
      const plan = buildPlan(desired, live);
      const entry = plan.accounts.find((a) => a.sid === SIDS.supportEu);
      expect(entry?.status).toBe(status);
      expect(entry?.error).toMatch(message);
      expect(entry?.error).not.toMatch(/needs its own auth token|auth token given/);
      // The active accounts are planned as usual; the others carry no status.
      expect(plan.accounts.filter((a) => a.sid !== SIDS.supportEu).map((a) => [a.error, a.status])).toEqual([
        [null, undefined],
        [null, undefined],
      ]);
      const result = await applyPlan(desired, plan, gateway, APPLY);
      expect(result.accountErrors.find((e) => e.sid === SIDS.supportEu)?.message).toMatch(message);
      const log = await requestLog(emulator);
      // Not one request acted as the inactive account: it was read through its parent only.
      expect(log.filter((r) => r.account === SIDS.supportEu)).toEqual([]);
    },
  );
});
