import * as core from '@actions/core';
import { GitHubError, type RepositoryGateway } from '../../model/github-port.js';
import { describeGitHubFailure } from '../../github/writes.js';
import { repositoryPath } from './cleanup.js';
import type { FlowInput } from './shared.js';

const short = (sha: string) => sha.slice(0, 7);

/** Why the drift run's writes are held back: the default branch changed the policy, or it could not tell. */
interface Held {
  kind: 'changed' | 'unknown';
  line: string;
}

/**
 * Whether the policy this drift run checked out is still the default branch's, or why its writes are held
 * back. A scheduled or queued run checks out the commit that was current when it was triggered, often
 * minutes late: a merge in between (an exception extended, a country added) is applied by its own push,
 * and closing or reverting with the older policy would undo it with nothing to reopen it but a reviewed
 * plan. So: the run's commit is the branch head (one read), or the policy file's blob is the same at both
 * (a move that did not touch the policy does not hold anything back). Anything else holds the writes,
 * including not being able to ask (no token, a refusal, an outage): writing unchecked is the race itself.
 */
async function whyNotCurrent(input: FlowInput, gh: RepositoryGateway | null): Promise<Held | null> {
  const { ctx, settings } = input;
  const file = repositoryPath(settings.policy);
  const runSha = ctx.sha;
  const ours = runSha ? short(runSha) : '(unknown)';
  const unknown = (why: string): Held => ({
    kind: 'unknown',
    line:
      `could not check whether the default branch changed ${file} since this run's commit ${ours} (${why}): ` +
      'nothing written to Twilio; the next scheduled run tries again',
  });
  if (!gh) return unknown(settings.githubToken ? 'GITHUB_REPOSITORY is not set' : 'no github-token');
  if (!runSha) return unknown('GITHUB_SHA is not set');
  try {
    const branch = ctx.payload.repository?.default_branch ?? (await gh.defaultBranch());
    const head = await gh.branchHead(branch);
    if (head === null) return unknown(`GitHub has no branch ${branch}`);
    if (head === runSha) return null;
    const [then, now] = await Promise.all([gh.readFile(file, runSha), gh.readFile(file, head)]);
    if (!then) return unknown(`the repository has no ${file} at ${ours}`);
    const moved = `the default branch ${branch} moved to ${short(head)} since this run's commit ${ours}`;
    if (now?.sha === then.sha) {
      core.info(`${moved}, without changing ${file}: the writes go ahead`);
      return null;
    }
    return {
      kind: 'changed',
      line: `${moved} and ${now ? 'changed' : 'removed'} ${file}: nothing written to Twilio; the next scheduled run uses the new policy`,
    };
  } catch (err) {
    if (!(err instanceof GitHubError)) throw err;
    const denied = err.kind === 'forbidden' || err.kind === 'not-found';
    return unknown(denied ? `${err.message}; the job needs contents: read` : describeGitHubFailure(err));
  }
}

/** The drift run's one check that its policy is still the default branch's (whyNotCurrent), made once. */
export interface PolicyCheck {
  /** Null when the run may write to Twilio; else the line that says why not. Asks GitHub the first time only. */
  heldBack(): Promise<string | null>;
  /** The line of a check already made that held the writes back; null when none was made or none held. */
  asked(): string | null;
}

/**
 * Made before the drift run's first write to Twilio (the expiry close, the revert), asked only by a
 * write that is about to happen, so a scan with nothing to write asks GitHub nothing. Logged once: a
 * notice when the default branch changed the policy (a race the next run settles), a warning when it
 * could not be checked (a missing token or permission stays until someone fixes it).
 */
export function policyCheck(input: FlowInput, gh: RepositoryGateway | null): PolicyCheck {
  let answer: Promise<string | null> | undefined;
  let line: string | null = null;
  return {
    heldBack: () =>
      (answer ??= whyNotCurrent(input, gh).then((held) => {
        if (!held) return null;
        if (held.kind === 'changed') core.notice(held.line);
        else core.warning(held.line);
        line = held.line;
        return line;
      })),
    asked: () => line,
  };
}
