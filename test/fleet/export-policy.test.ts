// `export --policy P` onto a policy with `fleets:`, against the emulator over HTTP: template members stay
// members (their differences are said, or with --adopt become their own entries), unmanaged subaccounts
// follow the policy's `unmanaged:` rule, suspended ones are said, and planning the result is empty.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEmulatorState, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { messagingCountries } from '../../src/catalog/index.js';
import { loadPolicy } from '../../src/policy/load.js';
import {
  PRODUCTION_TOKEN,
  SID,
  cliFleet,
  runCli,
  runCliWithEnv,
  startCliFleet,
} from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';

const STRAY = 'AC000000000000000000000000000000a1';
const SUSPENDED = 'AC000000000000000000000000000000a2';
const customer = (i: number) => `AC00c0${'0'.repeat(26)}${String(i).padStart(2, '0')}`;
const DRIFTED = customer(6);

let emulator: RunningEmulator;
let dir: string;
const run = (args: string[]) => runCli(emulator, dir, args);

/** cliFleet plus cust-1..6 (cust-6 has FR open beside DE), a stray with toll-fraud, and a suspended one. */
async function seed() {
  const state = cliFleet();
  const de = { DE: { lowRisk: true } };
  state.accounts.push(
    ...Array.from({ length: 6 }, (_, i) => ({
      sid: customer(i + 1),
      authToken: `cust-token-${i + 1}`,
      friendlyName: `cust-${i + 1}`,
      ownerAccountSid: SID.production,
      voice: { inheritance: false, countries: i === 5 ? { ...de, FR: { lowRisk: true } } : de },
      messaging: {},
    })),
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
      status: 'suspended' as const,
      voice: { inheritance: true, countries: {} },
      messaging: {},
    },
  );
  emulator.stop();
  emulator = await startEmulator({ state: parseEmulatorState(state) });
}

const FLEET_POLICY = (rule: string) =>
  [
    'version: 1',
    'accounts:',
    '  production:',
    `    sid: ${SID.production}`,
    '    voice: {low_risk: [US, GB]}',
    '    messaging: [US, CA, GB, IE]',
    '  support-eu:',
    `    sid: ${SID.supportEu}`,
    '    parent: production',
    '    voice: {low_risk: [US, GB, IE, DE, ES], high_risk_special: [GB]}',
    '    messaging: [US, CA, GB, IE, DE, ES]',
    '  sandbox:',
    `    sid: ${SID.sandbox}`,
    '    parent: production',
    '    voice: {inherit: true}',
    '    messaging: [US]',
    'fleets:',
    '  customers: # one per signup',
    '    parent: production',
    '    match: "cust-*"',
    '    voice: {low_risk: [DE]}',
    '    messaging: []',
    rule,
    '',
  ].join('\n');

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
  await seed();
});
afterEach(() => emulator.stop());

async function exportOnto(rule: string, ...flags: string[]) {
  await writeFile(path.join(dir, 'geo-permissions.yml'), FLEET_POLICY(rule));
  const r = await run(['export', '--policy', 'geo-permissions.yml', '--out', 'out.yml', '--force', ...flags]);
  const text = r.code === 0 ? await readFile(path.join(dir, 'out.yml'), 'utf8') : '';
  return { ...r, text };
}

const planOf = async (file: string) =>
  JSON.parse((await run(['plan', '--policy', file, '--format', 'json'])).stdout) as {
    summary: { changes: number; errors: number };
    accounts: Array<{ sid: string; account: string; fleet?: string; changes: unknown[] }>;
    fleet: { unmanaged: Array<{ sid: string }>; suspended: Array<{ sid: string }> };
  };

