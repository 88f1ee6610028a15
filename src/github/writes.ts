import * as core from '@actions/core';
import type { GitHubGateway, IssueComment } from '../model/github-port.js';
import { GitHubError } from '../model/github-port.js';
import type { DriftIssueOp } from './drift-issue.js';
import { decideSticky } from './sticky.js';

/** Creates, updates in place, or leaves alone the one comment carrying `marker`. Answers its URL. */
export async function upsertComment(
  gh: GitHubGateway,
  issueNumber: number,
  marker: string,
  botLogin: string,
  body: string,
): Promise<string> {
  const comments = await gh.listComments(issueNumber);
  const decision = decideSticky(comments, marker, botLogin, body);
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

/**
 * Runs a GitHub write that reports, not decides: a 403 (fork PR token, missing permission) becomes a
 * warning and the job summary carries the report instead. Other errors propagate.
 */
export async function reportingWrite<T>(what: string, write: () => Promise<T>): Promise<T | null> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof GitHubError && err.status === 403) {
      core.warning(
        `could not ${what} (HTTP 403: the token cannot write here, as on fork pull requests, or the job lacks ` +
          'the permission); the job summary has the report instead',
      );
      return null;
    }
    throw err;
  }
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
