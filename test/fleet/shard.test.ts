// Sharding a discovered fleet, end to end: the CLI with --shard I/N against the emulator. Template members
// and unmanaged subaccounts are split by their own SID, members that inherit stay with their parent, and
// a sharded apply never lets a parent's voice enable reach a subaccount another shard has not yet taken
// out of inheritance.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEmulatorState, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { shardOf } from '../../src/plan/shard.js';
import { CLI_POLICY, SID, cliFleet, runCli, startCliFleet } from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;
const run = (args: string[]) => runCli(emulator, dir, args);

/** A subaccount SID of a family: `kind` tells customers (c), pool members (a) and strays (5) apart. */
const subSid = (kind: string, i: number) => `AC${kind}${String(i).padStart(31, '0')}`;

const subaccount = (sid: string, friendlyName: string, voice: object) => ({
  sid,
  authToken: `token-${sid}`,
  friendlyName,
  ownerAccountSid: SID.production,
  voice,
  messaging: { US: true },
});

const own = { inheritance: false, countries: { US: { lowRisk: true } } };

/** cliFleet plus 60 customers (own lists), 6 pool members (inheriting) and 8 strays (unmanaged). */
function fleetState(customers = 60) {
  const state = cliFleet();
  for (let i = 1; i <= customers; i++) state.accounts.push(subaccount(subSid('c', i), `cust-${i}`, own));
  for (let i = 1; i <= 6; i++)
    state.accounts.push(subaccount(subSid('a', i), `pool-${i}`, { inheritance: true, countries: {} }));
  for (let i = 1; i <= 8; i++)
    state.accounts.push(
      subaccount(subSid('5', i), `stray-${i}`, {
        inheritance: false,
        countries: { CU: { lowRisk: true, highRiskTollfraud: true } },
      }),
    );
  return state;
}

const FLEET_POLICY = [
  CLI_POLICY.trimEnd(),
  'fleets:',
  '  customers:',
  '    parent: production',
  '    match: "cust-*"',
  '    voice: {low_risk: [US]}',
  '    messaging: [US]',
  '  pool:',
  '    parent: production',
  '    match: "pool-*"',
  '    voice: {inherit: true}',
  '    messaging: [US]',
  '',
].join('\n');

interface ShardJson {
  accounts: Array<{ sid: string }>;
  fleet: {
    unmanaged: Array<{ sid: string }>;
    shard?: { shard: string; accounts: number; allAccounts: number; unmanaged: number; allUnmanaged: number };
    templates: Array<{ name: string; members: number; allMembers?: number }>;
  };
}

async function planJson(shard: string | null): Promise<ShardJson> {
  const result = await run(['plan', '--format', 'json', ...(shard ? ['--shard', shard] : [])]);
  expect(result.stderr).not.toMatch(/error/);
  return JSON.parse(result.stdout) as ShardJson;
}

/** Each planned or reported SID of the fleet, by the shard (of `count`) that has it. */
async function assignment(count: number): Promise<Map<string, number[]>> {
  const where = new Map<string, number[]>();
  for (let index = 1; index <= count; index++) {
    const json = await planJson(`${index}/${count}`);
    for (const sid of [...json.accounts, ...json.fleet.unmanaged].map((a) => a.sid))
      where.set(sid, [...(where.get(sid) ?? []), index]);
  }
  return where;
}

async function seed(state: ReturnType<typeof fleetState>, policy = FLEET_POLICY) {
  await emulator.stop();
  emulator = await startEmulator({ state: parseEmulatorState(state) });
  await writeFile(path.join(dir, 'geo-permissions.yml'), policy);
}

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

describe('--shard I/N on a discovered fleet', () => {
  it('puts every account, member and unmanaged subaccount in exactly one shard, and says how much each covers', async () => {
    await seed(fleetState());
    const whole = await planJson(null);
    const all = [...whole.accounts, ...whole.fleet.unmanaged].map((a) => a.sid).sort();
    expect(all).toHaveLength(3 + 60 + 6 + 8);
    const where = await assignment(4);
    expect([...where.keys()].sort()).toEqual(all);
    for (const [sid, shards] of where) expect({ sid, shards: shards.length }).toEqual({ sid, shards: 1 });
    // Members are split, not kept with their parent: every shard has customers and strays.
    const byShard = (prefix: string) =>
      new Set([...where].filter(([sid]) => sid.startsWith(prefix)).map(([, s]) => s[0]));
    expect(byShard('ACc').size).toBe(4);
    expect(byShard('AC5').size).toBeGreaterThan(1);
    // Those that inherit (sandbox, the pool) go with production.
    const parentShard = where.get(SID.production)?.[0];
    for (const sid of [SID.sandbox, ...Array.from({ length: 6 }, (_, i) => subSid('a', i + 1))])
      expect(where.get(sid)).toEqual([parentShard]);

    const json = await planJson('2/4');
    expect(json.fleet.shard).toEqual({
      shard: '2/4',
      accounts: json.accounts.length,
      allAccounts: 3 + 60 + 6,
      unmanaged: json.fleet.unmanaged.length,
      allUnmanaged: 8,
    });
    expect(json.fleet.templates.find((t) => t.name === 'customers')?.allMembers).toBe(60);
    const text = (await run(['plan', '--shard', '2/4'])).stdout;
    expect(text.split('\n')[0]).toContain(
      `Shard 2/4 covers ${json.accounts.length} of 69 accounts and ${json.fleet.unmanaged.length} of 8 unmanaged subaccounts; the other shards cover the rest.`,
    );
  });

  it('keeps every account in its shard when 100 subaccounts are added', async () => {
    await seed(fleetState());
    const before = await assignment(4);
    const grown = fleetState();
    // Listed first, and with SIDs among the others', so a split by position would move everyone.
    const added = Array.from({ length: 100 }, (_, i) =>
      subaccount(subSid('b', i + 1), `cust-new-${i + 1}`, own),
    );
    grown.accounts.splice(1, 0, ...added);
    await control(emulator, 'PUT', 'state', grown);
    const after = await assignment(4);
    expect(after.size).toBe(before.size + 100);
    for (const [sid, shards] of before) expect({ sid, shards: after.get(sid) }).toEqual({ sid, shards });
  });
});

