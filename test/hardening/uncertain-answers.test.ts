// Issue 10, item 1: a write Twilio applied but whose answer was lost or unreadable. Apply must read the
// truth before deciding what comes next, and never report success while a cell is wider than the policy.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import type { AccountClient, TwilioGateway } from '../../src/model/twilio-port.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { control, requestLog } from '../support/emulator-helpers.js';
import {
  desiredOf,
  fleetState,
  gatewayFor,
  POLICY,
  remainingChanges,
  SIDS,
  startFleet,
} from '../support/hardening.js';
import { effectiveOn, liveOn, policyOn, widerThanAll } from '../support/live-cells.js';

const APPLY = { batchSize: 50, concurrency: 1, readBack: { attempts: 3, delayMs: 1 } };
const all = { lowRisk: true, highRiskSpecial: true, highRiskTollfraud: true };
const low = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

/**
 * sandbox inherits production's lists (US, JM, GB, MX low-risk), but its own stored lists are stale: DE with
 * every flag on, toll-fraud included. Its policy keeps what it has through the parent, on its own lists.
 */
function staleSandbox() {
  const state = fleetState();
  const sandbox = state.accounts.find((a) => a.sid === SIDS.sandbox)!;
  sandbox.voice = { inheritance: true, countries: { DE: all, US: low } };
  // Twilio's voice list has no CA (US is "United States/Canada"): production's +1 neighbour is JM here.
  const production = state.accounts.find((a) => a.sid === SIDS.production)!;
  production.voice = { inheritance: false, countries: { US: low, JM: low, GB: low, MX: low } };
  return state;
}

const LEAVE_POLICY = [
  'version: 1',
  'defaults:',
  '  voice: {low_risk: [US, JM, GB, MX], high_risk_special: [], high_risk_tollfraud: []}',
  '  messaging: [US, CA, GB, IE]',
  'accounts:',
  '  production:',
  `    sid: ${SIDS.production}`,
  '  sandbox:',
  `    sid: ${SIDS.sandbox}`,
  '    parent: production',
  '    voice: {low_risk: [US, JM, GB, MX]}',
  '    messaging: [US]',
  '',
].join('\n');

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

/** production alone: MX to disable, IE to enable. */
const PRODUCTION_POLICY = LEAVE_POLICY.split('  sandbox:')[0]!.replace('MX]', 'IE]');

/** Plans fault-free, then applies with `faults` on, through `wrap` (to act at a given moment). */
async function planThenApply(
  policy: string,
  faults: unknown[],
  wrap: (gateway: TwilioGateway) => TwilioGateway = (gateway) => gateway,
) {
  const desired = desiredOf(policy);
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  await control(emulator, 'POST', 'faults', faults);
  const result = await applyPlan(desired, plan, wrap(gateway), APPLY);
  await control(emulator, 'DELETE', 'faults');
  return { desired, plan, result };
}

const UNCERTAIN_SETTINGS: Record<string, unknown> = {
  'an answer that is not JSON': { type: 'malformed', mode: 'not-json' },
  'an answer missing its fields': { type: 'malformed', mode: 'missing-fields' },
  'a lost answer (connection cut after Twilio applied it)': { type: 'lost' },
};

describe.each(Object.entries(UNCERTAIN_SETTINGS))('leaving inheritance, answered with %s', (_name, fault) => {
  it('reads the truth, narrows the now-effective own lists, and reports only what is true', async () => {
    emulator = await startFleet(staleSandbox());
    const before = effectiveOn(staleSandbox());
    const { desired, plan, result } = await planThenApply(LEAVE_POLICY, [
      { ...(fault as object), method: 'POST', path: '/v1/Settings' },
    ]);
    // The plan saw only the leave: the stale lists were not in effect when it read.
    expect(plan.accounts.flatMap((a) => a.changes.map((c) => c.category))).toEqual(['voice.inherit']);
    // Twilio applied the leave although the answer said nothing usable.
    const settings = (await requestLog(emulator)).filter(
      (r) => r.method === 'POST' && r.path === '/v1/Settings',
    );
    expect(settings[0]?.fault).toBe((fault as { type: string }).type);
    // The promise: nothing on that neither the old state nor the policy allows, and ok only when live is the
    // policy. The truth was readable, so the apply goes on from it and succeeds.
    const wider = widerThanAll(await liveOn(emulator), [before, policyOn(desired)], desired);
    expect({ ok: result.ok, widerThanBoth: wider }).toEqual({ ok: true, widerThanBoth: [] });
    expect(await remainingChanges(emulator, desired)).toEqual([]);
    // DE's flags off, the lists it had through the parent restored on its own lists.
    const byCell = Object.fromEntries(
      result.cells.map((c) => [`${c.category} ${c.country ?? '-'}`, c.outcome]),
    );
    expect(byCell).toEqual({
      'voice.inherit -': 'verified',
      'voice.high_risk_tollfraud DE': 'verified',
      'voice.high_risk_special DE': 'verified',
      'voice.low_risk DE': 'verified',
      'voice.low_risk JM': 'verified',
      'voice.low_risk GB': 'verified',
      'voice.low_risk MX': 'verified',
    });
    expect(result.cells.find((c) => c.category === 'voice.inherit')?.detail).toMatch(
      /although the write answered/,
    );
  });
});

describe('every write step whose answer is uncertain is followed by a read of the truth', () => {
  const LOST_DISABLE = { type: 'lost', method: 'POST', path: '/v1/DialingPermissions/BulkCountryUpdates' };

  it('a voice disable Twilio applied but whose answers were all lost does not hold back the enables', async () => {
    emulator = await startFleet();
    // Every attempt (4) of the first BulkCountryUpdates is applied and its answer lost; the later ones answer.
    const { desired, result } = await planThenApply(POLICY, [{ ...LOST_DISABLE, count: 4 }]);
    expect(result.cells.map((c) => `${c.account} ${c.category} ${c.country} ${c.outcome}`).sort()).toEqual([
      'production voice.low_risk IE verified',
      'production voice.low_risk MX verified',
      'support-eu messaging FR verified',
      'support-eu voice.high_risk_special GB verified',
      'support-eu voice.low_risk FR verified',
    ]);
    expect(result.ok).toBe(true);
    expect(await remainingChanges(emulator, desired)).toEqual([]);
  });

  it('when the truth cannot be read either, the write counts as failed and nothing is enabled', async () => {
    emulator = await startFleet();
    // Once the disable was sent, every read of the voice lists fails: the truth stays unknown.
    const readsFail = (gateway: TwilioGateway): TwilioGateway => ({
      async forAccount(target) {
        const client = await gateway.forAccount(target);
        const wrapped: AccountClient = Object.create(client) as AccountClient;
        wrapped.bulkUpdateVoice = async (updates) => {
          try {
            return await client.bulkUpdateVoice(updates);
          } finally {
            await control(emulator, 'POST', 'faults', {
              type: 'status',
              status: 503,
              method: 'GET',
              path: '/v1/DialingPermissions/Countries',
            });
          }
        };
        return wrapped;
      },
    });
    const { desired, result } = await planThenApply(PRODUCTION_POLICY, [LOST_DISABLE], readsFail);
    const byCountry = Object.fromEntries(result.cells.map((c) => [c.country, c]));
    expect(byCountry.MX?.outcome).toBe('failed');
    expect(byCountry.IE).toMatchObject({ outcome: 'skipped' });
    expect(result.ok).toBe(false);
    const before = effectiveOn(fleetState());
    expect(widerThanAll(await liveOn(emulator), [before, policyOn(desired)], desired)).toEqual([]);
  });
});
