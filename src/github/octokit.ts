import type {
  GitHubGateway,
  Issue,
  IssueComment,
  IssueUpdate,
  PullRequestRef,
  RepositoryGateway,
} from '../model/github-port.js';
import type { GitHubError } from '../model/github-port.js';
import { call, createOctokit, toGitHubError } from './octokit-client.js';
import type { GitHubClientOptions } from './octokit-client.js';
import { repositoryGateway } from './octokit-repository.js';
import { toThread, type RawThread, type RawUser, type RepoApi } from './octokit-shapes.js';

interface RawComment {
  id: number;
  body?: string | null;
  user: RawUser | null;
  html_url: string;
}
interface RawIssue extends RawThread {
  labels: Array<string | { name?: string }>;
  pull_request?: unknown;
  created_at: string;
  closed_at: string | null;
}

const toComment = (c: RawComment): IssueComment => ({
  id: c.id,
  body: c.body ?? '',
  author: c.user?.login ?? '',
  url: c.html_url,
});

const toIssue = (i: RawIssue): Issue => ({
  ...toThread(i),
  labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
  isPullRequest: i.pull_request !== undefined && i.pull_request !== null,
  createdAt: i.created_at,
  closedAt: i.closed_at,
});

/**
 * The GitHubGateway over the REST API (and GraphQL for the token's identity), with retries, rate-limit
 * waits and timeouts (`octokit-client.ts`), and the RepositoryGateway on the same client
 * (`octokit-repository.ts`); `baseUrl` defaults to GITHUB_API_URL as @actions/github reads it.
 */
export function createOctokitGateway(
  token: string,
  repo: { owner: string; repo: string },
  options: GitHubClientOptions = {},
): GitHubGateway & RepositoryGateway {
  const api: RepoApi = {
    octokit: createOctokit(token, options),
    repo: { owner: repo.owner, repo: repo.repo },
  };
  let login: Promise<string | null> | undefined;
  return {
    ...repositoryGateway(api),
    listComments: (issueNumber) => listComments(api, issueNumber),
    createComment: (issueNumber, body) => createComment(api, issueNumber, body),
    updateComment: (commentId, body) => updateComment(api, commentId, body),
    listIssuesByLabel: (label, state) => listIssues(api, { labels: label }, state),
    listIssuesByCreator: (creator, state) => listIssues(api, { creator }, state),
    addLabels: (issueNumber, labels) => addLabels(api, issueNumber, labels),
    createIssue: (issue) => createIssue(api, issue),
    updateIssue: (issueNumber, update) => updateIssue(api, issueNumber, update),
    ensureLabel: (label, style) => ensureLabel(api, label, style),
    findPullRequestsForCommit: (sha) => findPullRequestsForCommit(api, sha),
    // The token does not change during a run: ask once.
    authenticatedLogin: () => (login ??= authenticatedLogin(api)),
  };
}

function listComments({ octokit, repo }: RepoApi, issueNumber: number): Promise<IssueComment[]> {
  return call('list comments', async () =>
    (
      await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: issueNumber,
        per_page: 100,
      })
    ).map((c) => toComment(c as RawComment)),
  );
}

function createComment({ octokit, repo }: RepoApi, issueNumber: number, body: string): Promise<IssueComment> {
  return call('create comment', async () =>
    toComment(
      (await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body }))
        .data as RawComment,
    ),
  );
}

function updateComment({ octokit, repo }: RepoApi, commentId: number, body: string): Promise<IssueComment> {
  return call('update comment', async () =>
    toComment(
      (await octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body })).data as RawComment,
    ),
  );
}

function listIssues(
  { octokit, repo }: RepoApi,
  filter: { labels: string } | { creator: string },
  state: 'open' | 'closed' | 'all',
): Promise<Issue[]> {
  return call('list issues', async () =>
    (
      await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...repo,
        ...filter,
        state,
        per_page: 100,
        sort: 'created',
        direction: 'asc',
      })
    ).map((i) => toIssue(i as RawIssue)),
  );
}

function createIssue(
  { octokit, repo }: RepoApi,
  issue: { title: string; body: string; labels: string[] },
): Promise<Issue> {
  return call('create issue', async () =>
    toIssue((await octokit.rest.issues.create({ ...repo, ...issue })).data as RawIssue),
  );
}

/** Sends only the fields the update sets, so an absent title or body is left as it is. */
function updateIssue({ octokit, repo }: RepoApi, issueNumber: number, update: IssueUpdate): Promise<Issue> {
  return call('update issue', async () =>
    toIssue(
      (
        await octokit.rest.issues.update({
          ...repo,
          issue_number: issueNumber,
          ...(update.title !== undefined ? { title: update.title } : {}),
          ...(update.body !== undefined ? { body: update.body } : {}),
          ...(update.state ? { state: update.state } : {}),
          ...(update.stateReason ? { state_reason: update.stateReason } : {}),
        })
      ).data as RawIssue,
    ),
  );
}

function addLabels({ octokit, repo }: RepoApi, issueNumber: number, labels: string[]): Promise<void> {
  return call('add labels', async () => {
    await octokit.rest.issues.addLabels({ ...repo, issue_number: issueNumber, labels });
  });
}

async function ensureLabel(
  { octokit, repo }: RepoApi,
  label: string,
  { color, description }: { color: string; description: string },
): Promise<void> {
  try {
    await octokit.rest.issues.getLabel({ ...repo, name: label });
    return;
  } catch (err) {
    if ((err as { status?: number })?.status !== 404) throw toGitHubError('get label', err);
  }
  await call('create label', () =>
    octokit.rest.issues.createLabel({ ...repo, name: label, color, description }),
  ).catch((err: GitHubError) => {
    // 422: created concurrently by another run; the label exists, which is all we need.
    if (err.status !== 422) throw err;
  });
}

function findPullRequestsForCommit({ octokit, repo }: RepoApi, sha: string): Promise<PullRequestRef[]> {
  return call('find pull requests for commit', async () =>
    (await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha })).data.map(
      (p): PullRequestRef => ({
        number: p.number,
        merged: Boolean(p.merged_at),
        mergeCommitSha: p.merge_commit_sha ?? null,
        url: p.html_url,
      }),
    ),
  );
}

/**
 * Who the token is. A user's token (a PAT) is a user: GET /user answers its login. An installation token
 * (GITHUB_TOKEN, a GitHub App's token) is not, and GET /user answers it 403 "Resource not accessible by
 * integration"; GraphQL's `viewer` answers such a token's bot login (`github-actions[bot]`,
 * `<app-slug>[bot]`), the author GitHub writes on its comments. Null when neither says; a rate limit or
 * a timeout is thrown, since every request after it would meet the same.
 */
async function authenticatedLogin({ octokit }: RepoApi): Promise<string | null> {
  const fatal = (e: GitHubError) => e.kind === 'rate-limited' || e.kind === 'timeout';
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (err) {
    const e = toGitHubError('get the authenticated user', err);
    if (fatal(e)) throw e;
  }
  try {
    const data = await octokit.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
    return data.viewer?.login || null;
  } catch (err) {
    const e = toGitHubError('query the viewer', err);
    if (fatal(e)) throw e;
    return null;
  }
}
