// Twilio's API key types against the emulator: Standard and Restricted keys cannot call /Accounts or
// /Keys (401, 20003), yet plan, drift and apply work with such keys made inside each account; a
// parent's lesser key given for a subaccount, token derivation and discovery through one are refused,
// each saying which credentials the step needs.
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import type { AccountCredentials, Credentials } from '../../src/twilio/index.js';
import { gatewayOn, rawTwilio, requestLog } from '../support/emulator-helpers.js';
import { desiredOf, fleetState, remainingChanges, SIDS, startFleet } from '../support/hardening.js';

const PARENT_KEY = 'SK' + '1'.repeat(32);
const EU_KEY = SIDS.supportEuKey;
const SANDBOX_KEY = 'SK' + '3'.repeat(32);
const APPLY = { batchSize: 50, concurrency: 2, readBack: { attempts: 3, delayMs: 1 } };

/** What the README lists for a Restricted key, by mode (each `METHOD /path` of the emulator's routes). */
const IDENTITY = ['GET /2010-04-01/Accounts/{AC}/Balance.json'];
const READ = [
  ...IDENTITY,
  'GET /v1/DialingPermissions/Countries',
  'GET /v1/Settings',
  'GET /v1/Messaging/GeoPermissions',
];
const WRITE = [
  ...READ,
  'POST /v1/DialingPermissions/BulkCountryUpdates',
  'POST /v1/Settings',
  'PATCH /v1/Messaging/GeoPermissions',
];

type KeyType = 'main' | 'standard' | 'restricted';

/** The hardening fleet with one key per account, of the given type (and permissions for restricted). */
function fleetWithKeys(type: KeyType, permissions?: string[]): EmulatorState {
  const state = fleetState();
  const keys = [PARENT_KEY, EU_KEY, SANDBOX_KEY];
  state.accounts.forEach((a, i) => {
    a.apiKeys = [{ sid: keys[i]!, secret: `secret-${i}`, type, ...(permissions ? { permissions } : {}) }];
  });
  return state;
}

const parentKey: Credentials = {
  kind: 'apiKey',
  accountSid: SIDS.production,
  apiKey: PARENT_KEY,
  apiSecret: 'secret-0',
};
const ownKeys: Record<string, AccountCredentials> = {
  [SIDS.supportEu]: { apiKey: EU_KEY, apiSecret: 'secret-1' },
  [SIDS.sandbox]: { apiKey: SANDBOX_KEY, apiSecret: 'secret-2' },
};

let emulator: RunningEmulator;
afterEach(() => emulator.stop());

async function planWith(state: EmulatorState, perAccount = ownKeys, credentials = parentKey) {
  emulator = await startFleet(state);
  const desired = desiredOf();
  const { gateway } = gatewayOn(emulator, credentials, { perAccount });
  const live = await readLiveState(gateway, desired, { concurrency: 3 });
  return { desired, gateway, live, plan: buildPlan(desired, live) };
}

