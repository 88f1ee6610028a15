// The clean-up pull request against the fake GitHub, through the real Octokit adapter: one pull request
// from one reused branch, opened, left alone when current, updated, closed with its branch deleted; a
// token without the permissions it needs is named; and the fake's git data and contents endpoints answer
// as GitHub's REST docs say.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLEANUP_BRANCH, cleanupBranch, syncCleanupPullRequest } from '../../src/github/cleanup-pr.js';
import type { CleanupRequest } from '../../src/github/cleanup-pr.js';
import { cleanupPrMarker, parseCleanupState } from '../../src/github/markers.js';
import { createOctokitGateway } from '../../src/github/octokit.js';
import { removeExpiredExceptions } from '../../src/policy/expired-cleanup.js';
import { blobSha } from '../support/fake-github-repo.js';
import { BOT, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { NOW, yaml } from '../support/policy-helpers.js';

const FILE = 'geo-permissions.yml';
const RUN = 'https://github.com/acme/telephony/actions/runs/1';
const policy = (...messaging: string[]) =>
  yaml(
    'version: 1',
    'accounts:',
    '  production:',
    '    sid: AC00000000000000000000000000000001',
    '    # Mexico for the promotion',
    `    messaging: [${['US', ...messaging].join(', ')}]`,
  );
const MX = '{country: MX, expires: 2026-11-01, ticket: MKT-1}';
const JM = '{country: JM, expires: 2026-11-02}';

let gh: FakeGitHub;
beforeEach(async () => {
  gh = await startFakeGitHub();
});
afterEach(async () => gh.close());

const gateway = () =>
  createOctokitGateway(
    'ghs_test',
    { owner: gh.owner, repo: gh.repo },
    { baseUrl: gh.url, retryDelayUnitMs: 1 },
  );
const request = (): CleanupRequest => ({
  policyFile: FILE,
  defaultBranch: null,
  botLogin: BOT,
  runLink: RUN,
  edit: (text) => removeExpiredExceptions(text, FILE, NOW),
  cells: [{ account: 'production', list: 'messaging', country: 'MX', outcome: 'still open' }],
});
const sync = () => syncCleanupPullRequest(gateway(), request());
const repo = () => gh.repository;
const pulls = () => gh.issues.filter((i) => i.pull_request);

describe('the clean-up pull request', () => {
  it('is opened once, left alone while current, updated in place, and closed with its branch deleted', async () => {
    repo().commitFile('main', FILE, policy(MX, 'GB'));
    const opened = await sync();
    expect(opened).toMatchObject({ status: 'opened', pull: { number: 1 } });
    expect(pulls()).toHaveLength(1);
    const pr = pulls()[0]!;
    expect(pr).toMatchObject({ state: 'open', user: BOT });
    expect(pr.body.startsWith(cleanupPrMarker(FILE))).toBe(true);
    expect(pr.body).toContain('| 🟡 medium: still open | production | messaging | MX Mexico | 2026-11-01 |');
    expect(repo().pulls.get(1)).toMatchObject({ head: CLEANUP_BRANCH, base: 'main' });
    expect(repo().fileAt(CLEANUP_BRANCH, FILE)).toBe(policy('GB'));
    const first = repo().branches.get(CLEANUP_BRANCH)!;
    expect(repo().commits.get(first)).toMatchObject({
      parent: repo().branches.get('main'),
      message: 'Remove 1 expired exception from geo-permissions.yml\n\n- MX at line 6: expired 2026-11-01\n',
      author: BOT,
    });

    const writes = gh.writes().length;
    expect(await sync()).toMatchObject({ status: 'unchanged', pull: { number: 1 } });
    expect(gh.writes()).toHaveLength(writes);

    // Another exception expires on the default branch: the same pull request, its branch reset onto it.
    const main = repo().commitFile('main', FILE, policy(MX, JM, 'GB'));
    expect(await sync()).toMatchObject({ status: 'updated', pull: { number: 1 } });
    expect(pulls()).toHaveLength(1);
    const second = repo().branches.get(CLEANUP_BRANCH)!;
    expect(second).not.toBe(first);
    expect(repo().commits.get(second)!.parent).toBe(main);
    expect(repo().fileAt(CLEANUP_BRANCH, FILE)).toBe(policy('GB'));
    expect(pulls()[0]!.body).toContain('removes 2 expired exceptions');
    expect(parseCleanupState(pulls()[0]!.body)).toMatchObject({ base: main, head: second });

    // The exceptions are extended on the default branch: nothing is expired.
    repo().commitFile('main', FILE, policy('{country: MX, expires: 2027-01-31}', 'GB'));
    expect(await sync()).toMatchObject({ status: 'closed', pull: { number: 1 } });
    expect(pulls()[0]!.state).toBe('closed');
    expect(gh.commentsOn(1).at(-1)!.body).toContain(
      'No exception in `geo-permissions.yml` is expired any more',
    );
    expect(repo().branches.has(CLEANUP_BRANCH)).toBe(false);
    expect(await sync()).toMatchObject({ status: 'none', pull: null });
  });

  it('after a merge, deletes the branch once nothing is expired, and opens a new one when needed', async () => {
    repo().commitFile('main', FILE, policy(MX));
    await sync();
    repo().mergePull(1);
    expect(repo().fileAt('main', FILE)).toBe(policy());
    expect(await sync()).toMatchObject({ status: 'none' });
    expect(repo().branches.has(CLEANUP_BRANCH)).toBe(false);
    repo().commitFile('main', FILE, policy(JM));
    expect(await sync()).toMatchObject({ status: 'opened', pull: { number: 2 } });
  });

  it('writes no policy text into the commit message, where GitHub would act on "fixes #42" or @team', async () => {
    const hostile = '{country: MX, expires: 2026-11-01, ticket: "fixes #42 @acme/ops"}';
    repo().commitFile('main', FILE, policy(hostile, 'GB'));
    expect(await sync()).toMatchObject({ status: 'opened' });
    const message = repo().commits.get(repo().branches.get(CLEANUP_BRANCH)!)!.message;
    expect(message).toBe(
      'Remove 1 expired exception from geo-permissions.yml\n\n- MX at line 6: expired 2026-11-01\n',
    );
    expect(message).not.toMatch(/#\d|@/);
  });

  it('names the permission the token lacks, or the repository setting, in one line', async () => {
    repo().commitFile('main', FILE, policy(MX));
    repo().permissions.contents = 'read';
    const contents = await sync();
    expect(contents).toEqual({
      status: 'blocked',
      pull: null,
      note:
        'clean-up pull request not kept: the github-token may not create the branch geo-permissions/expired-exceptions ' +
        '(HTTP 403: it lacks contents: write); add "contents: write" and "pull-requests: write" to the drift ' +
        "job's permissions:, or set cleanup-pr: false",
    });
    repo().permissions.contents = 'write';
    repo().permissions['pull-requests'] = 'read';
    expect((await sync()).note).toContain(
      'may not open a pull request (HTTP 403: it lacks pull-requests: write)',
    );
    repo().permissions['pull-requests'] = 'write';
    repo().actionsCanCreatePullRequests = false;
    expect((await sync()).note).toBe(
      'clean-up pull request not opened: GitHub Actions may not create pull requests in this repository; ' +
        'enable Settings > Actions > General > "Allow GitHub Actions to create and approve pull requests", or set cleanup-pr: false',
    );
    expect(pulls()).toHaveLength(0);
    // The branch that run made and committed to is its own: once the setting allows it, it is used.
    repo().actionsCanCreatePullRequests = true;
    expect(await sync()).toMatchObject({ status: 'opened', pull: { number: 1 } });
    expect(repo().fileAt(CLEANUP_BRANCH, FILE)).toBe(policy());
  });

  it('never resets or deletes its branch once someone else pushed to it, nor touches the pull request', async () => {
    repo().commitFile('main', FILE, policy(MX, 'GB'));
    await sync();
    const fixup = repo().commitFile(CLEANUP_BRANCH, FILE, policy('GB') + '# reviewed\n', 'Keep a note');
    const body = pulls()[0]!.body;
    repo().commitFile('main', FILE, policy(MX, JM, 'GB'));
    const writes = gh.writes().length;
    expect(await sync()).toEqual({
      status: 'not-proposed',
      pull: { number: 1, url: expect.any(String) as string },
      note:
        'clean-up pull request #1 left as it is: its branch geo-permissions/expired-exceptions has commits ' +
        'this action did not make; merge or close it, and delete the branch, for the next run to propose the clean-up again',
    });
    expect(repo().branches.get(CLEANUP_BRANCH)).toBe(fixup);
    expect(pulls()[0]!).toMatchObject({ state: 'open', body });
    expect(gh.writes()).toHaveLength(writes);
    // Nothing is expired any more: the branch is still not deleted, the pull request not closed.
    repo().commitFile('main', FILE, policy('{country: MX, expires: 2027-01-31}', 'GB'));
    expect(await sync()).toMatchObject({ status: 'not-proposed', pull: { number: 1 } });
    expect(repo().branches.get(CLEANUP_BRANCH)).toBe(fixup);
    expect(pulls()[0]!.state).toBe('open');
    expect(gh.writes()).toHaveLength(writes);
  });

  it('deletes the branch someone pushed to once its pull request was merged: that work is on the default branch', async () => {
    repo().commitFile('main', FILE, policy(MX));
    await sync();
    repo().commitFile(CLEANUP_BRANCH, FILE, policy() + '# reviewed\n', 'Note the review');
    repo().mergePull(1);
    expect(await sync()).toMatchObject({ status: 'none' });
    expect(repo().branches.has(CLEANUP_BRANCH)).toBe(false);
  });

  it('leaves alone a branch of its name that someone else made, with no pull request', async () => {
    const theirs = repo().commitFile(CLEANUP_BRANCH, 'notes.md', 'mine\n');
    repo().commitFile('main', FILE, policy(MX));
    expect(await sync()).toEqual({
      status: 'not-proposed',
      pull: null,
      note:
        'no clean-up pull request: the branch geo-permissions/expired-exceptions has commits this action did ' +
        'not make; it is left alone (delete it for the next run to use it)',
    });
    repo().commitFile('main', FILE, policy());
    expect(await sync()).toMatchObject({ status: 'not-proposed' });
    expect(repo().branches.get(CLEANUP_BRANCH)).toBe(theirs);
    expect(gh.writes()).toHaveLength(0);
  });

  it('leaves alone a branch whose open pull request someone else opened', async () => {
    repo().commitFile(CLEANUP_BRANCH, FILE, policy());
    const theirs = gh.addIssue({ title: 'mine', user: 'octocat', pull_request: true });
    repo().pulls.set(theirs.number, {
      number: theirs.number,
      head: CLEANUP_BRANCH,
      base: 'main',
      headSha: '',
      merged: false,
    });
    repo().commitFile('main', FILE, policy(MX));
    expect(await sync()).toMatchObject({ status: 'not-proposed' });
    expect(gh.writes()).toHaveLength(0);
  });

  it('has a branch per policy file', () => {
    expect(cleanupBranch('geo-permissions.yml')).toBe('geo-permissions/expired-exceptions');
    expect(cleanupBranch('policies/eu.yml')).toBe('geo-permissions/expired-exceptions--policies-eu-yml');
  });
});

describe("the fake GitHub's git data and contents, as GitHub documents them", () => {
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${gh.url}/repos/acme/telephony${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }).then(async (r) => ({
      status: r.status,
      body: (r.status === 204 ? null : await r.json()) as Record<string, unknown>,
    }));

  it('refuses a stale blob sha with 409, a missing one with 422, and answers the new commit', async () => {
    repo().commitFile('main', FILE, 'a: 1\n');
    const content = Buffer.from('a: 2\n').toString('base64');
    expect(
      (await api('PUT', `/contents/${FILE}`, { message: 'm', content, sha: blobSha('a: 0\n') })).status,
    ).toBe(409);
    expect((await api('PUT', `/contents/${FILE}`, { message: 'm', content })).status).toBe(422);
    const ok = await api('PUT', `/contents/${FILE}`, {
      message: 'm',
      content,
      sha: blobSha('a: 1\n'),
      branch: 'main',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.commit).toMatchObject({ sha: repo().branches.get('main') });
    const read = await api('GET', `/contents/${FILE}?ref=main`);
    expect(read.body).toMatchObject({ sha: blobSha('a: 2\n'), encoding: 'base64' });
    expect(Buffer.from(String(read.body.content), 'base64').toString()).toBe('a: 2\n');
  });

  it('creates, fast-forwards, force-resets and deletes branches as the git refs API does', async () => {
    const start = repo().branches.get('main')!;
    expect((await api('POST', '/git/refs', { ref: 'refs/heads/x', sha: start })).status).toBe(201);
    expect((await api('POST', '/git/refs', { ref: 'refs/heads/x', sha: start })).body.message).toBe(
      'Reference already exists',
    );
    const other = repo().commitFile('y', FILE, 'b: 1\n');
    const ahead = repo().commitFile('main', FILE, 'a: 1\n');
    expect((await api('PATCH', '/git/refs/heads/x', { sha: ahead })).status).toBe(200);
    expect((await api('PATCH', '/git/refs/heads/x', { sha: other })).body.message).toBe(
      'Update is not a fast forward',
    );
    expect((await api('PATCH', '/git/refs/heads/x', { sha: other, force: true })).status).toBe(200);
    expect((await api('GET', '/git/ref/heads/x')).body).toMatchObject({
      ref: 'refs/heads/x',
      object: { sha: other },
    });
    const listed = (await api('GET', '/git/refs/heads')).body as unknown as Array<{ ref: string }>;
    expect(listed.map((r) => r.ref)).toEqual(['refs/heads/main', 'refs/heads/x', 'refs/heads/y']);
    expect((await api('DELETE', '/git/refs/heads/x')).status).toBe(204);
    expect((await api('GET', '/git/ref/heads/x')).status).toBe(404);
  });
});
