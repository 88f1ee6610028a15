import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectShard, parseShard, shardOf } from '../../src/plan/shard.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runAction } from '../support/action-harness.js';
import { control } from '../support/emulator-helpers.js';
import { BOT, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { driftIssueMarker } from '../../src/github/markers.js';
import { desiredOf, PARENT_TOKEN, POLICY, SIDS, startFleet } from '../support/hardening.js';

/** A second family so two shards both have accounts: a lone main account with drift of its own. */
const OTHER = 'AC0000000000000000000000000000000a';
const OTHER_TOKEN = 'hardening-token-other-0a';
const policy = POLICY + ['  other:', `    sid: ${OTHER}`, ''].join('\n');

/** Subaccounts of production nobody declared, toll-fraud open to Cuba: unmanaged, reported by their shard. */
const STRAYS = Array.from({ length: 6 }, (_, i) => `AC${`5${i}`.padStart(32, '0')}`);
const strayShard = (sid: string) => shardOf(sid, 2);

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
  for (const [i, sid] of STRAYS.entries())
    state.accounts.push({
      sid,
      authToken: `hardening-token-stray-${i}`,
      friendlyName: `stray-${i}`,
      ownerAccountSid: SIDS.production,
      voice: { inheritance: false, countries: { CU: { lowRisk: true, highRiskTollfraud: true } } },
      messaging: {},
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
  it('each shard scans only its accounts and unmanaged subaccounts, and keeps its own drift issue', async () => {
    const desired = desiredOf(policy);
    const shards = ['1/2', '2/2'].map((s) => [
      ...selectShard(desired.accounts, parseShard(s)).map((a) => a.sid),
      ...STRAYS.filter((sid) => `${strayShard(sid)}/2` === s),
    ]);
    // The fixture is only useful if both shards hold accounts and strays; the hash decides, so check it.
    for (const index of [1, 2]) expect(STRAYS.some((sid) => strayShard(sid) === index)).toBe(true);
    expect(shards.flat().sort()).toEqual([...desired.accounts.map((a) => a.sid), ...STRAYS].sort());

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
      // Every shard lists production's subaccounts (discovery); everything else it asks is its own.
      const requests = (await control(emulator, 'GET', 'requests')).requests as Array<{
        subject: string;
        path: string;
      }>;
      const touched = new Set(
        requests.filter((r) => r.path !== '/2010-04-01/Accounts.json').map((r) => r.subject),
      );
      for (const sid of touched) expect(mine).toContain(sid);
      for (const sid of STRAYS) expect(touched.has(sid)).toBe(mine.includes(sid));
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
    // Each issue lists its own unmanaged subaccounts, none of the other shard's, and says what it covers.
    for (const issue of issues) {
      const index = Number(/\(shard (\d)\/2\)$/.exec(issue.title)?.[1]);
      const own = STRAYS.filter((sid) => strayShard(sid) === index);
      expect(issue.body).toContain(`### Unmanaged subaccounts (${own.length})`);
      for (const sid of STRAYS) expect(issue.body.includes(sid)).toBe(own.includes(sid));
      const accounts = (shards[index - 1] ?? []).length - own.length;
      expect(issue.body).toContain(
        `Shard ${index}/2 covers ${accounts} of 4 accounts and ${own.length} of 6 unmanaged subaccounts; the other shards cover the rest.`,
      );
    }
  });

  it('the first job of a resized matrix closes the drift issues of the old count; the unsharded one stays', async () => {
    const old = (shard: string | null) =>
      gh.addIssue({
        title: `Geo permissions drift: geo-permissions.yml${shard ? ` (shard ${shard})` : ''}`,
        body: `${driftIssueMarker('geo-permissions.yml', shard)}\nold drift`,
        labels: ['geo-permissions-drift'],
        user: BOT,
      });
    const stale = [old('3/4'), old('4/4')];
    const unsharded = old(null);
    const scan = (shard: string) =>
      runAction({
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
    // The 1/2 and 2/2 issues of the test above are this matrix's: only shard 1/2 closes, and only the /4 ones.
    await scan('2/2');
    for (const issue of stale) expect(issue.state).toBe('open');
    const first = await scan('1/2');
    for (const issue of stale) {
      expect(issue.state).toBe('closed');
      expect(issue.state_reason).toBe('not_planned');
      expect(gh.commentsOn(issue.number).map((c) => c.body)).toEqual([
        expect.stringContaining('now runs as 2 shards, each with its own drift issue'),
      ]);
    }
    expect(unsharded.state).toBe('open');
    const kept = gh.issues.filter((i) => !i.pull_request && /shard=\d\/2 -->/.test(i.body));
    expect(kept.map((i) => i.state)).toEqual(['open', 'open']);
    expect(first.summary).toContain(
      `#${stale[0]?.number}, #${stale[1]?.number} (of another shard count) closed`,
    );
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

describe('a sharded plan on a pull request and a sharded apply of its merge', () => {
  const PR = 7;
  let before: unknown;
  beforeAll(async () => {
    before = await control(emulator, 'GET', 'state');
  });
  const repository = { full_name: 'acme/telephony', default_branch: 'main' };
  const prEvent = {
    action: 'synchronize',
    number: PR,
    pull_request: {
      number: PR,
      head: { ref: 'geo', sha: 'aaa111', repo: { full_name: 'acme/telephony', fork: false } },
      base: { ref: 'main', sha: 'bbb222', repo: { full_name: 'acme/telephony' } },
    },
    repository,
  };
  const job = (shard: string, eventName: string, event: object, extra: Record<string, string> = {}) =>
    runAction({
      cwd: dir,
      eventName,
      event,
      githubApiUrl: gh.url,
      ...extra,
      inputs: {
        shard,
        'twilio-account-sid': SIDS.production,
        'twilio-auth-token': PARENT_TOKEN,
        'twilio-credentials': JSON.stringify({ [OTHER]: { authToken: OTHER_TOKEN } }),
        'twilio-api-url': emulator.url,
        'github-token': 'ghs_shard_test',
      },
    });

  it('binds each shard of the apply to the whole plan reviewed unsharded, each posting its own result', async () => {
    await control(emulator, 'PUT', 'state', before);
    gh.comments.length = 0;
    expect((await job('', 'pull_request', prEvent)).code).toBe(0);
    gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    const push = { ref: 'refs/heads/main', after: 'c0ffee', repository };
    const where = { sha: 'c0ffee', ref: 'refs/heads/main' };
    const runs = [];
    for (const shard of ['1/2', '2/2']) runs.push(await job(shard, 'push', push, where));
    for (const applied of runs) {
      expect(applied.stdout).not.toContain('not in the plan reviewed');
      expect(applied.code).toBe(0);
    }
    const results = gh.commentsOn(PR).filter((c) => c.body.includes(':apply policy='));
    expect(results.map((c) => /sha=c0ffee shard=(\d\/2) -->/.exec(c.body)?.[1]).sort()).toEqual([
      '1/2',
      '2/2',
    ]);
  });

  it("keeps one plan comment per shard, and each shard's apply binds to its own and posts its own result", async () => {
    await control(emulator, 'PUT', 'state', before);
    gh.comments.length = 0;
    const comments = () => gh.commentsOn(PR).map((c) => c.body);
    for (const shard of ['1/2', '2/2']) expect((await job(shard, 'pull_request', prEvent)).code).toBe(0);
    // Both shards' plans are on the pull request: neither job overwrote the other's.
    const plans = comments().filter((b) => b.includes(':plan policy='));
    expect(plans).toHaveLength(2);
    for (const shard of ['1/2', '2/2'])
      expect(
        plans.filter((b) => b.includes(`:plan policy=geo-permissions.yml shard=${shard} -->`)),
      ).toHaveLength(1);

    gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    const push = { ref: 'refs/heads/main', after: 'c0ffee', repository };
    const where = { sha: 'c0ffee', ref: 'refs/heads/main' };
    for (const shard of ['1/2', '2/2']) {
      const applied = await job(shard, 'push', push, where);
      expect(applied.stdout).not.toContain('not in the plan reviewed');
      expect(applied.code).toBe(0);
    }
    // Each shard's result is its own comment: one shard's success never stands for the other's.
    const results = comments().filter((b) => b.includes(':apply policy='));
    expect(results).toHaveLength(2);
    for (const shard of ['1/2', '2/2'])
      expect(results.filter((b) => b.includes(`sha=c0ffee shard=${shard} -->`))).toHaveLength(1);
  });
});