describe('the emulator answers key types as Twilio does', () => {
  it('a Standard or Restricted key on /Accounts or /Keys is 401 with 20003; a key without a type is a Main key', async () => {
    emulator = await startFleet(fleetWithKeys('standard'));
    const auth: [string, string] = [PARENT_KEY, 'secret-0'];
    for (const path of [
      '/2010-04-01/Accounts.json',
      `/2010-04-01/Accounts/${SIDS.production}.json`,
      `/2010-04-01/Accounts/${SIDS.production}/Keys/${PARENT_KEY}.json`,
    ]) {
      const r = await rawTwilio(emulator, 'GET', path, auth);
      expect(r.status, path).toBe(401);
      expect(r.body).toMatchObject({ code: 20003, message: 'Authentication Error - invalid username' });
    }
    expect((await rawTwilio(emulator, 'GET', '/v1/Messaging/GeoPermissions', auth)).status).toBe(200);
    await emulator.stop();
    emulator = await startFleet(); // the hardening fleet's key has no type: an old state file
    const old = await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${SIDS.supportEu}.json`, [
      EU_KEY,
      'hardening-key-secret',
    ]);
    expect(old.status).toBe(200);
  });

  it("a Restricted key answers 403 for a route it holds no permission for, and a parent's lesser key cannot reach a subaccount", async () => {
    emulator = await startFleet(fleetWithKeys('restricted', ['GET /v1/Messaging/GeoPermissions']));
    const auth: [string, string] = [PARENT_KEY, 'secret-0'];
    expect((await rawTwilio(emulator, 'GET', '/v1/Messaging/GeoPermissions', auth)).status).toBe(200);
    const refused = await rawTwilio(emulator, 'GET', '/v1/DialingPermissions/Countries', auth);
    expect(refused).toMatchObject({ status: 403, body: { code: 70051 } });
    await emulator.stop();
    emulator = await startFleet(fleetWithKeys('standard'));
    const balance = `/2010-04-01/Accounts/${SIDS.supportEu}/Balance.json`;
    expect((await rawTwilio(emulator, 'GET', balance, auth)).status).toBe(401);
    expect((await rawTwilio(emulator, 'GET', balance, [EU_KEY, 'secret-1'])).body).toMatchObject({
      account_sid: SIDS.supportEu,
    });
  });
});

describe('plan, drift reads and apply with Standard keys made inside each account', () => {
  it('plans every account without calling /Accounts or /Keys successfully', async () => {
    const { live, plan } = await planWith(fleetWithKeys('standard'));
    expect(live.errors).toEqual([]);
    expect(plan.summary.changes).toBeGreaterThan(0);
    const log = await requestLog(emulator);
    const accountsOrKeys = log.filter((r) =>
      /^\/2010-04-01\/Accounts(\.json|\/\w+(\.json|\/Keys))/.test(r.path),
    );
    // Each key's /Keys probe is refused (that is how a Standard key is recognised); nothing else there.
    expect(accountsOrKeys.every((r) => r.status === 401 && r.path.includes('/Keys/'))).toBe(true);
    expect(
      log
        .filter((r) => r.path.endsWith('/Balance.json'))
        .map((r) => r.subject)
        .sort(),
    ).toEqual([SIDS.production, SIDS.supportEu, SIDS.sandbox].sort());
    // The type is unknown through such a key, so it is not claimed.
    expect(plan.accounts.map((a) => a.type)).toEqual([null, null, null]);
  });

  it('applies the plan through them, and a fresh plan is then empty', async () => {
    const { desired, gateway, plan } = await planWith(fleetWithKeys('standard'));
    const result = await applyPlan(desired, plan, gateway, APPLY);
    expect(result.cells.filter((c) => c.outcome !== 'verified')).toEqual([]);
    expect(await remainingChanges(emulator, desired)).toEqual([]);
    const writes = (await requestLog(emulator)).filter((r) => r.kind === 'write');
    expect(writes.every((r) => r.status < 300)).toBe(true);
  });

  it('a Restricted key with the permissions the README lists plans and applies; without Balance it is refused, naming the permission', async () => {
    const { desired, gateway, plan, live } = await planWith(fleetWithKeys('restricted', WRITE));
    expect(live.errors).toEqual([]);
    await applyPlan(desired, plan, gateway, APPLY);
    expect(await remainingChanges(emulator, desired)).toEqual([]);
    await emulator.stop();
    const without = await planWith(
      fleetWithKeys(
        'restricted',
        READ.filter((p) => !IDENTITY.includes(p)),
      ),
    );
    expect(without.live.errors).toHaveLength(3);
    expect(without.live.errors[0]?.message).toMatch(
      /HTTP 403.*a Restricted API key needs a permission for GET \/2010-04-01\/Accounts\/\{AccountSid\}\/Balance\.json/,
    );
  });
});

describe('refusals say which credentials a step needs', () => {
  it("a parent's Standard key given for a subaccount is refused before any geo-permission request", async () => {
    const parentsKey = { [SIDS.supportEu]: { apiKey: PARENT_KEY, apiSecret: 'secret-0' } };
    // The main credentials' own key, given again for a subaccount: refused without a request.
    const same = await planWith(fleetWithKeys('standard'), parentsKey);
    expect(same.live.errors.find((e) => e.sid === SIDS.supportEu)?.message).toMatch(
      /API key SK1+ is the key of AC0+1 \(the main credentials\)/,
    );
    await emulator.stop();
    // With the parent's token as the main credentials: the key's Balance proof is refused (20003).
    emulator = await startFleet(fleetWithKeys('standard'));
    const { gateway } = gatewayOn(
      emulator,
      { kind: 'authToken', accountSid: SIDS.production, authToken: 'hardening-token-production-01' },
      { perAccount: parentsKey },
    );
    const live = await readLiveState(
      gateway,
      { accounts: [{ name: 'support-eu', sid: SIDS.supportEu, parentSid: SIDS.production }] },
      { concurrency: 1 },
    );
    const refused = live.errors[0]?.message;
    expect(refused).toMatch(/Balance\.json for AC0+2: HTTP 401/);
    expect(refused).toMatch(/the API key given for AC0+2 must be created inside AC0+2/);
    // Nothing of the parent's geo permissions was read in support-eu's name.
    expect((await requestLog(emulator)).filter((r) => r.path.startsWith('/v1/'))).toEqual([]);
  });

  it('deriving a subaccount token and listing subaccounts through a Standard key say they need the auth token or a Main key', async () => {
    const { live, gateway } = await planWith(fleetWithKeys('standard'), {});
    expect(live.accounts[SIDS.production]).toBeDefined();
    expect(live.errors.map((e) => e.sid).sort()).toEqual([SIDS.supportEu, SIDS.sandbox].sort());
    expect(live.errors[0]?.message).toMatch(
      /Standard and Restricted API keys cannot call \/Accounts or \/Keys.*deriving the auth token of AC0+[23] through AC0+1 needs the auth token of AC0+1 or a Main API key/,
    );
    const client = await gateway.forAccount({ sid: SIDS.production, parentSid: null });
    await expect(client.listSubaccounts!()).rejects.toThrow(
      /listing the subaccounts of AC0+1 \(the subaccount discovery of plan, apply and drift, and export without --account\) needs its auth token or a Main API key/,
    );
  });

  it('a Main key still derives subaccount tokens and reads its own Account resource', async () => {
    const { live } = await planWith(fleetWithKeys('main'), {});
    expect(live.errors).toEqual([]);
    expect(live.accounts[SIDS.production]?.identity.type).toBe('Full');
    expect(live.accounts[SIDS.sandbox]?.identity.type).toBe('Trial');
  });
});
