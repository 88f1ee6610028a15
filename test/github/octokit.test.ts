import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitGateway } from '../../src/github/octokit.js';
import { GitHubError } from '../../src/model/github-port.js';
import { BOT, startFakeGitHub } from '../support/fake-github.js';
import type { FakeGitHub } from '../support/fake-github.js';

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
});
