// Issue 12, item 6: `POST /v1/Settings` answers 202 Accepted (voice v1 OpenAPI,
// UpdateDialingPermissionsSettings), so leaving inheritance may take effect after the answer. Twilio
// refuses a subaccount's country writes while it still inherits (docs/emulator.md), so apply waits,
// bounded, until the setting reads back as written; when it never does, the account's country writes
// are not sent and the leave is undone.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { DETAIL } from '../../src/apply/schedule.js';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { control, rawTwilio, requestLog } from '../support/emulator-helpers.js';
import {
  desiredOf,
  fleetState,
  gatewayFor,
  remainingChanges,
  SANDBOX_TOKEN,
  SIDS,
  startFleet,
} from '../support/hardening.js';
import { effectiveOn, liveOn, policyOn, widerThanAll } from '../support/live-cells.js';

const APPLY = {
  batchSize: 50,
  concurrency: 1,
  readBack: { attempts: 3, delayMs: 1 },
  settingsWait: { attempts: 4, delayMs: 1 },
};
const all = { lowRisk: true, highRiskSpecial: true, highRiskTollfraud: true };
const low = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

/**
 * sandbox inherits production's lists (US, CA, GB, MX low-risk); its own stored lists are stale (DE with
 * every flag on). Its policy takes it out of inheritance without MX, so the apply writes countries right
 * after leaving. `settingsDelay`: how many reads of the setting the leave takes to show.
 */
function delayedSandbox(settingsDelay: number): EmulatorState {
  const state = fleetState();
  const sandbox = state.accounts.find((a) => a.sid === SIDS.sandbox)!;
  sandbox.voice = { inheritance: true, countries: { DE: all, US: low }, settingsDelay };
  sandbox.messaging = { US: true, GB: true };
  return state;
}

const POLICY = [
  'version: 1',
  'defaults:',
  '  voice: {low_risk: [US, CA, GB, MX], high_risk_special: [], high_risk_tollfraud: []}',
  '  messaging: [US, CA, GB, IE]',
  'accounts:',
  '  production:',
  `    sid: ${SIDS.production}`,
  '  sandbox:',
  `    sid: ${SIDS.sandbox}`,
  '    parent: production',
  '    voice: {low_risk: [US, CA, GB]}',
  '    messaging: [US]',
  '',
].join('\n');

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

async function apply(state: EmulatorState) {
  emulator = await startFleet(state);
  const desired = desiredOf(POLICY);
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  await control(emulator, 'DELETE', 'requests');
  const result = await applyPlan(desired, plan, gateway, APPLY);
  const log = await requestLog(emulator);
  const wider = widerThanAll(await liveOn(emulator), [effectiveOn(state), policyOn(desired)], desired);
  const row = (category: string, country: string | null) =>
    result.cells.find((c) => c.account === 'sandbox' && c.category === category && c.country === country);
  return { desired, result, log, wider, row };
}

describe('the emulator applies a Settings change after `settingsDelay` reads', () => {
  it('answers 202 with the value asked for, shows the old value meanwhile and refuses country writes', async () => {
    emulator = await startFleet(delayedSandbox(2));
    const auth: [string, string] = [SIDS.sandbox, SANDBOX_TOKEN];
    const posted = await rawTwilio(emulator, 'POST', '/v1/Settings', auth, {
      DialingPermissionsInheritance: 'false',
    });
    expect(posted).toMatchObject({ status: 202, body: { dialing_permissions_inheritance: false } });
    const update = JSON.stringify([
      {
        iso_code: 'DE',
        low_risk_numbers_enabled: 'false',
        high_risk_special_numbers_enabled: 'false',
        high_risk_tollfraud_numbers_enabled: 'false',
      },
    ]);
    const refused = await rawTwilio(emulator, 'POST', '/v1/DialingPermissions/BulkCountryUpdates', auth, {
      UpdateRequest: update,
    });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 400, code: 20400 });
    const shown = [];
    for (let i = 0; i < 3; i++)
      shown.push(
        (await rawTwilio(emulator, 'GET', '/v1/Settings', auth)).body.dialing_permissions_inheritance,
      );
    expect(shown).toEqual([true, true, false]);
    const state = (await control(emulator, 'GET', 'state')) as EmulatorState;
    expect(state.accounts.find((a) => a.sid === SIDS.sandbox)?.voice.pendingInheritance).toBeUndefined();
  });

  it('a request for the value in effect drops the pending change', async () => {
    emulator = await startFleet(delayedSandbox(5));
    const auth: [string, string] = [SIDS.sandbox, SANDBOX_TOKEN];
    await rawTwilio(emulator, 'POST', '/v1/Settings', auth, { DialingPermissionsInheritance: 'false' });
    await rawTwilio(emulator, 'POST', '/v1/Settings', auth, { DialingPermissionsInheritance: 'true' });
    const shown = [];
    for (let i = 0; i < 6; i++)
      shown.push(
        (await rawTwilio(emulator, 'GET', '/v1/Settings', auth)).body.dialing_permissions_inheritance,
      );
    expect(shown.every((v) => v === true)).toBe(true);
  });
});

