import * as core from '@actions/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GITHUB_ACTIONS_LOGIN, ownLogin } from '../../src/github/identity.js';
import { describeGitHubFailure, reportingWrite, upsertComment } from '../../src/github/writes.js';
import { GitHubError } from '../../src/model/github-port.js';
import type { GitHubGateway, IssueComment } from '../../src/model/github-port.js';

vi.mock('@actions/core', () => ({ info: vi.fn(), warning: vi.fn(), notice: vi.fn(), debug: vi.fn() }));

/** A gateway answering only what these tests use. */
function gatewayOf(login: string | null, comments: IssueComment[] = []) {
  const authenticatedLogin = vi.fn(async () => login);
  const createComment = vi.fn(async (_n: number, body: string) => ({
    id: 9,
    body,
    author: login ?? '',
    url: 'u9',
  }));
  const gh = {
    authenticatedLogin,
    createComment,
    listComments: async () => comments,
  } as unknown as GitHubGateway;
  return { gh, authenticatedLogin, createComment };
}
const warnings = () => vi.mocked(core.warning).mock.calls.map((c) => String(c[0]));

beforeEach(() => vi.mocked(core.warning).mockClear());

describe('ownLogin: the author of the action’s own comments and issues', () => {
  it('is the identity GitHub answers, asked once per gateway', async () => {
    const { gh, authenticatedLogin } = gatewayOf('geo-app[bot]');
    expect(await ownLogin(gh, GITHUB_ACTIONS_LOGIN)).toBe('geo-app[bot]');
    expect(await ownLogin(gh, GITHUB_ACTIONS_LOGIN)).toBe('geo-app[bot]');
    expect(authenticatedLogin).toHaveBeenCalledTimes(1);
    // The default bot-login is no statement about the token: no warning.
    expect(warnings()).toEqual([]);
  });

  it('warns when a bot-login set on purpose disagrees with GitHub, and when GitHub does not say', async () => {
    expect(await ownLogin(gatewayOf('geo-app[bot]').gh, 'other-app[bot]')).toBe('geo-app[bot]');
    expect(await ownLogin(gatewayOf(null).gh, 'other-app[bot]')).toBe('other-app[bot]');
    expect(warnings()).toEqual([
      "bot-login is other-app[bot], but the github-token acts as geo-app[bot]: the action's own comments and issues are recognised by geo-app[bot], the author GitHub writes",
      "GitHub did not say who the github-token is; the action's own comments and issues are recognised by the bot-login input, other-app[bot]",
    ]);
  });
});

describe('upsertComment with a marker copied by someone else', () => {
  it('warns, leaves the other comment alone, and posts its own', async () => {
    const marker = '<!-- twilio-geo-permissions:plan policy=geo-permissions.yml -->';
    const { gh, createComment } = gatewayOf(GITHUB_ACTIONS_LOGIN, [
      { id: 1, body: `${marker}\nfake`, author: 'mallory', url: 'u1' },
    ]);
    expect(await upsertComment(gh, 7, marker, GITHUB_ACTIONS_LOGIN, `${marker}\nplan`)).toBe('u9');
    expect(createComment).toHaveBeenCalledTimes(1);
    expect(warnings()).toEqual([
      "#7 has a comment carrying this action's marker by mallory, not by github-actions[bot] (the identity of the github-token): it is not taken as the action's own, and a new one is posted",
    ]);
  });
});

describe('failures, in words', () => {
  const limited = (limit: 'primary' | 'secondary', wait: number | null) =>
    new GitHubError(403, 'create comment', 'slow down', 'rate-limited', { limit, retryAfterSeconds: wait });

  it('names the rate limit and the wait GitHub asked for', () => {
    expect(describeGitHubFailure(limited('primary', 120))).toBe(
      'rate limited by GitHub (primary rate limit, resets in 120 s, after the waits the action allows): GitHub create comment failed (HTTP 403): slow down',
    );
    expect(describeGitHubFailure(limited('secondary', null))).toMatch(
      /^rate limited by GitHub \(secondary rate limit, after/,
    );
    expect(
      describeGitHubFailure(
        new GitHubError(null, 'list comments', 'timed out after 30 s (github-timeout)', 'timeout'),
      ),
    ).toBe('GitHub list comments failed: timed out after 30 s (github-timeout)');
  });

  it('reportingWrite warns about a 403, a rate limit or a timeout, and throws anything else', async () => {
    const failing = (err: GitHubError) => () => Promise.reject(err);
    expect(
      await reportingWrite('post the result', failing(new GitHubError(403, 'x', 'no', 'forbidden'))),
    ).toBeNull();
    expect(await reportingWrite('post the result', failing(limited('secondary', 60)))).toBeNull();
    expect(warnings()).toEqual([
      'could not post the result (HTTP 403: the token cannot write here, as on fork pull requests, or the job lacks the permission); the job summary has the report instead',
      'could not post the result (rate limited by GitHub (secondary rate limit, retry after 60 s, after the waits the action allows): GitHub create comment failed (HTTP 403): slow down); the job summary has the report instead',
    ]);
    await expect(
      reportingWrite('post the result', failing(new GitHubError(500, 'x', 'boom'))),
    ).rejects.toThrow('boom');
  });
});