describe('export onto a policy with fleets:', () => {
  it('keeps members under their template, says how one differs, and lists unmanaged and suspended subaccounts', async () => {
    const r = await exportOnto('');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Members are not turned into accounts: entries, and the template is left as written.
    expect(r.text).not.toMatch(/^ {2}cust-\d+:/m);
    expect(r.text).not.toMatch(/^ {2}signup-7731:/m);
    expect(r.text).toContain(
      // (the yaml library moves a comment after a key that opens a block to the line below: docs/cli.md)
      '  customers:\n    # one per signup\n    parent: production\n    match: "cust-*"\n    voice: {low_risk: [DE]}\n    messaging: []\n',
    );
    expect(r.stdout).toContain(
      `fleets.customers: cust-6 (${DRIFTED}) differs from the template live (voice.low_risk: FR open live); the plan sets it back to the template (--adopt gives it its own entry under accounts:)`,
    );
    expect(r.stdout).toContain(
      `unmanaged: signup-7731 (${STRAY}, subaccount of production) is covered by no account or template; listed at the end of the file, not added (--adopt adds it under accounts:)`,
    );
    expect(r.stdout).toContain(
      `suspended: old-customer (${SUSPENDED}, subaccount of production, unmanaged) was not read (Twilio refuses every request of a suspended account)`,
    );
    // The unmanaged one is a comment naming what it has open, high-risk first.
    expect(r.text).toContain(
      `#   signup-7731 ${STRAY} (subaccount of production): voice.high_risk_tollfraud: CU, LV, SO; voice.low_risk: CU, LV, SO`,
    );
    const { diagnostics } = loadPolicy(r.text, 'out.yml', { now: new Date(), mode: 'validate' });
    expect(diagnostics).toEqual([]);

    // The plan of the result: the explicit accounts' drift is gone; only the difference said remains.
    const plan = await planOf('out.yml');
    expect(plan.summary.errors).toBe(0);
    const changed = plan.accounts.filter((a) => a.changes.length > 0);
    expect(changed.map((a) => [a.sid, a.fleet])).toEqual([[DRIFTED, 'customers']]);
    expect(plan.fleet.unmanaged.map((u) => u.sid)).toEqual([STRAY]);

    // Exporting the result again changes nothing more (the comment block is replaced, not repeated).
    await writeFile(path.join(dir, 'geo-permissions.yml'), r.text);
    const again = await run(['export', '--policy', 'geo-permissions.yml']);
    expect(again.stdout).toBe(r.text);
  });

  it('with --adopt: a differing member and the unmanaged stray get their own entries, and the plan is empty', async () => {
    const r = await exportOnto('', '--adopt');
    expect(r.code).toBe(0);
    expect(r.text).toMatch(
      new RegExp(
        `\\n {2}# was a member of fleets\\.customers; differs from it live\\n {2}cust-6:\\n {4}sid: ${DRIFTED}\\n {4}parent: production\\n {4}voice:\\n {6}low_risk: \\[DE, FR\\]\\n {6}high_risk_special: \\[\\]\\n {6}high_risk_tollfraud: \\[\\]\\n {4}messaging: \\[\\]\\n`,
      ),
    );
    expect(r.text).toMatch(/\n {2}# was unmanaged \(covered by no account or template\)\n {2}signup-7731:\n/);
    expect(r.text).not.toMatch(/^ {2}cust-[1-5]:/m);
    expect(r.stdout).toContain(
      `accounts.signup-7731 (new; was unmanaged): added as live; it opens high-risk voice: voice.high_risk_tollfraud CU, LV, SO`,
    );
    const plan = await planOf('out.yml');
    expect(plan.summary).toMatchObject({ changes: 0, errors: 0 });
    expect(plan.fleet.unmanaged).toEqual([]);
    expect(plan.accounts.filter((a) => a.fleet === 'customers')).toHaveLength(5);
  });

  it('unmanaged: ignore leaves strays out; unmanaged: {enforce} treats them as members', async () => {
    const ignored = await exportOnto('unmanaged: ignore', '--adopt');
    expect(ignored.stderr).toBe('');
    expect(ignored.code).toBe(0);
    expect(ignored.text).not.toContain('signup-7731');
    expect(ignored.stdout).not.toContain('signup-7731');

    const enforced = await exportOnto('unmanaged: {enforce: customers}');
    expect(enforced.code).toBe(0);
    expect(enforced.text).not.toContain('signup-7731');
    expect(enforced.stdout).toContain(
      `fleets.customers (through unmanaged: enforce): signup-7731 (${STRAY}) differs from the template live`,
    );
  });

  it('a member that matches its template round-trips to an empty plan', async () => {
    await writeFile(path.join(dir, 'geo-permissions.yml'), FLEET_POLICY('unmanaged: ignore'));
    // cust-6 back in line with the template: the whole fleet matches.
    const state = await control(emulator, 'GET', 'state');
    state.accounts.find((a: { sid: string }) => a.sid === DRIFTED).voice.countries.FR.lowRisk = false;
    await control(emulator, 'PUT', 'state', state);
    const r = await run(['export', '--policy', 'geo-permissions.yml', '--out', 'out.yml']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('fleets.customers');
    const plan = await planOf('out.yml');
    expect(plan.summary).toMatchObject({ changes: 0, errors: 0 });
    expect(plan.accounts.filter((a) => a.fleet === 'customers')).toHaveLength(6);
  });
});

/** A reverse proxy to the emulator that runs `first` before it forwards the first subaccount listing. */
async function onDiscovery(first: () => Promise<void>) {
  let pending: Promise<void> | null = null;
  const server = createServer((req, res) => {
    pending ??= /\/Accounts\.json/.test(req.url ?? '') ? first() : null;
    void (pending ?? Promise.resolve()).then(() => {
      const upstream = request(
        new URL(req.url ?? '/', emulator.url),
        { method: req.method, headers: req.headers },
        (a) => {
          res.writeHead(a.statusCode ?? 502, a.headers);
          a.pipe(res);
        },
      );
      req.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('export onto the policy in place', () => {
  it('writes nothing when the policy was saved while the export read Twilio (the edit is kept)', async () => {
    const file = path.join(dir, 'geo-permissions.yml');
    await writeFile(file, FLEET_POLICY(''));
    const edited = FLEET_POLICY('unmanaged: ignore # saved in the editor meanwhile');
    const proxy = await onDiscovery(() => writeFile(file, edited));
    try {
      const env = {
        TWILIO_ACCOUNT_SID: SID.production,
        TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN,
        TWILIO_API_URL: proxy.url,
      };
      const r = await runCliWithEnv(env, dir, [
        'export',
        '--policy',
        'geo-permissions.yml',
        '--out',
        'geo-permissions.yml',
        '--force',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('geo-permissions.yml changed while export read Twilio; nothing was written');
      expect(await readFile(file, 'utf8')).toBe(edited);
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });
});

describe('export of a policy too large to load', () => {
  it('writes nothing over the 1 MiB a policy may be (plan would refuse the file) and says why', async () => {
    // 900 strays with half the world open each: adopted, about 1.2 KB per entry.
    const every = messagingCountries()
      .map((c) => c.iso)
      .filter((_, i) => i % 2 === 0);
    const state = cliFleet();
    state.accounts.push(
      ...Array.from({ length: 900 }, (_, i) => ({
        sid: `AC00e0${String(i).padStart(28, '0')}`,
        authToken: `stray-${i}`,
        friendlyName: `stray-${i}`,
        ownerAccountSid: SID.production,
        voice: {
          inheritance: false,
          countries: Object.fromEntries(every.map((c) => [c, { lowRisk: true }])),
        },
        messaging: Object.fromEntries(every.map((c) => [c, true])),
      })),
    );
    emulator.stop();
    emulator = await startEmulator({ state: parseEmulatorState(state) });
    const r = await exportOnto('', '--adopt');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: the exported policy would be \d+ bytes, over the 1 MiB \(1048576 bytes\) a policy may be, so plan would refuse it; nothing was written\. Without --adopt/m,
    );
    expect(await readFile(path.join(dir, 'out.yml'), 'utf8').catch(() => 'none')).toBe('none');
  });
});

describe('a new export of a fleet', () => {
  it('of --account SIDs writes no template: match: all would also take the subaccounts not exported', async () => {
    await rm(path.join(dir, 'geo-permissions.yml'));
    const five = Array.from({ length: 5 }, (_, i) => ['--account', customer(i + 1)]).flat();
    const r = await run(['export', '--account', SID.production, ...five, '--out', 'exported.yml']);
    expect(r.code).toBe(0);
    const text = await readFile(path.join(dir, 'exported.yml'), 'utf8');
    expect(text).not.toContain('fleets:');
    expect(text.match(/^ {2}cust-\d:$/gm)).toHaveLength(5);
    // support-eu, sandbox, cust-6 and the stray are not exported: unmanaged, not set to cust-1's profile.
    const plan = await planOf('exported.yml');
    expect(plan.summary).toMatchObject({ changes: 0, errors: 0 });
    expect(plan.fleet.unmanaged.map((u) => u.sid).sort()).toEqual(
      [SID.supportEu, SID.sandbox, DRIFTED, STRAY].sort(),
    );
  });

  it('writes a template for the shared profile, keeps the others explicit, notes the suspended one, and plans empty', async () => {
    await rm(path.join(dir, 'geo-permissions.yml'));
    const r = await run(['export', '--out', 'exported.yml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      'Exported 10 accounts; not read: 1 suspended subaccount (listed at the end of the file).',
    );
    const text = await readFile(path.join(dir, 'exported.yml'), 'utf8');
    expect(text).toContain(
      '  production-subaccounts:\n    parent: production\n    match: all\n    voice:\n      low_risk: [DE]\n',
    );
    for (const name of ['support-eu', 'sandbox', 'cust-6', 'signup-7731'])
      expect(text).toMatch(new RegExp(`^ {2}${name}:$`, 'm'));
    expect(text).not.toMatch(/^ {2}cust-[1-5]:$/m);
    // The stray's toll-fraud stays on the stray, as codes: never a default, the template or a group.
    expect(text.match(/high_risk_tollfraud: \[[^\]]+\]/g)).toEqual(['high_risk_tollfraud: [CU, LV, SO]']);
    expect(text).toContain(`#   old-customer ${SUSPENDED} (subaccount of production)`);

    const plan = await planOf('exported.yml');
    expect(plan.summary).toMatchObject({ changes: 0, errors: 0 });
    expect(plan.fleet.unmanaged).toEqual([]);
    expect(plan.fleet.suspended.map((s) => s.sid)).toEqual([SUSPENDED]);
    expect(plan.accounts.filter((a) => a.fleet === 'production-subaccounts')).toHaveLength(5);
  });
});
