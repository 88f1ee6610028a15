import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGateway } from '../../src/github/octokit.js';
import { GitHubError } from '../../src/model/github-port.js';
import { BOT, startFakeGitHub } from '../support/fake-github.js';
import type { FakeGitHub } from '../support/fake-github.js';

/** A GitHub stand-in answering each "METHOD /path" with a fixed status and body, 404 otherwise: for answers the fake never gives. */
async function stubGitHub(routes: Record<string, [status: number, body: unknown]>) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://stub').pathname}`;
    seen.push(route);
    const [status, body] = routes[route] ?? [404, { message: 'Not Found' }];
    req.resume().on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    // Retries wait 1 ms and 4 ms instead of 1 s and 4 s.
    gateway: createOctokitGateway(
      'ghs_test',
      { owner: 'acme', repo: 'telephony' },
      { baseUrl: url, retryDelayUnitMs: 1 },
    ),
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('Octokit GitHub gateway against the fake REST server', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub();
  });
  afterEach(async () => gh.close());
  const gateway = () =>
    createOctokitGateway('ghs_test', { owner: gh.owner, repo: gh.repo }, { baseUrl: gh.url });

  it('lists every page of comments (Link headers) and maps authors', async () => {
    for (let i = 0; i < 230; i++) gh.addComment(7, `c${i}`, i % 2 ? BOT : 'alice');
    const comments = await gateway().listComments(7);
    expect(comments).toHaveLength(230);
    expect(comments[229]).toMatchObject({ body: 'c229', author: BOT });
    expect(gh.requests.filter((r) => r.path.endsWith('/issues/7/comments')).map((r) => r.query)).toEqual([
      '?per_page=100',
      '?per_page=100&page=2',
      '?per_page=100&page=3',
    ]);
    expect(gh.requests[0]!.authorization).toBe('token ghs_test');
  });

  it('flags pull requests among issues and updates state', async () => {
    gh.addIssue({ title: 'pr', labels: ['drift'], pull_request: true });
    const created = await gateway().createIssue({ title: 'Drift', body: 'b', labels: ['drift'] });
    const all = await gateway().listIssuesByLabel('drift', 'all');
    expect(all.map((i) => [i.number, i.isPullRequest])).toEqual([
      [1, true],
      [created.number, false],
    ]);
    const closed = await gateway().updateIssue(created.number, { state: 'closed', stateReason: 'completed' });
    expect(closed.state).toBe('closed');
    expect(gh.issues[1]!.state_reason).toBe('completed');
  });

  it('creates a missing label once', async () => {
    await gateway().ensureLabel('geo-permissions-drift', { color: 'd93f0b', description: 'd' });
    await gateway().ensureLabel('geo-permissions-drift', { color: 'd93f0b', description: 'd' });
    expect(gh.writes().map((r) => `${r.method} ${r.path}`)).toEqual([`POST /repos/acme/telephony/labels`]);
  });

  it('reduces a 403 to status and message', async () => {
    gh.readOnly = true;
    const err = await gateway()
      .createComment(7, 'x')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({ status: 403 });
    expect(String((err as Error).message)).not.toContain('ghs_test');
  });

  it('finds the pull requests of a commit', async () => {
    gh.commitPulls.set('abc123', [{ number: 7, merged: true, merge_commit_sha: 'abc123' }]);
    expect(await gateway().findPullRequestsForCommit('abc123')).toEqual([
      { number: 7, merged: true, mergeCommitSha: 'abc123', url: 'https://github.com/acme/telephony/pull/7' },
    ]);
  });
  it('updates a comment, and sends only the issue fields an update sets', async () => {
    const comment = gh.addComment(7, 'old');
    expect(await gateway().updateComment(comment.id, 'new')).toMatchObject({ id: comment.id, body: 'new' });
    expect(gh.comments[0]!.body).toBe('new');
    gh.addIssue({ title: 'Old title', body: 'kept' });
    await gateway().updateIssue(1, { title: 'New title' });
    expect(gh.issues[0]).toMatchObject({ title: 'New title', body: 'kept', state: 'open' });
    await gateway().updateIssue(1, { body: 'new body' });
    expect(gh.issues[0]).toMatchObject({ title: 'New title', body: 'new body' });
  });

  it('lists issues in the state asked for', async () => {
    gh.addIssue({ title: 'open one', labels: ['drift'] });
    gh.addIssue({ title: 'closed one', labels: ['drift'], state: 'closed' });
    expect((await gateway().listIssuesByLabel('drift', 'open')).map((i) => i.title)).toEqual(['open one']);
    expect((await gateway().listIssuesByLabel('drift', 'closed')).map((i) => i.title)).toEqual([
      'closed one',
    ]);
  });

  it('maps a pull request that is not merged', async () => {
    gh.commitPulls.set('abc123', [{ number: 8, merged: false, merge_commit_sha: null }]);
    expect(await gateway().findPullRequestsForCommit('abc123')).toEqual([
      { number: 8, merged: false, mergeCommitSha: null, url: 'https://github.com/acme/telephony/pull/8' },
    ]);
  });

  it('fails ensureLabel with the create error when the label cannot be created', async () => {
    gh.readOnly = true;
    const err = await gateway()
      .ensureLabel('geo-permissions-drift', { color: 'd93f0b', description: 'd' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({ status: 403, operation: 'create label' });
    expect((err as Error).message).toBe(
      'GitHub create label failed (HTTP 403): Resource not accessible by integration',
    );
  });
});

describe('Octokit GitHub gateway against answers the fake never gives', () => {
  it('takes a label created concurrently (422 on create) as existing', async () => {
    const stub = await stubGitHub({
      'POST /repos/acme/telephony/labels': [422, { message: 'Validation Failed' }],
    });
    try {
      await expect(
        stub.gateway.ensureLabel('drift', { color: 'd93f0b', description: 'd' }),
      ).resolves.toBeUndefined();
      expect(stub.seen).toEqual([
        'GET /repos/acme/telephony/labels/drift',
        'POST /repos/acme/telephony/labels',
      ]);
    } finally {
      await stub.close();
    }
  });

  it('retries a label read that fails with 500 twice, then reports the first line of its message', async () => {
    const stub = await stubGitHub({
      'GET /repos/acme/telephony/labels/drift': [500, { message: 'upstream broke\nsecond line' }],
    });
    try {
      const err = await stub.gateway
        .ensureLabel('drift', { color: 'd93f0b', description: 'd' })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitHubError);
      expect(err).toMatchObject({ status: 500, operation: 'get label' });
      expect((err as Error).message).toBe('GitHub get label failed (HTTP 500): upstream broke');
      expect(stub.seen).toEqual(Array(3).fill('GET /repos/acme/telephony/labels/drift'));
    } finally {
      await stub.close();
    }
  });

  it('reads labels given as names or as objects', async () => {
    const raw = { title: 't', state: 'open', user: null, html_url: 'u', created_at: 'c', closed_at: null };
    const stub = await stubGitHub({
      'GET /repos/acme/telephony/issues': [200, [{ ...raw, number: 1, labels: ['a', { name: 'b' }, {}] }]],
    });
    try {
      expect(await stub.gateway.listIssuesByLabel('a', 'all')).toEqual([
        {
          number: 1,
          title: 't',
          body: '',
          state: 'open',
          author: '',
          url: 'u',
          labels: ['a', 'b', ''],
          isPullRequest: false,
          createdAt: 'c',
          closedAt: null,
        },
      ]);
    } finally {
      await stub.close();
    }
  });
});
