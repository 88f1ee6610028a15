import { getOctokit } from '@actions/github';
import type {
  GitHubGateway,
  Issue,
  IssueComment,
  IssueUpdate,
  PullRequestRef,
} from '../model/github-port.js';
import { GitHubError } from '../model/github-port.js';

type Octokit = ReturnType<typeof getOctokit>;

interface RawUser {
  login: string;
}
interface RawComment {
  id: number;
  body?: string | null;
  user: RawUser | null;
  html_url: string;
}
interface RawIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  user: RawUser | null;
  html_url: string;
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
  number: i.number,
  title: i.title,
  body: i.body ?? '',
  state: i.state === 'closed' ? 'closed' : 'open',
  author: i.user?.login ?? '',
  url: i.html_url,
  labels: i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
  isPullRequest: i.pull_request !== undefined && i.pull_request !== null,
  createdAt: i.created_at,
  closedAt: i.closed_at,
});

/** Reduces an Octokit error to status + message; the error object itself (with headers) is never kept. */
function wrap(operation: string, err: unknown): GitHubError {
  const e = err as { status?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : null;
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0]! : 'request failed';
  return new GitHubError(status, operation, message);
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrap(operation, err);
  }
}

/** The client and the repository every request goes to. */
interface RepoApi {
  octokit: Octokit;
  repo: { owner: string; repo: string };
}

/** The GitHubGateway over the REST API; `baseUrl` defaults to GITHUB_API_URL as @actions/github reads it. */
export function createOctokitGateway(
  token: string,
  repo: { owner: string; repo: string },
  options: { baseUrl?: string } = {},
): GitHubGateway {
  const octokit: Octokit = getOctokit(token, options.baseUrl ? { baseUrl: options.baseUrl } : {});
  const api: RepoApi = { octokit, repo: { owner: repo.owner, repo: repo.repo } };
  return {
    listComments: (issueNumber) => listComments(api, issueNumber),
    createComment: (issueNumber, body) => createComment(api, issueNumber, body),
    updateComment: (commentId, body) => updateComment(api, commentId, body),
    listIssuesByLabel: (label, state) => listIssuesByLabel(api, label, state),
    createIssue: (issue) => createIssue(api, issue),
    updateIssue: (issueNumber, update) => updateIssue(api, issueNumber, update),
    ensureLabel: (label, style) => ensureLabel(api, label, style),
    findPullRequestsForCommit: (sha) => findPullRequestsForCommit(api, sha),
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

function listIssuesByLabel(
  { octokit, repo }: RepoApi,
  label: string,
  state: 'open' | 'closed' | 'all',
): Promise<Issue[]> {
  return call('list issues', async () =>
    (
      await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...repo,
        labels: label,
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

async function ensureLabel(
  { octokit, repo }: RepoApi,
  label: string,
  { color, description }: { color: string; description: string },
): Promise<void> {
  try {
    await octokit.rest.issues.getLabel({ ...repo, name: label });
    return;
  } catch (err) {
    if ((err as { status?: number })?.status !== 404) throw wrap('get label', err);
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
