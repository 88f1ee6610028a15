import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectShard, parseShard } from '../../src/plan/shard.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runAction } from '../support/action-harness.js';
import { control } from '../support/emulator-helpers.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { desiredOf, PARENT_TOKEN, POLICY, SIDS, startFleet } from '../support/hardening.js';

/** A second family so two shards both have accounts: a lone main account with drift of its own. */
const OTHER = 'AC0000000000000000000000000000000a';
const OTHER_TOKEN = 'hardening-token-other-0a';
const policy = POLICY + ['  other:', `    sid: ${OTHER}`, ''].join('\n');

let emulator: RunningEmulator;
let gh: FakeGitHub;
let dir: string;
beforeAll(async () => {
  emulator = await startFleet();
  const state = await control(emulator, 'GET', 'state');
  state.accounts.push({
    sid: OTHER,
    authToken: OTHER_TOKEN,
    friendlyName: 'other',
    voice: { inheritance: false, countries: { US: { lowRisk: true }, CU: { lowRisk: true } } },
    messaging: { US: true },
  });
  await control(emulator, 'PUT', 'state', state);
  gh = await startFakeGitHub();
  dir = await mkdtemp(path.join(tmpdir(), 'geo-shard-'));
  await writeFile(path.join(dir, 'geo-permissions.yml'), policy);
});
afterAll(async () => {
  await emulator.stop();
  await gh.close();
});

describe('the action with shard: I/N', () => {
  it('each shard scans only its families and keeps its own drift issue', async () => {
    const desired = desiredOf(policy);
    const shards = ['1/2', '2/2'].map((s) => selectShard(desired.accounts, parseShard(s)).map((a) => a.sid));
    // The fixture is only useful if both shards hold a family; the hash decides, so check it.
    expect(shards.every((s) => s.length > 0)).toBe(true);
    expect(shards.flat().sort()).toEqual(desired.accounts.map((a) => a.sid).sort());

    for (const shard of ['1/2', '2/2']) {
      await control(emulator, 'DELETE', 'requests');
      const run = await runAction({
        cwd: dir,
        eventName: 'schedule',
        githubApiUrl: gh.url,
        inputs: {
          shard,
          'twilio-account-sid': SIDS.production,
          'twilio-auth-token': PARENT_TOKEN,
          'twilio-credentials': JSON.stringify({ [OTHER]: { authToken: OTHER_TOKEN } }),
          'twilio-api-url': emulator.url,
          'github-token': 'ghs_shard_test',
        },
      });
      expect(run.outputs['drift-detected']).toBe('true');
      const mine = shards[shard === '1/2' ? 0 : 1] ?? [];
      const touched = new Set(
        ((await control(emulator, 'GET', 'requests')).requests as Array<{ subject: string }>).map(
          (r) => r.subject,
        ),
      );
      for (const sid of touched) expect(mine).toContain(sid);
    }
    const issues = gh.issues.filter((i) => !i.pull_request);
    expect(issues).toHaveLength(2);
    expect(issues.map((i) => i.title).sort()).toEqual([
      'Geo permissions drift: geo-permissions.yml (shard 1/2)',
      'Geo permissions drift: geo-permissions.yml (shard 2/2)',
    ]);
    expect(issues.map((i) => /:drift policy=[^ ]+ shard=(\d\/\d) -->/.exec(i.body)?.[1]).sort()).toEqual([
      '1/2',
      '2/2',
    ]);
  });

  it('rejects a malformed shard before any request', async () => {
    await control(emulator, 'DELETE', 'requests');
    const run = await runAction({
      cwd: dir,
      eventName: 'schedule',
      inputs: {
        shard: '3/2',
        'twilio-account-sid': SIDS.production,
        'twilio-auth-token': PARENT_TOKEN,
        'twilio-api-url': emulator.url,
      },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/invalid shard "3\/2"/);
    expect((await control(emulator, 'GET', 'requests')).requests).toEqual([]);
  });
});
