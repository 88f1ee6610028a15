// Issue 10, item 11c: a subaccount whose policy gives it its own lists but that still follows its parent
// must not silently take on the parent's new enables in the same run.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import type { AccountClient, TwilioGateway } from '../../src/model/twilio-port.js';
import { buildPlan } from '../../src/plan/build.js';
import { control } from '../support/emulator-helpers.js';
import { desiredOf, fleetState, gatewayFor, SIDS, startFleet } from '../support/hardening.js';
import { effectiveOn, liveOn, policyOn, widerThanAll } from '../support/live-cells.js';

const APPLY = { batchSize: 50, concurrency: 2, readBack: { attempts: 3, delayMs: 1 } };
const low = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };
const all = { lowRisk: true, highRiskSpecial: true, highRiskTollfraud: true };

/** production gains DE (low-risk) and FR (toll-fraud); sandbox keeps US, CA, GB, MX on its own lists. */
const POLICY = [
  'version: 1',
  'defaults:',
  '  voice: {low_risk: [US, CA, GB, MX], high_risk_special: [], high_risk_tollfraud: []}',
  '  messaging: [US, CA, GB, IE]',
  'accounts:',
  '  production:',
  `    sid: ${SIDS.production}`,
  '    voice: {low_risk: [US, CA, GB, MX, DE], high_risk_tollfraud: [FR]}',
  '  sandbox:',
  `    sid: ${SIDS.sandbox}`,
  '    parent: production',
  '    voice: {low_risk: [US, CA, GB, MX]}',
  '    messaging: [US, CA]',
  '',
].join('\n');

/** The fleet with sandbox's voice as given (production has US, CA, GB, MX low-risk). */
function fleetWith(voice: EmulatorState['accounts'][number]['voice']): EmulatorState {
  const state = fleetState();
  state.accounts.find((a) => a.sid === SIDS.sandbox)!.voice = voice;
  return state;
}

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

async function run(
  state: EmulatorState,
  faults: unknown[],
  options: { beforeApply?: () => Promise<unknown>; wrap?: (g: TwilioGateway) => TwilioGateway } = {},
) {
  emulator = await startFleet(state);
  const desired = desiredOf(POLICY);
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  await options.beforeApply?.();
  await control(emulator, 'POST', 'faults', faults);
  const result = await applyPlan(desired, plan, options.wrap?.(gateway) ?? gateway, APPLY);
  await control(emulator, 'DELETE', 'faults');
  const wider = widerThanAll(await liveOn(emulator), [effectiveOn(state), policyOn(desired)], desired);
  const row = (account: string, category: string, country: string | null) =>
    result.cells.find((c) => c.account === account && c.category === category && c.country === country);
  return { result, wider, row };
}

describe("a subaccount that still follows its parent does not take on the parent's new enables", () => {
  it('when Twilio refuses to let it leave inheritance', async () => {
    const { result, wider, row } = await run(fleetWith({ inheritance: true, countries: { US: low } }), [
      { type: 'status', status: 400, method: 'POST', path: '/v1/Settings' },
    ]);
    expect({ ok: result.ok, widerThanBoth: wider }).toEqual({ ok: false, widerThanBoth: [] });
    expect(row('sandbox', 'voice.inherit', null)).toMatchObject({ outcome: 'failed', errorCode: 20500 });
    // The parent's enables the subaccount's policy does not allow are held back, and say for whom.
    for (const [category, country] of [
      ['voice.low_risk', 'DE'],
      ['voice.high_risk_tollfraud', 'FR'],
    ] as const) {
      expect(row('production', category, country)?.outcome).toBe('skipped');
      expect(row('production', category, country)?.detail).toMatch(/subaccount sandbox could not leave/);
    }
  });

  it('when it left, could not be narrowed, and was put back on its parent', async () => {
    const { result, wider, row } = await run(fleetWith({ inheritance: true, countries: { DE: all } }), [
      {
        type: 'status',
        status: 500,
        method: 'POST',
        path: '/v1/DialingPermissions/BulkCountryUpdates',
        account: SIDS.sandbox,
      },
    ]);
    expect({ ok: result.ok, widerThanBoth: wider }).toEqual({ ok: false, widerThanBoth: [] });
    const state = (await control(emulator, 'GET', 'state')) as EmulatorState;
    expect(state.accounts.find((a) => a.sid === SIDS.sandbox)?.voice.inheritance).toBe(true);
    expect(row('sandbox', 'voice.inherit', null)?.detail).toMatch(/inheritance was turned back on/);
    expect(row('production', 'voice.low_risk', 'DE')?.outcome).toBe('skipped');
  });
});

describe('when the parent enables reach it anyway, the report names them as wider than both', () => {
  it('a Console user made it follow its parent after the plan: the cells it has through the parent are named', async () => {
    // The plan saw sandbox on its own lists, so nothing told this run to hold production's enables back.
    const { result, wider, row } = await run(
      fleetWith({ inheritance: false, countries: { US: low, CA: low, GB: low, MX: low } }),
      [],
      {
        beforeApply: () =>
          control(emulator, 'POST', 'console', {
            account: SIDS.sandbox,
            actor: SIDS.consoleUser,
            inheritance: true,
          }),
      },
    );
    expect(wider).toEqual([
      `${SIDS.sandbox}|voice.high_risk_tollfraud|FR`,
      `${SIDS.sandbox}|voice.low_risk|DE`,
    ]);
    expect(result.ok).toBe(false);
    for (const [category, country] of [
      ['voice.low_risk', 'DE'],
      ['voice.high_risk_tollfraud', 'FR'],
    ] as const)
      expect(row('sandbox', category, country)).toMatchObject({
        from: true,
        to: false,
        outcome: 'failed',
        detail: expect.stringMatching(/^wider than both the plan and the policy: /),
      });
    expect(row('sandbox', 'voice.inherit', null)?.detail).toMatch(
      /so it has on through the parent what its own policy does not allow: voice high-risk toll-fraud FR, voice low-risk DE$/,
    );
  });

  it('a Console user makes it follow its parent during its apply: the cells it now has through the parent are named', async () => {
    // production's enables (DE, FR toll-fraud) are done; sandbox was re-read on its own lists, and as its
    // messaging PATCH goes out, a Console user makes it follow production.
    const consoleFirst = (gateway: TwilioGateway): TwilioGateway => ({
      async forAccount(target) {
        const client = await gateway.forAccount(target);
        if (target.sid !== SIDS.sandbox) return client;
        const wrapped: AccountClient = Object.create(client) as AccountClient;
        wrapped.updateMessaging = async (updates) => {
          await control(emulator, 'POST', 'console', {
            account: SIDS.sandbox,
            actor: SIDS.consoleUser,
            inheritance: true,
          });
          return client.updateMessaging(updates);
        };
        return wrapped;
      },
    });
    const { result, row } = await run(
      fleetWith({ inheritance: false, countries: { US: low, CA: low, GB: low, MX: low } }),
      [],
      { wrap: consoleFirst },
    );
    expect(result.ok).toBe(false);
    const tollFraud = row('sandbox', 'voice.high_risk_tollfraud', 'FR');
    expect(tollFraud).toMatchObject({ from: true, to: false, outcome: 'failed' });
    expect(tollFraud?.detail).toMatch(
      /^wider than both the plan and the policy: on through the parent production/,
    );
    expect(row('sandbox', 'voice.inherit', null)?.detail).toMatch(
      /so it has on through the parent what its own policy does not allow: voice high-risk toll-fraud FR, voice low-risk DE/,
    );
  });
});
