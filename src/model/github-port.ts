/** The GitHub calls the action makes, behind one small interface (the Octokit adapter implements it). */

export interface IssueComment {
  id: number;
  body: string;
  author: string;
  url: string;
}

/** What an issue and a pull request both are: a numbered, titled text with a state, an author and a page. */
export interface Thread {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  author: string;
  url: string;
}

export interface Issue extends Thread {
  labels: string[];
  /** The REST issues API lists pull requests too; those are never a drift issue. */
  isPullRequest: boolean;
  createdAt: string;
  closedAt: string | null;
}

export interface PullRequestRef {
  number: number;
  merged: boolean;
  mergeCommitSha: string | null;
  url: string;
}

export interface IssueUpdate {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  stateReason?: 'completed' | 'not_planned' | 'reopened';
}

export interface GitHubGateway {
  /** Every comment of an issue or pull request, all pages, oldest first. */
  listComments(issueNumber: number): Promise<IssueComment[]>;
  createComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(commentId: number, body: string): Promise<IssueComment>;
  /** Issues (pull requests included, flagged) carrying `label`, all pages, oldest first. */
  listIssuesByLabel(label: string, state: 'open' | 'closed' | 'all'): Promise<Issue[]>;
  /** Issues (pull requests included, flagged) opened by `login`, all pages, oldest first. */
  listIssuesByCreator(login: string, state: 'open' | 'closed' | 'all'): Promise<Issue[]>;
  /** Adds labels to an issue, keeping those it has. */
  addLabels(issueNumber: number, labels: string[]): Promise<void>;
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<Issue>;
  updateIssue(issueNumber: number, update: IssueUpdate): Promise<Issue>;
  /** Creates the label when it does not exist yet. */
  ensureLabel(name: string, options: { color: string; description: string }): Promise<void>;
  /** Pull requests associated with a commit (GET /repos/{o}/{r}/commits/{sha}/pulls). */
  findPullRequestsForCommit(sha: string): Promise<PullRequestRef[]>;
  /**
   * The login the token acts as (what GitHub writes as the author of its comments and issues), or null
   * when GitHub does not say. Throws a GitHubError when GitHub could not be asked (rate limit, timeout).
   */
  authenticatedLogin(): Promise<string | null>;
}

/** A pull request as the clean-up pull request reads it. */
export interface PullRequest extends Thread {
  /** The branch it comes from (in this repository) and the commit that branch was at. */
  headRef: string;
  headSha: string;
  baseRef: string;
  /** Merged into its base: the commits of its head (at `headSha`) are on the base branch. */
  merged: boolean;
}

/** A file of the repository at one commit: its text and its blob SHA (what replacing it names). */
export interface RepositoryFile {
  path: string;
  sha: string;
  text: string;
}

/** A commit as the clean-up pull request checks whose a branch is: who wrote it, and its message. */
export interface CommitInfo {
  sha: string;
  /** The GitHub login of its author; null when its author e-mail is no GitHub account's. */
  author: string | null;
  message: string;
}

/**
 * The repository's branches, files and pull requests, as the clean-up pull request needs them (git refs,
 * contents and pulls REST APIs). Writes need the token's `contents: write` (branches, files) and
 * `pull-requests: write` (pull requests).
 */
export interface RepositoryGateway {
  /** The repository's default branch (GET /repos/{owner}/{repo}). */
  defaultBranch(): Promise<string>;
  /** The commit `branch` points at, or null when there is no such branch. */
  branchHead(branch: string): Promise<string | null>;
  createBranch(branch: string, sha: string): Promise<void>;
  /** Points `branch` at `sha`, whether or not that is a fast-forward. */
  resetBranch(branch: string, sha: string): Promise<void>;
  deleteBranch(branch: string): Promise<void>;
  /**
   * The commits `head` has that `base` does not (GET …/compare/{base}...{head}): `total` counts them,
   * `commits` lists them oldest first, one page only (it may hold fewer than `total`).
   */
  commitsAhead(base: string, head: string): Promise<{ total: number; commits: CommitInfo[] }>;
  /** The file at `ref` (a branch or a commit), or null when it has none. */
  readFile(path: string, ref: string): Promise<RepositoryFile | null>;
  /** Commits `text` as `path` on `branch`, replacing the blob `sha`; answers the new commit. */
  writeFile(change: {
    path: string;
    branch: string;
    text: string;
    sha: string;
    message: string;
  }): Promise<string>;
  /** The pull requests from `branch` of this repository, all pages, newest first. */
  listPullRequests(branch: string, state: 'open' | 'closed' | 'all'): Promise<PullRequest[]>;
  createPullRequest(pull: { title: string; body: string; head: string; base: string }): Promise<PullRequest>;
  /** Sends only the fields given. */
  updatePullRequest(
    pullNumber: number,
    update: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<PullRequest>;
}

/**
 * Why a GitHub request failed, as far as the action acts on it:
 * - `forbidden`: 403 without a rate limit (a fork pull request's read-only token, a missing permission);
 * - `rate-limited`: 403 or 429 with `x-ratelimit-remaining: 0` (primary limit), or with `retry-after` or a
 *   message about a secondary rate limit (`rateLimit` says which), after the waits the client allows;
 * - `timeout`: no answer within the request timeout, or the run's GitHub time budget was spent;
 * - `not-found`: 404;
 * - `other`: anything else (5xx after retries, 422, a network error).
 */
export type GitHubErrorKind = 'forbidden' | 'rate-limited' | 'timeout' | 'not-found' | 'other';

/** A failed GitHub request, reduced to what is safe to log: never the request or its headers. */
export class GitHubError extends Error {
  constructor(
    readonly status: number | null,
    readonly operation: string,
    message: string,
    readonly kind: GitHubErrorKind = 'other',
    /** For `rate-limited`: which limit, and the wait GitHub asked for (seconds) when it said. */
    readonly rateLimit: { limit: 'primary' | 'secondary'; retryAfterSeconds: number | null } | null = null,
  ) {
    super(`GitHub ${operation} failed${status ? ` (HTTP ${status})` : ''}: ${message}`);
  }
}
