import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyCommentMarker } from '../../src/github/markers.js';
import { runAction } from '../support/action-harness.js';
import { buildDist, E2E_SID, productionPolicy, useActionWorld } from '../support/e2e-world.js';
import type { ActionRunOptions } from '../support/action-harness.js';
import { requestLog } from '../support/emulator-helpers.js';

/**
 * Issue 10, items 8, 10 and 11d, end to end on the built dist/index.js: apply and revert records that
 * survive a failed GitHub write, which triggers may plan or write, and the checks made before any request.
 */
const SID = E2E_SID;
const PR = 7;

const policy = productionPolicy;
const repository = { full_name: 'acme/telephony', default_branch: 'main' };
const prEvent = (headSha = 'aaa111') => ({
  action: 'synchronize',
  number: PR,
  pull_request: {
    number: PR,
    head: { ref: 'geo', sha: headSha, repo: { full_name: 'acme/telephony', fork: false } },
    base: { ref: 'main', sha: 'bbb222', repo: { full_name: 'acme/telephony' } },
  },
  repository,
});
const pushEvent = (sha: string) => ({ ref: 'refs/heads/main', after: sha, repository });
const dispatchEvent = { inputs: {}, ref: 'refs/heads/main', repository };

beforeAll(buildDist);

const world = useActionWorld();
const { writePolicy, creds, run } = world;
const merge = (sha: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  run('push', pushEvent(sha), inputs, { sha, ref: 'refs/heads/main', env });
const live = () => world.twilio.state().accounts.find((a) => a.sid === SID)!;
const twilioRequests = async () => (await requestLog(world.twilio)).map((r) => `${r.method} ${r.path}`);
const consoleChange = async (change: object) => {
  const res = await fetch(`${world.twilio.url}/__emulator/console`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: SID, actor: 'US00000000000000000000000000000042', ...change }),
  });
  expect(res.status).toBe(200);
};

describe('apply and revert records survive a failed GitHub write (item 8)', () => {
  it('keeps the apply record when the result comment fails, and a re-run of the commit posts the result', async () => {
    await writePolicy(policy(['US', 'JM'], ['US', 'JM']));
    expect((await run('pull_request', prEvent())).code).toBe(0);
    world.gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    // GitHub is down for the result comment only, retries included: Twilio is written and verified.
    world.gh.failures.push({
      method: 'POST',
      path: /^\/issues\/7\/comments$/,
      bodyIncludes: 'twilio-geo-permissions:apply',
      status: 502,
    });
    const first = await merge('c0ffee');
    expect(first.code).toBe(1);
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
    const recordPath = path.join(first.dir, 'geo-permissions', 'apply-geo-permissions.yml-c0ffee.json');
    expect(first.outputs['plan-json']).toBe(recordPath);
    const record = JSON.parse(await readFile(recordPath, 'utf8')) as {
      kind: string;
      ok: boolean;
      summary: object;
    };
    expect(record).toMatchObject({ kind: 'apply', ok: true, summary: { verified: 2, failed: 0 } });
    expect(first.stdout).toContain(`::error::could not post the apply result on PR #${PR}`);
    expect(first.stdout).toContain(recordPath);

    // The job re-run (attempt 2) has nothing left to apply and posts the result the first attempt lost.
    world.gh.failures.length = 0;
    const again = await merge('c0ffee', {}, { GITHUB_RUN_ATTEMPT: '2' });
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.outputs['has-changes']).toBe('false');
    const comments = world.gh.commentsOn(PR);
    expect(comments).toHaveLength(2);
    const result = comments[1]!.body;
    expect(result.startsWith(applyCommentMarker('geo-permissions.yml', 'c0ffee'))).toBe(true);
    expect(result).toContain('### Live state matches the reviewed policy');
    expect(result).toContain(
      'attempt 1 of this run (https://github.com/acme/telephony/actions/runs/4242/attempts/1)',
    );
    expect(again.outputs['plan-json']).toBe(
      path.join(again.dir, 'geo-permissions', 'apply-geo-permissions.yml-c0ffee.json'),
    );

    // Recorded once: a further re-run leaves the result comment as it is.
    const third = await merge('c0ffee', {}, { GITHUB_RUN_ATTEMPT: '3' });
    expect(third.code).toBe(0);
    expect(world.gh.commentsOn(PR).map((c) => c.body)).toEqual(comments.map((c) => c.body));
  });

  it('records on the drift issue, at the next scan, a revert whose result comment failed', async () => {
    await writePolicy(policy(['US'], ['US']));
    await consoleChange({ voice: { MX: { lowRisk: true } } });
    world.gh.failures.push({ path: /comments/, bodyIncludes: 'Reverted to the policy', status: 502 });
    const first = await run('schedule', { schedule: '0 6 * * *' }, { 'on-drift': 'revert' });
    expect(first.code).toBe(1);
    expect(live().voice.countries.MX?.lowRisk ?? false).toBe(false);
    expect(world.gh.issues).toHaveLength(1);
    expect(world.gh.issues[0]).toMatchObject({ state: 'open' });

    world.gh.failures.length = 0;
    const next = await run(
      'schedule',
      { schedule: '0 6 * * *' },
      { 'on-drift': 'revert' },
      { env: { GITHUB_RUN_ID: '4243' } },
    );
    expect(next.stderr).toBe('');
    expect(next.code).toBe(0);
    const bodies = world.gh.commentsOn(1).map((c) => c.body);
    const recorded = bodies.findIndex((b) => b.includes('Reverted to the policy by run 4242'));
    expect(recorded, bodies.join('\n---\n')).toBeGreaterThanOrEqual(0);
    expect(bodies[recorded]).toContain('https://github.com/acme/telephony/actions/runs/4242');
    expect(bodies[recorded]).toContain('- production voice.low_risk MX: on → off');
    expect(bodies[recorded]).toContain('the live state matches the policy');
    // Recorded before the issue is closed, so the issue tells what happened in order.
    expect(bodies.findIndex((b) => b.includes('Drift cleared'))).toBeGreaterThan(recorded);
    expect(world.gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });
});

