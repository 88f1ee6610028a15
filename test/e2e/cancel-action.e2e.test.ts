import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runAction, type ActionRunOptions } from '../support/action-harness.js';
import {
  accountOf,
  cancelFleet,
  CHILDREN,
  PARENT,
  PARENT_TOKEN,
  signalAtFirstWrite,
  slowWrites,
  startCancelFleet,
  wantedCells,
  widerThanBoth,
} from '../support/cancel-fleet.js';
import { control, requestLog } from '../support/emulator-helpers.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

/** The built dist/index.js (run `npm run build` first) cancelled by the runner mid-apply and mid-revert. */
const PR = 12;
const SHA = 'c0ffee12';
const repository = { full_name: 'acme/telephony', default_branch: 'main' };

let twilio: RunningEmulator;
let gh: FakeGitHub;
let repo: string;
beforeEach(async () => {
  ({ emulator: twilio, dir: repo } = await startCancelFleet());
  gh = await startFakeGitHub();
});
afterEach(async () => {
  await gh.close();
  await twilio.stop();
});

const run = (
  eventName: string,
  event: unknown,
  inputs: Record<string, string> = {},
  extra: Partial<ActionRunOptions> = {},
) =>
  runAction({
    eventName,
    event,
    cwd: repo,
    githubApiUrl: gh.url,
    inputs: {
      'twilio-account-sid': PARENT,
      'twilio-auth-token': PARENT_TOKEN,
      'twilio-api-url': twilio.url,
      concurrency: '1',
      ...inputs,
    },
    // A schedule checks out the default branch head (a drift run writes only the policy it still holds).
    ...extra,
    sha: extra.sha ?? gh.repository.branches.get(gh.repository.defaultBranch),
  });

/** The run, sent SIGINT when the emulator receives its first write. */
async function cancelled(
  eventName: string,
  event: unknown,
  inputs: Record<string, string>,
  sha?: string,
  signals: NodeJS.Signals[] = ['SIGINT'],
) {
  let signalled: Promise<number> | null = null;
  const result = await run(eventName, event, inputs, {
    sha,
    onSpawn: (child) => (signalled = signalAtFirstWrite(twilio, child, signals, 200)),
  });
  return { ...result, afterLastSignalMs: Date.now() - (await signalled!) };
}

const NOT_STARTED = /\| skipped \| team-[234] \| [^|]+ \| [^|]+ \| [^|]+ \| cancelled before it started \|/g;

describe('dist/index.js apply mode, cancelled by the runner (SIGINT)', () => {
  it('apply on merge: finishes the account in flight, writes the summary, the JSON report, the outputs and the PR comment', async () => {
    const pullRequest = {
      number: PR,
      head: { ref: 'geo', sha: 'aaa111', repo: { full_name: repository.full_name, fork: false } },
      base: { ref: 'main', sha: 'bbb222', repo: { full_name: repository.full_name } },
    };
    const plan = await run(
      'pull_request',
      { action: 'opened', number: PR, pull_request: pullRequest, repository },
      {},
      { ref: `refs/pull/${PR}/merge` },
    );
    expect(plan.code).toBe(0);
    gh.commitPulls.set(SHA, [{ number: PR, merged: true, merge_commit_sha: SHA }]);
    await slowWrites(twilio, 300);

    const merge = await cancelled('push', { ref: 'refs/heads/main', after: SHA, repository }, {}, SHA);

    expect(merge.summary).toContain(
      'Apply CANCELLED: 2 verified, 0 failed, 0 manual, 14 skipped; 2 write requests.',
    );
    expect(merge.code).toBe(130);
    expect(merge.stdout).toContain('SIGINT: starting no new account');
    expect(merge.summary).toContain('| verified | team-1 | voice low-risk | MX Mexico | on -> off |');
    expect(merge.summary.match(NOT_STARTED)).toHaveLength(12);
    // The apply record: plan-json names it once the apply ran (docs/hardening.md, lost apply records).
    expect(merge.outputs['plan-json']).toMatch(/apply-geo-permissions\.yml-[0-9a-f]+\.json$/);
    const json = JSON.parse(await readFile(merge.outputs['plan-json']!, 'utf8'));
    expect(json).toMatchObject({ kind: 'apply', ok: false, cancelled: true, writeRequests: 2 });
    expect(json.summary).toEqual({ verified: 2, failed: 0, manual: 0, skipped: 14 });
    expect(merge.outputs['plan-fingerprint']).toMatch(/^[0-9a-f]{64}$/);
    expect(merge.outputs['comment-url']).toBeTruthy();
    const comment = gh.commentsOn(PR).at(-1)!.body;
    expect(comment).toContain('twilio-geo-permissions:apply');
    expect(comment).toContain('Apply CANCELLED');
    expect(comment.match(NOT_STARTED)).toHaveLength(12);

    const before = cancelFleet();
    const after = twilio.state();
    for (const sid of CHILDREN.slice(1)) expect(accountOf(after, sid)).toEqual(accountOf(before, sid));
    for (const sid of CHILDREN)
      expect(widerThanBoth(accountOf(before, sid), accountOf(after, sid), wantedCells())).toEqual([]);
  });

  it('on SIGINT then SIGTERM: exits 143 at once, with one error line saying what may be incomplete', async () => {
    // The write in flight answers after 5 s: an exit before that did not wait for it.
    await slowWrites(twilio, 5_000);
    const merge = await cancelled('push', { ref: 'refs/heads/main', after: SHA, repository }, {}, SHA, [
      'SIGINT',
      'SIGTERM',
    ]);

    expect(merge.code).toBe(143);
    expect(merge.afterLastSignalMs).toBeLessThan(4_000);
    expect(merge.stdout.split('\n').filter((l) => l.includes('stopped at once'))).toEqual([
      '::error::SIGTERM after SIGINT: stopped at once. Writes in flight were not read back, and the job summary, the JSON report and the comment may be missing; the next plan shows what is live.',
    ]);
    expect(merge.summary).toBe('');
  });
});