describe('apply waits for leaving inheritance to show before writing the countries', () => {
  it('a leave that shows after two reads: the countries are written once it shows, and the run succeeds', async () => {
    const { desired, result, log, wider } = await apply(delayedSandbox(2));
    // Without the wait, MX's disable went out while sandbox still inherited: 400, Twilio error 20400.
    expect(log.filter((r) => r.status >= 400)).toEqual([]);
    expect({ ok: result.ok, widerThanBoth: wider }).toEqual({ ok: true, widerThanBoth: [] });
    expect(await remainingChanges(emulator, desired)).toEqual([]);
    // Between the leave and the first country write, the setting was read until it showed.
    const sandbox = log.filter((r) => r.account === SIDS.sandbox).map((r) => `${r.method} ${r.path}`);
    const leave = sandbox.indexOf('POST /v1/Settings');
    const firstWrite = sandbox.indexOf('POST /v1/DialingPermissions/BulkCountryUpdates');
    expect(leave).toBeGreaterThanOrEqual(0);
    expect(firstWrite).toBeGreaterThan(leave);
    expect(
      sandbox.slice(leave, firstWrite).filter((r) => r === 'GET /v1/Settings').length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('a leave that never shows within the bound: no country write, the leave undone, every cell said exactly', async () => {
    const { result, log, wider, row } = await apply(delayedSandbox(50));
    expect(log.filter((r) => r.status >= 400)).toEqual([]);
    expect({ ok: result.ok, widerThanBoth: wider }).toEqual({ ok: false, widerThanBoth: [] });
    const sandboxWrites = log
      .filter((r) => r.account === SIDS.sandbox && r.kind === 'write')
      .map((r) => `${r.method} ${r.path}`);
    // The leave, its undo, and the messaging disable; no BulkCountryUpdates.
    expect(sandboxWrites).toEqual([
      'POST /v1/Settings',
      'POST /v1/Settings',
      'PATCH /v1/Messaging/GeoPermissions',
    ]);
    expect(row('voice.inherit', null)).toMatchObject({ outcome: 'failed', errorCode: null });
    // What Twilio answered, how long it was waited for, the undo, and what it has through its parent.
    expect(row('voice.inherit', null)?.detail).toBe(
      'Twilio accepted leaving inheritance (202 Accepted), but the subaccount still read as inheriting after 5 reads over 0 s, so the change may still take effect later; inheritance was turned back on, so it follows its parent as before; it still follows its parent production, so it has on through the parent what its own policy does not allow: voice low-risk MX',
    );
    expect(row('voice.low_risk', 'MX')).toMatchObject({ outcome: 'skipped', detail: DETAIL.leaveNotShown });
    // The messaging disable does not depend on inheritance: it was sent and verified.
    expect(row('messaging', 'GB')).toMatchObject({ outcome: 'verified' });
    const state = (await control(emulator, 'GET', 'state')) as EmulatorState;
    const sandbox = state.accounts.find((a) => a.sid === SIDS.sandbox)!;
    expect({ inheritance: sandbox.voice.inheritance, pending: sandbox.voice.pendingInheritance }).toEqual({
      inheritance: true,
      pending: undefined,
    });
  });
});
