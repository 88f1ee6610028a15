import * as core from '@actions/core';
import { parsePlannedCommit, planCommentMarker } from '../../github/markers.js';
import { findOwnComment } from '../../github/sticky.js';
import { formatShard } from '../../plan/shard.js';
import { sameBody } from '../../github/body.js';
import { withStaleBanner } from '../../github/bodies.js';
import { ownLogin } from '../../github/identity.js';
import { attemptWrite, notWrittenWarning } from '../../github/writes.js';
import { staleBanner, staleCommentNote, type CommitRef, type NotPlanned } from '../../report/index.js';
import { commitLink, runLink } from '../../report/run-link.js';
import { createGitHub } from '../adapters.js';
import { pullRequestHead, pullRequestNumber } from '../mode.js';
import type { RunContext } from '../context.js';
import type { FlowInput } from './shared.js';

/** The commit as the comment links it. */
export const commitRef = (ctx: RunContext, sha: string): CommitRef => ({ sha, url: commitLink(ctx, sha) });

/**
 * The latest push of a pull request was not planned (its policy is invalid, or no plan could be made):
 * the sticky plan comment keeps its plan and its reviewed-plan marker as they are, under a banner that
 * says the plan is of an earlier commit. No comment yet: none is made for the banner (the job summary
 * says why). Best effort: a GitHub failure is a warning, never the job's failure.
 */
export async function markPlanCommentStale(input: FlowInput, reason: NotPlanned): Promise<void> {
  const pr = pullRequestNumber(input.ctx);
  if (pr === null || !input.settings.comment) return;
  const gh = await createGitHub(input.settings, input.ctx);
  if (!gh) return;
  const outcome = await attemptWrite(async () => {
    const comments = await gh.listComments(pr);
    const login = await ownLogin(gh, input.settings.botLogin);
    const { shard } = input.settings;
    const marker = planCommentMarker(input.settings.policy, shard ? formatShard(shard) : null);
    const own = findOwnComment(comments, marker, login);
    if (!own) return null;
    const sha = parsePlannedCommit(own.body);
    const planned = sha ? commitRef(input.ctx, sha) : null;
    const latest = commitRef(input.ctx, pullRequestHead(input.ctx));
    const body = withStaleBanner(own.body, staleBanner(latest, planned, reason, runLink(input.ctx)));
    if (!sameBody(body, own.body)) await gh.updateComment(own.id, body);
    return { planned };
  });
  if (!outcome.ok) {
    core.warning(notWrittenWarning('mark the plan comment as not current', outcome.error));
    return;
  }
  if (!outcome.value) return;
  const note = staleCommentNote(pr, outcome.value.planned);
  core.info(note);
  input.summary.push(note);
}
