/** The GitHub calls the action makes, behind one small interface (the Octokit adapter implements it). */

export interface IssueComment {
  id: number;
  body: string;
  author: string;
  url: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  author: string;
  url: string;
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
  createIssue(issue: { title: string; body: string; labels: string[] }): Promise<Issue>;
  updateIssue(issueNumber: number, update: IssueUpdate): Promise<Issue>;
  /** Creates the label when it does not exist yet. */
  ensureLabel(name: string, options: { color: string; description: string }): Promise<void>;
  /** Pull requests associated with a commit (GET /repos/{o}/{r}/commits/{sha}/pulls). */
  findPullRequestsForCommit(sha: string): Promise<PullRequestRef[]>;
}

/** A failed GitHub request, reduced to what is safe to log: never the request or its headers. */
export class GitHubError extends Error {
  constructor(
    readonly status: number | null,
    readonly operation: string,
    message: string,
  ) {
    super(`GitHub ${operation} failed${status ? ` (HTTP ${status})` : ''}: ${message}`);
  }
}
