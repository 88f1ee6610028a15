import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGateway } from '../../src/github/octokit.js';
import { toGitHubError } from '../../src/github/octokit-client.js';
import type { GitHubClientOptions } from '../../src/github/octokit-client.js';
import { GitHubError } from '../../src/model/github-port.js';
import { BOT, startFakeGitHub } from '../support/fake-github.js';
import type { FakeGitHub } from '../support/fake-github.js';

/** The gateway's retries, rate-limit waits, timeouts, error kinds and identity, against the fake GitHub. */
let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub();
});
afterEach(async () => gh.close());
// Waits scaled to milliseconds: a retry-after of 1 s waits 1 ms here.
const gateway = (options: GitHubClientOptions = {}, token = 'ghs_test') =>
  createOctokitGateway(
    token,
    { owner: gh.owner, repo: gh.repo },
    { baseUrl: gh.url, retryDelayUnitMs: 1, ...options },
  );
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as GitHubError,
  );
const statuses = (pathPart: string) =>
  gh.requests.filter((r) => r.path.includes(pathPart)).map((r) => r.status);

describe('error kinds (toGitHubError)', () => {
  const answer = (status: number, message: string, headers: Record<string, string> = {}, data?: unknown) =>
    toGitHubError('op', { status, message, response: { headers, data } });

  it('tells a primary rate limit (x-ratelimit-remaining: 0) from a forbidden 403', () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 120);
    const primary = answer(403, 'API rate limit exceeded', {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': reset,
    });
    expect(primary).toMatchObject({ kind: 'rate-limited', status: 403, rateLimit: { limit: 'primary' } });
    expect(primary.rateLimit!.retryAfterSeconds).toBeGreaterThanOrEqual(119);
    expect(answer(429, 'API rate limit exceeded', { 'x-ratelimit-remaining': '0' }).rateLimit).toEqual({
      limit: 'primary',
      retryAfterSeconds: null,
    });
    expect(
      answer(403, 'Resource not accessible by integration', { 'x-ratelimit-remaining': '4999' }),
    ).toMatchObject({
      kind: 'forbidden',
      rateLimit: null,
    });
  });

  it('knows a secondary rate limit by its message or its retry-after header', () => {
    expect(answer(403, 'You have exceeded a secondary rate limit.', {}).rateLimit).toEqual({
      limit: 'secondary',
      retryAfterSeconds: null,
    });
    expect(
      answer(403, 'Forbidden', { 'retry-after': '30', 'x-ratelimit-remaining': '12' }).rateLimit,
    ).toEqual({
      limit: 'secondary',
      retryAfterSeconds: 30,
    });
    expect(answer(429, 'Too Many Requests')).toMatchObject({
      kind: 'rate-limited',
      rateLimit: { limit: 'secondary' },
    });
  });

  it('knows a GraphQL rate limit, a 404, and everything else', () => {
    expect(
      toGitHubError('op', {
        message: 'GraphQL Rate Limit Exceeded',
        response: { data: { errors: [{ type: 'RATE_LIMITED' }] } },
      }),
    ).toMatchObject({
      kind: 'rate-limited',
      rateLimit: { limit: 'primary' },
    });
    expect(answer(404, 'Not Found').kind).toBe('not-found');
    expect(answer(500, 'boom\nsecond line')).toMatchObject({
      kind: 'other',
      message: 'GitHub op failed (HTTP 500): boom',
    });
    expect(toGitHubError('op', new Error('socket hang up'))).toMatchObject({ kind: 'other', status: null });
  });
});

describe('retries and rate limits', () => {
  // GETs: the throttling plugin spaces writes 1 to 3 s apart, which the e2e tests go through.
  it('waits out a primary rate limit and succeeds', async () => {
    gh.addComment(7, 'hello');
    gh.faults.push({ kind: 'primary-rate-limit', method: 'GET', count: 1 });
    expect((await gateway().listComments(7)).map((c) => c.body)).toEqual(['hello']);
    expect(statuses('/issues/7/comments')).toEqual([403, 200]);
  });

  it('gives up on a persistent secondary rate limit after two retries, as a typed error', async () => {
    gh.faults.push({ kind: 'secondary-rate-limit', method: 'GET', retryAfter: 1 });
    const err = await failure(gateway().listComments(7));
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({
      kind: 'rate-limited',
      status: 403,
      rateLimit: { limit: 'secondary', retryAfterSeconds: 1 },
    });
    expect(statuses('/issues/7/comments')).toEqual([403, 403, 403]);
  });

  it('does not wait for a rate limit that resets later than a minute from now', async () => {
    gh.faults.push({ kind: 'primary-rate-limit', method: 'GET', resetInSeconds: 3600 });
    const err = await failure(gateway({ retryDelayUnitMs: 1000 }).listComments(7));
    expect(err).toMatchObject({ kind: 'rate-limited', rateLimit: { limit: 'primary' } });
    expect(statuses('/issues/7/comments')).toEqual([403]);
  });

  it('never retries a forbidden 403', async () => {
    gh.faults.push({ kind: 'forbidden', method: 'POST' });
    expect(await failure(gateway().createComment(7, 'x'))).toMatchObject({ kind: 'forbidden', status: 403 });
    expect(statuses('/issues/7/comments')).toEqual([403]);
  });
});