describe("a shard whose job could not list the parent's subaccounts", () => {
  it('says so, and neither its apply nor its drift scan succeeds (its members were not seen)', async () => {
    await seed(fleetState());
    await control(emulator, 'POST', 'faults', {
      type: 'status',
      status: 503,
      path: '/2010-04-01/Accounts.json',
    });
    const shard = `${shardOf(SID.production, 2)}/2`;
    const plan = await run(['plan', '--shard', shard]);
    expect(plan.stdout).toContain(`Subaccounts of production ${SID.production} were not listed`);
    const drift = await run(['drift', '--shard', shard]);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('the drift scan is incomplete');
    // Before: "Nothing to apply", exit 0, while this shard's customers were never seen.
    const apply = await run(['apply', '--yes', '--shard', shard, '--max-changes', '100']);
    expect(apply.code).toBe(1);
    const unlisted =
      /production \(AC0+1\): failed: its subaccounts could not be listed, so the members of fleets customers, pool were neither planned nor applied: .*503/;
    expect(apply.stdout).toMatch(unlisted);
    // Nothing else to write: still not a success.
    const again = await run(['apply', '--yes', '--shard', shard, '--max-changes', '100']);
    expect(again.stdout).toContain('Nothing to apply');
    expect(again.stderr).toMatch(
      /error: production: its subaccounts could not be listed, so the members of fleets customers, pool/,
    );
    expect(again.code).toBe(1);
  });
});

describe('a sharded apply and a subaccount that still inherits', () => {
  // production gains DE (voice low-risk); the customers' lists do not allow DE. cust-A still inherits:
  // until its own shard takes it out of inheritance, DE enabled on production would reach it.
  const parentShard = shardOf(SID.production, 2);
  const pick = (n: number, wanted: (s: number) => boolean) => {
    for (let i = n; ; i++) if (wanted(shardOf(subSid('c', i), 2))) return subSid('c', i);
  };
  const follower = pick(1, (s) => s !== parentShard);
  const policy = FLEET_POLICY.replace(
    `    sid: ${SID.production}\n`,
    `    sid: ${SID.production}\n    voice: {low_risk: [core, DE]}\n`,
  );
  const state = () => {
    const s = fleetState(0);
    s.accounts.push(
      subaccount(follower, 'cust-A', { inheritance: true, countries: {} }),
      subaccount(
        pick(100, (x) => x !== parentShard),
        'cust-B',
        {
          inheritance: false,
          countries: { US: { lowRisk: true } },
        },
      ),
    );
    return s;
  };
  /** Whether `sid` can call Germany (low-risk): through its parent while it inherits. */
  const germany = async (sid: string): Promise<boolean> => {
    type Account = {
      sid: string;
      voice: { inheritance: boolean; countries: Record<string, { lowRisk?: boolean }> };
    };
    const accounts = (await control(emulator, 'GET', 'state')).accounts as Account[];
    const account = accounts.find((a) => a.sid === sid)!;
    const source = account.voice.inheritance ? accounts.find((a) => a.sid === SID.production)! : account;
    return source.voice.countries.DE?.lowRisk === true;
  };
  const other = `${3 - parentShard}/2`;
  const mine = `${parentShard}/2`;

  it("holds the parent's voice enable, naming the subaccount and its shard, until that shard took it out", async () => {
    await seed(state(), policy);
    const first = await run(['apply', '--yes', '--shard', mine, '--max-changes', '100']);
    // Nothing reached cust-A through its parent, and the run does not claim success.
    expect(await germany(follower)).toBe(false);
    expect(first.code).toBe(1);
    expect(await germany(SID.production)).toBe(false);
    expect(first.stdout + first.stderr).toContain(
      `subaccount cust-A (shard ${other}) still follows this account`,
    );

    expect((await run(['apply', '--yes', '--shard', other, '--max-changes', '100'])).code).toBe(0);
    const again = await run(['apply', '--yes', '--shard', mine, '--max-changes', '100']);
    expect(again.stderr).not.toMatch(/still follows/);
    expect(again.code).toBe(0);
    expect(await germany(SID.production)).toBe(true);
    expect(await germany(follower)).toBe(false);
  });
});
