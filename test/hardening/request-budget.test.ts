// Issue 13, item 3: the Twilio requests a plan and an apply cost per account, counted at the emulator
// (its request log names the account each request is about). The bench's fleet in small: a parent and
// template members, each with 5 cells to change (MX voice off; GB, IE voice and messaging on).
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { EmulatorState, LoggedRequest, RunningEmulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { discoverSubaccounts } from '../../src/live/discover.js';
import { readLiveState } from '../../src/live/read.js';
import { buildFleetPlan } from '../../src/plan/fleet-plan.js';
import { governFleet } from '../../src/plan/fleet.js';
import type { TwilioOptions } from '../../src/twilio/index.js';
import { gatewayOn, requestLog } from '../support/emulator-helpers.js';
import { desiredOf } from '../support/hardening.js';

const PARENT = `AC${'b'.repeat(32)}`;
const PARENT_TOKEN = 'budget-parent-token';
const member = (i: number) => `AC${String(i).padStart(32, '0')}`;
const MEMBERS = [1, 2, 3].map(member);
/** A subaccount the policy names under `accounts:` (discovery lists it too). */
const NAMED = member(9);

const on = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

function fleet(): EmulatorState {
  const account = (sid: string, owner: string | null, friendlyName: string) => ({
    sid,
    authToken: sid === PARENT ? PARENT_TOKEN : `token-${sid.slice(-4)}`,
    friendlyName,
    ownerAccountSid: owner,
    type: 'Full' as const,
    status: 'active' as const,
    apiKeys: [],
    voice: { inheritance: false, countries: { US: on, CA: on, MX: on } },
    messaging: { US: true, CA: true },
  });
  return {
    accounts: [
      account(PARENT, null, 'parent'),
      ...MEMBERS.map((sid, i) => account(sid, PARENT, `sub-${i + 1}`)),
      account(NAMED, PARENT, 'named'),
    ],
    events: [],
  };
}

const policy = (extra: string[] = []) =>
  [
    'version: 1',
    'defaults:',
    '  voice: {low_risk: [US, CA, GB, IE], high_risk_special: [], high_risk_tollfraud: []}',
    '  messaging: [US, CA, GB, IE]',
    'accounts:',
    `  parent: {sid: ${PARENT}}`,
    `  named: {sid: ${NAMED}, parent: parent}`,
    ...extra,
    '',
  ].join('\n');
const FLEET_POLICY = policy(['fleets:', '  customers:', '    parent: parent', '    match: "sub-*"']);

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

/** Discovery, the plan's reads and (unless `planOnly`) the apply, as `geo-permissions apply --yes` runs them. */
async function run(text: string, options: { planOnly?: boolean; gateway?: Partial<TwilioOptions> } = {}) {
  emulator = await startEmulator({ state: fleet() });
  const { gateway } = gatewayOn(
    emulator,
    { kind: 'authToken', accountSid: PARENT, authToken: PARENT_TOKEN },
    options.gateway,
  );
  const desired = desiredOf(text);
  const governed = governFleet(desired, await discoverSubaccounts(gateway, desired, { concurrency: 4 }));
  const live = await readLiveState(gateway, { accounts: governed.reads }, { concurrency: 4 });
  const plan = buildFleetPlan(governed, live);
  const planned = await requestLog(emulator);
  if (options.planOnly) return { planned, all: planned, result: null };
  const result = await applyPlan(governed.desired, plan, gateway, {
    batchSize: 50,
    concurrency: 4,
    readBack: { attempts: 3, delayMs: 1 },
    reads: live.accounts,
  });
  return { planned, all: await requestLog(emulator), result };
}

const line = (r: LoggedRequest) => `${r.method} ${r.path.replace(/AC[0-9a-f]{32}/, '{sid}')}`;
/** The requests about one account, as "METHOD path", sorted. */
const about = (log: readonly LoggedRequest[], sid: string) =>
  log
    .filter((r) => r.subject === sid && r.path !== '/2010-04-01/Accounts.json')
    .map(line)
    .sort();

const COUNTRIES = 'GET /v1/DialingPermissions/Countries';
const SETTINGS = 'GET /v1/Settings';
const MESSAGING = 'GET /v1/Messaging/GeoPermissions';
const WRITES = [
  'PATCH /v1/Messaging/GeoPermissions',
  'POST /v1/DialingPermissions/BulkCountryUpdates',
  'POST /v1/DialingPermissions/BulkCountryUpdates',
];

describe('a plan after discovery', () => {
  it('reads a listed subaccount in 3 requests: the listing already answered its Account resource', async () => {
    const { planned } = await run(FLEET_POLICY, { planOnly: true });
    for (const sid of [...MEMBERS, NAMED])
      expect(about(planned, sid)).toEqual([COUNTRIES, MESSAGING, SETTINGS]);
    // The parent proves its own credentials once; it has no inheritance setting to read.
    expect(about(planned, PARENT)).toEqual([`GET /2010-04-01/Accounts/{sid}.json`, COUNTRIES, MESSAGING]);
    expect(planned.filter((r) => r.path === '/2010-04-01/Accounts.json')).toHaveLength(2);
  });

  it('still reads the Account resource through the parent when nothing listed the subaccount', async () => {
    const { planned } = await run(policy(['unmanaged: ignore']), { planOnly: true });
    expect(planned.filter((r) => r.path === '/2010-04-01/Accounts.json')).toEqual([]);
    expect(about(planned, NAMED)).toEqual([
      'GET /2010-04-01/Accounts/{sid}.json',
      COUNTRIES,
      MESSAGING,
      SETTINGS,
    ]);
  });

  it('proves a subaccount given its own credentials with them, whatever the listing said', async () => {
    const { planned } = await run(FLEET_POLICY, {
      planOnly: true,
      gateway: { perAccount: { [NAMED]: { authToken: `token-${NAMED.slice(-4)}` } } },
    });
    const own = planned.filter((r) => r.subject === NAMED && r.account === NAMED).map(line);
    expect(own).toContain('GET /2010-04-01/Accounts/{sid}.json');
  });
});

describe('an apply of 5 changed cells per account, discovery and plan included', () => {
  it('costs a subaccount applied after its parent 11 requests: 3 to plan, 3 writes, 2 before the enables, 3 at the end', async () => {
    const { all, result } = await run(FLEET_POLICY);
    expect(result?.ok).toBe(true);
    expect(result?.summary).toEqual({ verified: 25, failed: 0, manual: 0, skipped: 0 });
    for (const sid of [...MEMBERS, NAMED])
      expect(about(all, sid)).toEqual(
        [
          ...[COUNTRIES, SETTINGS, MESSAGING], // the plan
          ...WRITES,
          ...[COUNTRIES, MESSAGING], // before the first enable: the lists its disables were sent to
          ...[COUNTRIES, SETTINGS, MESSAGING], // the end pass, its read-back
        ].sort(),
      );
  });

  it('reads a parent whose subaccounts follow back right after its writes, and again at the end', async () => {
    const { all } = await run(FLEET_POLICY);
    expect(about(all, PARENT)).toEqual(
      [
        ...['GET /2010-04-01/Accounts/{sid}.json', COUNTRIES, MESSAGING], // the plan
        ...WRITES,
        ...[COUNTRIES, MESSAGING], // before the first enable
        ...[COUNTRIES, MESSAGING], // the read-back, before its subaccounts are applied
        ...[COUNTRIES, MESSAGING], // the end pass
      ].sort(),
    );
  });
});