describe('without a reviewed plan, only what narrows access applies (item 10)', () => {
  it('a direct push applies only restrictive changes; enables need a reviewed plan or an explicit opt-in', async () => {
    // Live: US on. The policy swaps US for JM and was pushed straight to main (no pull request).
    await writePolicy(policy(['JM'], ['US']));
    const push = await merge('d1ec7ed');
    expect(push.code).toBe(1);
    expect(live().voice.countries.US?.lowRisk ?? false).toBe(false);
    expect(live().voice.countries.JM?.lowRisk ?? false).toBe(false);
    expect(push.summary).toContain('### Refused: 1 enable without a reviewed plan');
    expect(push.summary).toContain('| production | voice low-risk | JM Jamaica | off -> on |');
    expect(push.summary).toContain('allow-unreviewed-enables: true');
    expect(push.stdout).toMatch(
      /::error::1 enable was refused: commit d1ec7ed was not merged through a pull request, so no plan of it was reviewed/,
    );

    const optIn = await merge('d1ec7ed', { 'allow-unreviewed-enables': 'true' });
    expect(optIn.code).toBe(0);
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
    expect(optIn.stdout).toMatch(
      /::warning::allow-unreviewed-enables: true: 1 enable is applied under the guards alone/,
    );
  });
});

describe('which triggers plan, and which write (item 10)', () => {
  it('pull_request_target plans only when the pull request head is what is checked out', async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    // pull_request_target runs on the base branch: GITHUB_SHA and GITHUB_REF are the base's.
    const base = await run(
      'pull_request_target',
      prEvent('aaa111'),
      {},
      { sha: 'bbb222', ref: 'refs/heads/main' },
    );
    expect(base.code).toBe(0);
    expect(base.summary).toContain('pull_request_target');
    expect(base.summary).toContain('validated only');
    expect(base.stdout).toContain('on: pull_request');
    expect(await twilioRequests()).toEqual([]);
    expect(world.gh.comments).toHaveLength(0);

    // A checkout of the head (actions/checkout with ref: the head SHA) may be planned, and commented.
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        cwd: world.repo,
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    git('add', 'geo-permissions.yml');
    git('commit', '-q', '-m', 'policy');
    const head = git('rev-parse', 'HEAD');
    const planned = await run(
      'pull_request_target',
      prEvent(head),
      {},
      { sha: 'bbb222', ref: 'refs/heads/main' },
    );
    expect(planned.code).toBe(0);
    expect(planned.outputs).toMatchObject({ 'has-changes': 'true', 'change-count': '1' });
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
  });

  it('never writes outside a push or a dispatch of the default branch, and says what to do instead', async () => {
    await writePolicy(policy(['US', 'MX'], ['US']));
    // GITHUB_REF of pull_request_target is the base branch: the default branch check alone let it write.
    const target = await run(
      'pull_request_target',
      prEvent(),
      { mode: 'apply' },
      { sha: 'bbb222', ref: 'refs/heads/main' },
    );
    expect(target.code).toBe(1);
    expect(target.stdout).toMatch(
      /::error::apply runs only on a push to the default branch or a workflow_dispatch of it, not on pull_request_target; .*mode: plan/,
    );
    const scheduled = await run('schedule', { schedule: '0 6 * * *' }, { mode: 'apply' });
    expect(scheduled.code).toBe(1);
    expect(scheduled.stdout).toContain('not on schedule');
    expect(scheduled.stdout).toContain('on-drift: revert');
    expect(await twilioRequests()).toEqual([]);

    const revert = await run(
      'pull_request_target',
      prEvent(),
      { mode: 'drift', 'on-drift': 'revert' },
      { sha: 'bbb222', ref: 'refs/heads/main' },
    );
    expect(revert.code).toBe(1);
    expect(revert.summary).toContain('### Not reverted');
    expect(revert.summary).toContain('not on pull_request_target');
    expect(live().voice.countries.MX?.lowRisk ?? false).toBe(false);
    expect((await requestLog(world.twilio)).filter((r) => r.kind === 'write')).toEqual([]);
  });

  it('a dispatched apply of the default branch is bound to the plan reviewed on the merged pull request', async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    expect((await run('pull_request', prEvent())).code).toBe(0);
    // After the review, BR was added and the commit merged without a new plan.
    await writePolicy(policy(['US', 'JM', 'BR'], ['US']));
    world.gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    const dispatch = await run('workflow_dispatch', dispatchEvent, { mode: 'apply' }, { sha: 'c0ffee' });
    expect(dispatch.code).toBe(1);
    expect(dispatch.stdout).toContain('not in the plan reviewed on PR #7');
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
    expect(live().voice.countries.BR?.lowRisk ?? false).toBe(false);
    expect(world.gh.commentsOn(PR)).toHaveLength(2);
  });
});

