import path from 'node:path';
import * as core from '@actions/core';
import { syncCleanupPullRequest, type CleanupOutcome } from '../../github/cleanup-pr.js';
import { attemptWrite, describeGitHubFailure } from '../../github/writes.js';
import type { ExpiredCellState } from '../../model/cleanup.js';
import type { GitHubGateway, RepositoryGateway } from '../../model/github-port.js';
import { removeExpiredExceptions } from '../../policy/expired-cleanup.js';
import { mdText } from '../../report/index.js';
import { runLink } from '../../report/run-link.js';
import { setOutputs } from '../runner-io.js';
import type { FlowInput } from './shared.js';

/** The policy's path in the repository: its path in the workspace, where actions/checkout puts the repository. */
export const repositoryPath = (policy: string): string =>
  path.posix.normalize(policy.replace(/\\/g, '/')).replace(/^(\.\/)+/, '');

/** What the clean-up did, as a warning when it could not do its part, and the summary's line. */
const WARNED: ReadonlySet<CleanupOutcome['status']> = new Set(['blocked', 'not-proposed']);
/** The outcomes after which the pull request is open (the outputs name it). */
const OPEN: ReadonlySet<CleanupOutcome['status']> = new Set(['opened', 'updated', 'unchanged']);

/**
 * The drift run's clean-up pull request (issue 15, item 2; github/cleanup-pr.ts): after the drift issue,
 * one pull request removing the expired exceptions from the policy on the default branch, updated, or
 * closed when none is expired. `cells` is what this run knows of each expired exception's cells: still
 * open live, disabled by this run, not open, not read (plan/expired-cells.ts, from the drift report and
 * its `expired`: what this run's enforcement closed). Never fails the run: a token that may not write, or any GitHub failure,
 * is one warning line (and the summary's), and the drift run's outcome stands.
 */
export async function keepCleanupPullRequest(
  input: FlowInput,
  gh: (GitHubGateway & RepositoryGateway) | null,
  cells: readonly ExpiredCellState[],
): Promise<void> {
  const { settings } = input;
  // Without a token (or off the default branch, where the flow makes none) there is nothing to write with.
  if (!gh || !settings.cleanupPr || input.cancel.signal.aborted) return;
  // The edit is of the whole file, so one job of a sharded scan makes it; its cells are its shard's.
  if (settings.shard && settings.shard.index !== 1) {
    core.info(`clean-up pull request: left to shard 1/${settings.shard.count}, which edits the whole policy`);
    return;
  }
  const policyFile = repositoryPath(settings.policy);
  const outcome = await input.cancel.quickly(
    attemptWrite(() =>
      syncCleanupPullRequest(gh, {
        policyFile,
        defaultBranch: input.ctx.payload.repository?.default_branch ?? null,
        botLogin: settings.botLogin,
        runLink: runLink(input.ctx),
        edit: (text) => removeExpiredExceptions(text, policyFile, input.now),
        cells,
      }),
    ),
  );
  if (!outcome) return;
  if (!outcome.ok) {
    const line = `clean-up pull request not kept: ${describeGitHubFailure(outcome.error)}`;
    core.warning(line);
    input.summary.push(`Clean-up pull request: ${mdText(line)}.`);
    return;
  }
  const { status, pull, note } = outcome.value;
  if (WARNED.has(status)) core.warning(note);
  else core.info(note);
  const link = pull ? ` ([#${pull.number}](${pull.url}))` : '';
  input.summary.push(`Clean-up pull request: ${mdText(note)}${link}.`);
  const open = pull && OPEN.has(status) ? pull : null;
  setOutputs({ 'cleanup-pr-number': open?.number ?? null, 'cleanup-pr-url': open?.url ?? null });
}
