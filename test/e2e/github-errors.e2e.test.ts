import { beforeAll, describe, expect, it } from 'vitest';
import { planCommentMarker, reviewedPlanMarker } from '../../src/github/markers.js';
import {
  buildDist,
  E2E_PR,
  E2E_SID,
  prEvent,
  productionPolicy,
  pushEvent,
  useActionWorld,
} from '../support/e2e-world.js';
import { BOT } from '../support/fake-github.js';

/**
 * The built action against GitHub answers that are not "yes": rate limits (primary and secondary),
 * a hanging request, a read-only token; and against identities other than github-actions[bot]
 * (a GitHub App's token, a user's token). Issue 10, items 7, 9 and 11f.
 */
const SID = E2E_SID;
const APP_TOKEN = 'ghs_geo_app_installation_token';
const APP = 'geo-app[bot]';
const USER_TOKEN = 'github_pat_ops_bot_token';

const policy = productionPolicy;

const PR = E2E_PR;
const schedule = { schedule: '0 6 * * *' };
const COMMENTS = `/issues/${PR}/comments`;

beforeAll(buildDist);

const world = useActionWorld((gh) => {
  gh.identities.set(APP_TOKEN, { login: APP, installation: true });
  gh.identities.set(USER_TOKEN, { login: 'ops-bot', installation: false });
});
const { writePolicy, run } = world;
const merge = (sha: string, inputs: Record<string, string> = {}) => {
  world.gh.commitPulls.set(sha, [{ number: PR, merged: true, merge_commit_sha: sha }]);
  return run('push', pushEvent(sha), inputs, { sha, ref: 'refs/heads/main' });
};
const consoleChange = async (change: object) => {
  const res = await fetch(`${world.twilio.url}/__emulator/console`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: SID, actor: 'US00000000000000000000000000000042', ...change }),
  });
  expect(res.status).toBe(200);
};
const live = () => world.twilio.state().accounts.find((a) => a.sid === SID)!;
const statuses = (method: string, pathPart: string) =>
  world.gh.requests.filter((r) => r.method === method && r.path.includes(pathPart)).map((r) => r.status);