describe('dist/index.js drift mode, cancelled by the runner (SIGINT)', () => {
  it('drift revert: reports what was reverted, keeps the drift issue open, exits non-zero', async () => {
    await slowWrites(twilio, 300);
    const scan = await cancelled('schedule', { schedule: '0 6 * * *' }, { 'on-drift': 'revert' });

    expect(scan.summary).toContain(
      'Apply CANCELLED: 2 verified, 0 failed, 0 manual, 14 skipped; 2 write requests.',
    );
    expect(scan.code).toBe(130);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ state: 'open' });
    const record = gh.commentsOn(gh.issues[0]!.number).at(-1)!.body;
    expect(record).toContain('### Revert cancelled part-way (`on-drift: revert`)');
    expect(record).toContain('Apply CANCELLED');
    expect(record.match(NOT_STARTED)).toHaveLength(12);
    expect(scan.outputs['issue-number']).toBe(String(gh.issues[0]!.number));
  });

  it('a drift scan cancelled while reading stops at once, says nothing was written, and leaves the open issue alone', async () => {
    await slowWrites(twilio, 300);
    const first = await cancelled('schedule', { schedule: '0 6 * * *' }, { 'on-drift': 'revert' });
    expect(first.code).toBe(130);
    expect(gh.issues[0]).toMatchObject({ state: 'open' });
    const issueBefore = JSON.stringify(gh.issues[0]);
    const commentsBefore = gh.comments.length;
    await control(twilio, 'DELETE', 'faults');
    await control(twilio, 'DELETE', 'requests');
    // Reads answer slowly; the runner cancels while the accounts are being read.
    await control(twilio, 'POST', 'faults', { type: 'latency', ms: 300, method: 'GET' });
    let signalled: Promise<void> | null = null;
    const scan = await run(
      'schedule',
      { schedule: '0 6 * * *' },
      { 'on-drift': 'revert' },
      {
        onSpawn: (child) =>
          (signalled = (async () => {
            while ((await requestLog(twilio)).length === 0) await new Promise((r) => setTimeout(r, 10));
            child.kill('SIGINT');
          })()),
      },
    );
    await signalled;

    expect(scan.summary).toContain(
      '## ⚠️ Cancelled\n\nSIGINT before any write: stopped; nothing was written to Twilio.',
    );
    expect(scan.code).toBe(130);
    expect(scan.stdout).toContain('::error::SIGINT before any write: stopped; nothing was written to Twilio');
    expect((await requestLog(twilio)).filter((r) => r.kind === 'write')).toEqual([]);
    expect(JSON.stringify(gh.issues[0])).toBe(issueBefore);
    expect(gh.comments).toHaveLength(commentsBefore);
  });
});