describe('everything a mode needs is checked before the first request (item 11d)', () => {
  it.each([
    [
      'a pull_request payload that is not JSON',
      { eventName: 'pull_request', eventText: '{"number": 7, "pull_request": ' },
      /::error::the pull_request event payload names no pull request, so the plan was not commented \(the event payload .* is not valid JSON.*\); nothing was read/,
    ],
    [
      'a pull_request event without its pull request',
      { eventName: 'pull_request', event: { action: 'opened', repository } },
      /::error::the pull_request event payload names no pull request/,
    ],
    [
      'an apply on push without github-token',
      { eventName: 'push', event: pushEvent('c0ffee'), sha: 'c0ffee', inputs: { 'github-token': '' } },
      /::error::github-token is required to apply/,
    ],
    [
      'an apply on a push whose payload is not JSON',
      { eventName: 'push', eventText: 'not json', sha: 'c0ffee', inputs: { mode: 'apply' } },
      /::error::apply runs only on a push to the default branch .*is not valid JSON/,
    ],
  ] as Array<[string, Partial<ActionRunOptions> & { eventName: string }, RegExp]>)(
    '%s fails with no Twilio or GitHub request',
    async (_name, options, message) => {
      await writePolicy(policy(['US', 'JM'], ['US']));
      const res = await runAction({
        cwd: world.repo,
        githubApiUrl: world.gh.url,
        ...options,
        inputs: { ...creds(), ...options.inputs },
      });
      expect(await twilioRequests()).toEqual([]);
      expect(world.gh.requests).toEqual([]);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(message);
    },
  );
});
