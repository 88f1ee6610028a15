import type { Mode, ResolvedMode } from './settings.js';
import type { RunContext } from './context.js';

export interface ModeDecision {
  mode: ResolvedMode;
  /** Why this mode was chosen (or why a plan was downgraded to validate), for the log and summary. */
  reason: string;
  /** True when the event asked for live state but no Twilio credentials were given. */
  noCredentials: boolean;
}

/**
 * auto: pull_request -> plan, push to the default branch -> apply, schedule / workflow_dispatch -> drift.
 * Throws when a push's payload could not be read (apply or not cannot be decided), and when an apply or
 * drift scan has no Twilio credentials (only a pull request plan falls back to validating).
 */
export function resolveMode(requested: Mode, ctx: RunContext, hasCredentials: boolean): ModeDecision {
  const chosen: Choice =
    requested === 'auto' ? autoMode(ctx) : { mode: requested, reason: `mode: ${requested}` };
  // Only a pull request (a fork's or Dependabot's) legitimately runs without secrets; an apply or drift
  // scan without them would pass green having done nothing.
  if ((chosen.mode === 'apply' || chosen.mode === 'drift') && !hasCredentials)
    throw new Error(
      `${chosen.mode} (${chosen.reason}) needs Twilio credentials: set twilio-account-sid with ` +
        'twilio-auth-token, or with twilio-api-key and twilio-api-secret; nothing was read or written',
    );
  if (chosen.mode !== 'validate' && !hasCredentials) {
    return {
      mode: 'validate',
      noCredentials: true,
      reason:
        `${chosen.reason}, but no Twilio credentials were given (fork and Dependabot pull requests get no ` +
        'secrets), so the policy was validated only and no live state was read',
    };
  }
  return { ...chosen, noCredentials: false };
}

type Choice = Omit<ModeDecision, 'noCredentials'>;

function autoMode(ctx: RunContext): Choice {
  switch (ctx.eventName) {
    case 'pull_request':
    case 'pull_request_target':
      return { mode: 'plan', reason: `event ${ctx.eventName}` };
    case 'schedule':
    case 'workflow_dispatch':
      return { mode: 'drift', reason: `event ${ctx.eventName}` };
    case 'push': {
      const branch = ctx.payload.repository?.default_branch;
      // Guessing here would turn a merge into a silent no-op, so an unreadable payload fails the run.
      if (!branch && ctx.payloadError)
        throw new Error(`cannot tell whether this push is to the default branch: ${ctx.payloadError}`);
      if (!branch) return { mode: 'validate', reason: 'push, but the event payload names no default branch' };
      if (ctx.ref === `refs/heads/${branch}`)
        return { mode: 'apply', reason: `push to the default branch ${branch}` };
      return { mode: 'validate', reason: `push to ${ctx.ref || 'an unknown ref'}, not the default branch` };
    }
    default:
      return {
        mode: 'validate',
        reason: `event ${ctx.eventName || '(none)'} has no plan, apply or drift step`,
      };
  }
}

/** The pull request a pull_request run is about, or null. */
export function pullRequestNumber(ctx: RunContext): number | null {
  return ctx.payload.pull_request?.number ?? null;
}

/** The commit a pull request run plans: its head (GITHUB_SHA is the test merge commit), else GITHUB_SHA. */
export function pullRequestHead(ctx: RunContext): string {
  return ctx.payload.pull_request?.head?.sha || ctx.sha;
}

/** A pull request whose head is another repository (a fork): GitHub gives it no secrets and a read-only token. */
export function fromFork(ctx: RunContext): boolean {
  const pull = ctx.payload.pull_request;
  const head = pull?.head?.repo;
  const base = pull?.base?.repo?.full_name ?? ctx.payload.repository?.full_name ?? `${ctx.owner}/${ctx.repo}`;
  return head?.fork === true || (Boolean(head?.full_name) && head?.full_name !== base);
}

/**
 * Why this run may not write the policy to Twilio (apply, `on-drift: revert`), or null when it may: only
 * the default branch holds the reviewed policy. A schedule always runs on the default branch; any other
 * event must have GITHUB_REF name the payload's default branch.
 */
export function notOnDefaultBranch(ctx: RunContext): string | null {
  if (ctx.eventName === 'schedule') return null;
  const branch = ctx.payload.repository?.default_branch;
  if (!branch) return 'the event payload names no default branch, so this run may be on any branch';
  if (ctx.ref === `refs/heads/${branch}`) return null;
  return `${ctx.ref || 'this ref'} is not the default branch ${branch}`;
}