describe('timeouts', () => {
  it('abandons an attempt that takes longer than the request timeout, and does not repeat it', async () => {
    gh.faults.push({ kind: 'hang', method: 'POST', count: 1 });
    const started = Date.now();
    const err = await failure(gateway({ requestTimeoutMs: 200 }).createComment(7, 'x'));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err).toMatchObject({ kind: 'timeout', status: null });
    expect(err!.message).toBe('GitHub create comment failed: timed out after 0.2 s (github-timeout)');
    // A timed-out write may have been made: it is not sent again (the fault would have let it through).
    expect(gh.comments).toHaveLength(0);
  });

  it('bounds all the requests of a gateway by its total budget', async () => {
    gh.faults.push({ kind: 'hang', method: 'GET' });
    const gw = gateway({ requestTimeoutMs: 10_000, totalTimeoutMs: 300 });
    expect((await failure(gw.listComments(7)))!.message).toBe(
      "GitHub list comments failed: timed out after 0.3 s, what was left of the run's GitHub time budget of 0.3 s",
    );
    expect(await failure(gw.createComment(7, 'x'))).toMatchObject({
      kind: 'timeout',
      message: "GitHub create comment failed: timed out: the run's GitHub time budget of 0.3 s is spent",
    });
    expect(gh.comments).toHaveLength(0);
  });
});

describe('the token identity (authenticatedLogin)', () => {
  it('asks GitHub once: GraphQL viewer for an installation token (GET /user answers it 403)', async () => {
    const gw = gateway();
    expect(await gw.authenticatedLogin()).toBe(BOT);
    expect(await gw.authenticatedLogin()).toBe(BOT);
    expect(gh.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /user 403',
      'POST /graphql 200',
    ]);
  });

  it("answers a user token's login from GET /user, and an App's bot login from GraphQL", async () => {
    gh.identities.set('github_pat_x', { login: 'ops-bot', installation: false });
    gh.identities.set('ghs_app', { login: 'geo-app[bot]', installation: true });
    expect(await gateway({}, 'github_pat_x').authenticatedLogin()).toBe('ops-bot');
    expect(await gateway({}, 'ghs_app').authenticatedLogin()).toBe('geo-app[bot]');
  });

  it('answers null when neither says, and throws a rate limit', async () => {
    gh.faults.push({ kind: 'forbidden', path: '/graphql', count: 1 });
    expect(await gateway().authenticatedLogin()).toBeNull();
    gh.faults.push({ kind: 'primary-rate-limit', path: '/user', resetInSeconds: 3600 });
    expect(await failure(gateway().authenticatedLogin())).toMatchObject({ kind: 'rate-limited' });
  });
});

describe('issues by creator, and labels', () => {
  it('lists every page of the issues a login opened, and adds a label', async () => {
    for (let i = 0; i < 230; i++) gh.addIssue({ title: `i${i}`, user: i % 5 ? BOT : 'alice' });
    const mine = await gateway().listIssuesByCreator(BOT, 'all');
    expect(mine).toHaveLength(184);
    expect(mine.every((i) => i.author === BOT)).toBe(true);
    const query = '?creator=github-actions%5Bbot%5D&state=all&per_page=100&sort=created&direction=asc';
    expect(gh.requests.filter((r) => r.path.endsWith('/issues')).map((r) => r.query)).toEqual([
      query,
      `${query}&page=2`,
    ]);
    await gateway().addLabels(2, ['geo-permissions-drift']);
    expect(gh.issues[1]!.labels).toEqual(['geo-permissions-drift']);
  });
});
