/* eslint-disable @typescript-eslint/no-explicit-any -- emulator JSON bodies, read by assertions */
import { loadPolicy } from '../../src/policy/load.js';
import type { DesiredState } from '../../src/model/desired.js';
import { startEmulator, type EmulatorState, type RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import type { TwilioOptions } from '../../src/twilio/index.js';
import { gatewayOn, requestLog } from './emulator-helpers.js';

/** The fleet's SIDs and tokens, fixed here so changes to the demo fleet do not move these tests. */
export const SIDS = {
  production: 'AC00000000000000000000000000000001',
  supportEu: 'AC00000000000000000000000000000002',
  sandbox: 'AC00000000000000000000000000000003',
  supportEuKey: 'SK00000000000000000000000000000002',
  consoleUser: 'US00000000000000000000000000000042',
} as const;
export const PARENT_TOKEN = 'hardening-token-production-01';
export const SUPPORT_EU_TOKEN = 'hardening-token-support-eu-02';
export const SANDBOX_TOKEN = 'hardening-token-sandbox-03';

/** A gateway acting with the parent's credentials, fast retries, and a short timeout for slow-answer faults. */
export function gatewayFor(
  emulator: RunningEmulator,
  overrides: Partial<Omit<TwilioOptions, 'credentials'>> = {},
) {
  return gatewayOn(
    emulator,
    { kind: 'authToken', accountSid: SIDS.production, authToken: PARENT_TOKEN },
    overrides,
  ).gateway;
}

export const NOW = new Date('2026-11-25T12:00:00Z');

const on = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

/** The fleet these tests run on (the demo SIDs and tokens, fixed here so demo changes do not move it). */
export function fleetState(): EmulatorState {
  return {
    accounts: [
      {
        sid: SIDS.production,
        authToken: PARENT_TOKEN,
        friendlyName: 'production',
        ownerAccountSid: null,
        type: 'Full',
        status: 'active',
        apiKeys: [],
        voice: { inheritance: false, countries: { US: on, CA: on, GB: on, MX: on } },
        messaging: { US: true, CA: true, GB: true, IE: true },
      },
      {
        sid: SIDS.supportEu,
        authToken: SUPPORT_EU_TOKEN,
        friendlyName: 'support-eu',
        ownerAccountSid: SIDS.production,
        type: 'Full',
        status: 'active',
        apiKeys: [{ sid: SIDS.supportEuKey, secret: 'hardening-key-secret' }],
        voice: {
          inheritance: false,
          countries: { US: on, CA: on, GB: { ...on, highRiskSpecial: true }, IE: on, DE: on, ES: on },
        },
        messaging: { US: true, CA: true, GB: true, IE: true, DE: true, ES: true },
      },
      {
        sid: SIDS.sandbox,
        authToken: SANDBOX_TOKEN,
        friendlyName: 'sandbox',
        ownerAccountSid: SIDS.production,
        type: 'Trial',
        status: 'active',
        apiKeys: [],
        voice: { inheritance: true, countries: {} },
        messaging: { US: true },
      },
    ],
    events: [],
  };
}

export function startFleet(state: EmulatorState = fleetState()): Promise<RunningEmulator> {
  return startEmulator({ state });
}

/**
 * The fleet's policy: production misses IE and has MX on, support-eu misses FR (voice and
 * messaging) and has GB high-risk special on, sandbox inherits. Five cells to write, one per kind of work.
 */
export const POLICY = [
  'version: 1',
  'defaults:',
  '  voice: {low_risk: [US, CA, GB, IE], high_risk_special: [], high_risk_tollfraud: []}',
  '  messaging: [US, CA, GB, IE]',
  'accounts:',
  '  production:',
  `    sid: ${SIDS.production}`,
  '  support-eu:',
  `    sid: ${SIDS.supportEu}`,
  '    parent: production',
  '    voice: {low_risk: [US, CA, GB, IE, DE, ES, FR]}',
  '    messaging: [US, CA, GB, IE, DE, ES, FR]',
  '  sandbox:',
  `    sid: ${SIDS.sandbox}`,
  '    parent: production',
  '    voice: {inherit: true}',
  '    messaging: [US]',
  '',
].join('\n');

export function desiredOf(text = POLICY): DesiredState {
  const { desired, diagnostics } = loadPolicy(text, 'geo-permissions.yml', { now: NOW, mode: 'plan' });
  if (!desired) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return desired;
}

/** The changes a fresh, fault-free plan still finds: [] once the fleet matches the policy. */
export async function remainingChanges(emulator: RunningEmulator, desired = desiredOf()): Promise<string[]> {
  const gateway = gatewayFor(emulator);
  const live = await readLiveState(gateway, desired, { concurrency: 4 });
  if (live.errors.length)
    throw new Error(`clean read failed: ${live.errors.map((e) => e.message).join('; ')}`);
  return buildPlan(desired, live).accounts.flatMap((a) =>
    a.changes.map((c) => `${a.account}|${c.category}|${c.country ?? ''}|${String(c.to)}`),
  );
}

export async function writeRequests(emulator: RunningEmulator): Promise<any[]> {
  return (await requestLog(emulator)).filter((r) => r.method !== 'GET');
}