describe('GitHub errors (issue 10, item 7)', () => {
  it('waits out a primary rate limit (403, x-ratelimit-remaining: 0) and then posts the plan comment', async () => {
    await writePolicy(policy(['US', 'JM']));
    world.gh.faults.push({ kind: 'primary-rate-limit', method: 'POST', path: COMMENTS, count: 1 });
    const res = await run('pull_request', prEvent());
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(statuses('POST', COMMENTS)).toEqual([403, 201]);
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
    expect(res.outputs['comment-url']).toMatch(/issuecomment-/);
    expect(res.stdout).not.toContain('::warning::');
  });

  it('retries a secondary rate limit (429, retry-after) and fails the plan when it persists, saying so', async () => {
    await writePolicy(policy(['US', 'JM']));
    world.gh.faults.push({
      kind: 'secondary-rate-limit',
      status: 429,
      method: 'POST',
      path: COMMENTS,
      retryAfter: 1,
    });
    const res = await run('pull_request', prEvent());
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    // The first answer and two retries, each after the retry-after GitHub asked for.
    expect(statuses('POST', COMMENTS)).toEqual([429, 429, 429]);
    expect(world.gh.commentsOn(PR)).toHaveLength(0);
    expect(res.stdout).toMatch(
      /::error::.*the plan comment on PR #7 was not updated: .*secondary rate limit/,
    );
    expect(res.summary).toContain('JM');
    expect(res.summary).toMatch(/plan comment on PR #7 was not updated.*rate limited by GitHub \(secondary/);
  });

  it('fails a drift scan that found drift but could not record it (rate limited), with the drift in the summary', async () => {
    await writePolicy(policy(['US']));
    await consoleChange({ messaging: { MX: true } });
    // The limit resets in an hour: far beyond what the action waits, so it gives up at once.
    world.gh.faults.push({
      kind: 'primary-rate-limit',
      method: 'POST',
      path: '/issues',
      resetInSeconds: 3600,
    });
    const started = Date.now();
    const res = await run('schedule', schedule);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(res.code).toBe(1);
    expect(res.outputs['drift-detected']).toBe('true');
    expect(world.gh.issues).toHaveLength(0);
    expect(res.summary).toContain('MX Mexico');
    expect(res.summary).toMatch(
      /drift was found but not recorded on the drift issue: .*rate limited by GitHub/,
    );
    expect(res.stdout).toMatch(/::error::.*drift was found but not recorded on the drift issue/);
  });

  it('abandons a hanging GitHub request after github-timeout and fails the plan, saying so', async () => {
    await writePolicy(policy(['US', 'JM']));
    world.gh.faults.push({ kind: 'hang', method: 'GET', path: COMMENTS });
    const started = Date.now();
    const res = await run('pull_request', prEvent(), { 'github-timeout': '1' });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/::error::.*the plan comment on PR #7 was not updated: .*timed out after 1 s/);
    expect(res.summary).toContain('JM');
  }, 40_000);

  it("keeps a fork's read-only token (403 Resource not accessible by integration) a warning, and says so", async () => {
    await writePolicy(policy(['US', 'JM']));
    world.gh.readOnly = true;
    const res = await run('pull_request', prEvent(true));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/::warning::.*the plan comment on PR #7 was not updated: .*fork/);
    expect(res.summary).toMatch(/plan comment on PR #7 was not updated/);
    expect(res.summary).toContain('JM');
  });

  it('fails a same-repository plan whose comment answers 403 (the job lacks pull-requests: write)', async () => {
    await writePolicy(policy(['US', 'JM']));
    world.gh.readOnly = true;
    const res = await run('pull_request', prEvent(false));
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/::error::.*the plan comment on PR #7 was not updated: .*HTTP 403/);
    expect(res.summary).toMatch(/plan comment on PR #7 was not updated/);
  });
});

describe('own comments by the token identity (issue 10, item 9)', () => {
  it("binds an App token's apply to the App's plan comment: an unreviewed enable is refused", async () => {
    await writePolicy(policy(['US', 'JM']));
    const plan = await run('pull_request', prEvent(), { 'github-token': APP_TOKEN });
    expect(plan.code).toBe(0);
    expect(world.gh.commentsOn(PR).map((c) => c.user)).toEqual([APP]);
    // A later commit adds BR without a new plan; the merge run keeps the default bot-login and comment: false.
    await writePolicy(policy(['US', 'JM', 'BR']));
    const res = await merge('beef01', { 'github-token': APP_TOKEN, comment: 'false' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('not in the plan reviewed on PR #7');
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
    expect(live().voice.countries.BR?.lowRisk ?? false).toBe(false);
  });

  it("finds a user token's own plan comment through GET /user", async () => {
    await writePolicy(policy(['US', 'JM']));
    expect((await run('pull_request', prEvent(), { 'github-token': USER_TOKEN })).code).toBe(0);
    expect(world.gh.commentsOn(PR).map((c) => c.user)).toEqual(['ops-bot']);
    const res = await merge('c0ffee', { 'github-token': USER_TOKEN });
    expect(res.code).toBe(0);
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
  });

  it('refuses the enables when the only plan-shaped comment is by another author, and says why', async () => {
    await writePolicy(policy(['US', 'JM']));
    const forged = reviewedPlanMarker({
      fingerprint: 'f'.repeat(64),
      cells: [`production@${SID}|voice.low_risk|JM|off>on`],
    });
    world.gh.addComment(
      PR,
      `${planCommentMarker('geo-permissions.yml')}\n${forged}\nlooks reviewed`,
      'mallory',
    );
    await consoleChange({ voice: { MX: { lowRisk: true } } });
    const res = await merge('feed02', { comment: 'false' });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(
      /::warning::.*PR #7 has a plan comment by mallory.*not by github-actions\[bot\]/,
    );
    // The summary is Markdown: GitHub's login is escaped there (it renders as github-actions[bot]).
    expect(res.summary).toMatch(/not by github-actions\\\[bot\\\]/);
    expect(live().voice.countries.JM?.lowRisk ?? false).toBe(false);
    // Restrictive changes still apply: the Console's MX enable is disabled again.
    expect(live().voice.countries.MX?.lowRisk ?? false).toBe(false);
  });
});

describe('the drift issue without its label (issue 10, item 11f)', () => {
  it('finds the issue by its marker and author, re-adds the label, and files no duplicate', async () => {
    await writePolicy(policy(['US']));
    await consoleChange({ messaging: { MX: true } });
    expect((await run('schedule', schedule)).code).toBe(0);
    expect(world.gh.issues).toHaveLength(1);
    world.gh.issues[0]!.labels = [];
    await consoleChange({ messaging: { BR: true } });
    const res = await run('schedule', schedule);
    expect(res.code).toBe(0);
    expect(world.gh.issues).toHaveLength(1);
    expect(world.gh.issues[0]).toMatchObject({ user: BOT, state: 'open', labels: ['geo-permissions-drift'] });
    expect(world.gh.issues[0]!.body).toContain('BR Brazil');
    expect(res.outputs['issue-number']).toBe('1');
  });
});
