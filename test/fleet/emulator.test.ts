// Discovery and templates end to end: the CLI against the emulator, over HTTP, as a user runs them.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEmulatorState, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { CLI_POLICY, SID, cliFleet, runCli, startCliFleet } from '../support/cli-fleet.js';
import { requestLog } from '../support/emulator-helpers.js';

const STRAY = 'AC000000000000000000000000000000a1';
const SUSPENDED = 'AC000000000000000000000000000000a2';
const customerSid = (i: number) =>
  `AC0000000000000000000000000000${String(i).padStart(4, '0')}`.replace('AC0000', 'AC00c0');

let emulator: RunningEmulator;
let dir: string;
const run = (args: string[]) => runCli(emulator, dir, args);

async function seed(customers: number) {
  const state = cliFleet();
  state.accounts.push(
    {
      sid: STRAY,
      authToken: 'stray-token',
      friendlyName: 'signup-7731',
      ownerAccountSid: SID.production,
      voice: {
        inheritance: false,
        countries: Object.fromEntries(
          ['CU', 'SO', 'LV'].map((c) => [c, { lowRisk: true, highRiskTollfraud: true }]),
        ),
      },
      messaging: {},
    },
    {
      sid: SUSPENDED,
      authToken: 'suspended-token',
      friendlyName: 'old-customer',
      ownerAccountSid: SID.production,
      status: 'suspended',
      voice: { inheritance: true, countries: {} },
      messaging: {},
    },
    ...Array.from({ length: customers }, (_, i) => ({
      sid: customerSid(i + 1),
      authToken: `cust-token-${i + 1}`,
      friendlyName: `cust-${i + 1}`,
      ownerAccountSid: SID.production,
      voice: { inheritance: false, countries: { DE: { lowRisk: true } } },
      messaging: {},
    })),
  );
  emulator.stop();
  emulator = await startEmulator({ state: parseEmulatorState(state) });
}

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

describe('discovery against the emulator', () => {
  it('an unmanaged subaccount with toll-fraud open is critical in plan and drift, and apply never writes it', async () => {
    await seed(0);
    const plan = await run(['plan']);
    expect(plan.stdout.split('\n')[0]).toContain(
      'Fleet: 1 unmanaged subaccount (1 with critical exposure), never written; 1 suspended subaccount, never read or written.',
    );
    expect(plan.stdout).toMatch(
      /critical +voice high-risk toll-fraud +CU Cuba, LV Latvia, SO Somalia +signup-7731/,
    );
    expect(plan.stdout).toContain(`old-customer ${SUSPENDED} (subaccount of production, unmanaged)`);
    const json = JSON.parse((await run(['plan', '--format', 'json'])).stdout);
    expect(json.fleet.unmanaged.map((u: { sid: string }) => u.sid)).toEqual([STRAY]);
    expect(json.fleet.suspended.map((u: { sid: string }) => u.sid)).toEqual([SUSPENDED]);

    expect((await run(['apply', '--yes'])).code).toBe(0);
    const writes = (await requestLog(emulator)).filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((r) => r.path.includes(STRAY) || r.path.includes(SUSPENDED))).toEqual([]);
    // The suspended subaccount is never asked anything; discovery lists active and suspended only.
    const log = await requestLog(emulator);
    expect(log.filter((r) => r.path.includes(SUSPENDED))).toEqual([]);
    expect(log.filter((r) => r.path === '/2010-04-01/Accounts.json').map((r) => r.query)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Status=active'),
        expect.stringContaining('Status=suspended'),
      ]),
    );

    const drift = await run(['drift']);
    expect(drift.code).toBe(2);
    expect(drift.stdout.split('\n')[0]).toBe(
      "Drift: the policy's 3 accounts match it. Fleet: 1 unmanaged subaccount (1 with critical exposure), never written; 1 suspended subaccount, never read or written.",
    );
    const md = (await run(['drift', '--format', 'markdown'])).stdout;
    expect(md).toContain('### Unmanaged subaccounts (1)');
    expect(md).toContain(
      '| 🔴 critical | voice high-risk toll-fraud | CU Cuba, LV Latvia, SO Somalia | signup-7731 |',
    );
  });

  it('a 13-line policy governs 50 subaccounts by template; enforce brings the stray in under the guards', async () => {
    await seed(50);
    const fleetPolicy = (extra: string) =>
      [
        'version: 1',
        'accounts:',
        '  production:',
        `    sid: ${SID.production}`,
        '    voice: {low_risk: [US, CA, GB, MX]}',
        '    messaging: [US, CA, GB, IE]',
        'fleets:',
        '  customers:',
        '    parent: production',
        '    match: "cust-*"',
        '    except: [support-eu, sandbox]',
        '    voice: {low_risk: [US]}',
        '    messaging: []',
        extra,
      ].join('\n');
    await writeFile(path.join(dir, 'geo-permissions.yml'), fleetPolicy('unmanaged: ignore') + '\n');
    const plan = await run(['plan', '--format', 'json']);
    const json = JSON.parse(plan.stdout);
    expect(json.fleet.templates).toEqual([{ name: 'customers', parent: 'production', members: 50 }]);
    expect(json.accounts.filter((a: { fleet?: string }) => a.fleet === 'customers')).toHaveLength(50);
    expect(json.fleet.unmanaged).toEqual([]);
    expect((await run(['apply', '--yes'])).code).toBe(0);
    expect((await run(['plan', '--detailed-exitcode'])).code).toBe(0);

    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      `${fleetPolicy('unmanaged: {enforce: customers}')}\nguards: {max_changes: 3}\n`,
    );
    const refused = await run(['apply', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/max_changes/);
    expect((await run(['apply', '--yes', '--max-changes', '10'])).code).toBe(0);
    const after = JSON.parse((await run(['plan', '--format', 'json'])).stdout);
    expect(after.summary.changes).toBe(0);
    expect(after.accounts.find((a: { sid: string }) => a.sid === STRAY)).toMatchObject({
      account: 'signup-7731',
      fleet: 'customers',
    });
    expect(after.fleet.suspended).toEqual([
      { friendlyName: 'old-customer', sid: SUSPENDED, parent: 'production', fleet: 'customers' },
    ]);
  });
});

void CLI_POLICY;
