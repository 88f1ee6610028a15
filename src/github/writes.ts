import * as core from '@actions/core';
import type { GitHubGateway, IssueComment } from '../model/github-port.js';
import { GitHubError } from '../model/github-port.js';
import type { DriftIssueOp } from './drift-issue.js';
import { ownLogin } from './identity.js';
import { decideSticky, foreignMarkerAuthors } from './sticky.js';

/**
 * Creates, updates in place, or leaves alone the one comment carrying `marker` by the token's identity
 * (`botLogin` when GitHub does not say who the token is). Answers its URL.
 */
export async function upsertComment(
  gh: GitHubGateway,
  issueNumber: number,
  marker: string,
  botLogin: string,
  body: string,
): Promise<string> {
  const comments = await gh.listComments(issueNumber);
  const login = await ownLogin(gh, botLogin);
  const decision = decideSticky(comments, marker, login, body);
  const foreign = foreignMarkerAuthors(comments, marker, login);
  if (decision.kind === 'create' && foreign.length)
    core.warning(
      `#${issueNumber} has a comment carrying this action's marker by ${foreign.join(', ')}, not by ${login} ` +
        "(the identity of the github-token): it is not taken as the action's own, and a new one is posted",
    );
  let comment: IssueComment;
  switch (decision.kind) {
    case 'unchanged':
      core.info(`comment ${decision.commentId} on #${issueNumber} is up to date; not rewritten`);
      return decision.url;
    case 'update':
      try {
        comment = await gh.updateComment(decision.commentId, body);
      } catch (err) {
        // Deleted between the listing and the update: post a fresh one.
        if (!(err instanceof GitHubError && err.status === 404)) throw err;
        comment = await gh.createComment(issueNumber, body);
      }
      core.info(`comment ${comment.id} on #${issueNumber} updated`);
      return comment.url;
    case 'create':
      comment = await gh.createComment(issueNumber, body);
      core.info(`comment ${comment.id} on #${issueNumber} created`);
      return comment.url;
  }
}

/** Why a GitHub request failed, in words for the log and the job summary. */
export function describeGitHubFailure(err: GitHubError): string {
  switch (err.kind) {
    case 'rate-limited': {
      const limit = err.rateLimit?.limit ?? 'secondary';
      const wait = err.rateLimit?.retryAfterSeconds;
      const when =
        wait === null || wait === undefined
          ? ''
          : `, ${limit === 'primary' ? 'resets in' : 'retry after'} ${wait} s`;
      return `rate limited by GitHub (${limit} rate limit${when}, after the waits the action allows): ${err.message}`;
    }
    case 'forbidden':
      return `${err.message} (the token may not write here: a fork pull request's read-only token, or the job lacks the permission)`;
    default:
      return err.message;
  }
}

/** The outcome of a GitHub write whose failure the caller decides about. */
export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; error: GitHubError };

/** Runs a GitHub write, answering a GitHubError as an outcome; other errors (bugs) propagate. */
export async function attemptWrite<T>(write: () => Promise<T>): Promise<WriteOutcome<T>> {
  try {
    return { ok: true, value: await write() };
  } catch (err) {
    if (err instanceof GitHubError) return { ok: false, error: err };
    throw err;
  }
}

/** The warning for a write that only reports: the job summary carries the report instead. */
export function notWrittenWarning(what: string, err: GitHubError): string {
  if (err.kind === 'forbidden')
    return (
      `could not ${what} (HTTP 403: the token cannot write here, as on fork pull requests, or the job lacks ` +
      'the permission); the job summary has the report instead'
    );
  return `could not ${what} (${describeGitHubFailure(err)}); the job summary has the report instead`;
}

/**
 * Runs a GitHub write that reports, not decides: a 403 (fork PR token, missing permission), a rate limit
 * the retries did not outlast, or a timeout becomes a warning naming the cause, and the job summary
 * carries the report instead. Other errors propagate.
 */
export async function reportingWrite<T>(what: string, write: () => Promise<T>): Promise<T | null> {
  const outcome = await attemptWrite(write);
  if (outcome.ok) return outcome.value;
  if (['forbidden', 'rate-limited', 'timeout'].includes(outcome.error.kind)) {
    core.warning(notWrittenWarning(what, outcome.error));
    return null;
  }
  throw outcome.error;
}

/** Carries out the drift issue state machine's operations in order; answers the created issue's number. */
export async function executeDriftIssueOps(
  gh: GitHubGateway,
  ops: readonly DriftIssueOp[],
  label: string,
): Promise<number | null> {
  let created: number | null = null;
  for (const op of ops) {
    switch (op.op) {
      case 'create':
        created = (await gh.createIssue({ title: op.title, body: op.body, labels: [label] })).number;
        core.info(`drift issue #${created} created`);
        break;
      case 'update':
        await gh.updateIssue(op.issue, {
          body: op.body,
          ...(op.reopen ? { state: 'open' as const, stateReason: 'reopened' as const } : {}),
        });
        core.info(`drift issue #${op.issue} ${op.reopen ? 'reopened and ' : ''}updated`);
        break;
      case 'comment':
        await gh.createComment(op.issue, op.body);
        break;
      case 'close':
        await gh.updateIssue(op.issue, { state: 'closed', stateReason: op.reason });
        core.info(`drift issue #${op.issue} closed (${op.reason})`);
        break;
    }
  }
  return created;
}
