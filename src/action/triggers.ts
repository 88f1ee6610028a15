import path from 'node:path';
import type { RunContext } from './context.js';
import { notOnDefaultBranch } from './mode.js';

/**
 * Which events may plan a pull request, and which may write the policy to Twilio. Only the default
 * branch holds the reviewed policy, and GITHUB_REF alone does not say it is checked out: under
 * pull_request_target GITHUB_REF and GITHUB_SHA name the base branch while the workflow may check out
 * anything. So writes take an allow-list of events, and a pull_request_target plan compares the
 * checked-out commit with the pull request head.
 */
const APPLY_EVENTS: readonly string[] = ['push', 'workflow_dispatch'];
const REVERT_EVENTS: readonly string[] = ['schedule', 'workflow_dispatch'];

const eventName = (ctx: RunContext) => ctx.eventName || '(no event)';
const short = (sha: string) => sha.slice(0, 7);
const payloadNote = (ctx: RunContext) => (ctx.payloadError ? ` (${ctx.payloadError})` : '');

/** What to run instead of an apply on an event that may not write. */
function applyInstead(event: string): string {
  if (event.startsWith('pull_request'))
    return 'Plan the pull request instead (mode: plan, or auto) and let the push of its merge apply it';
  if (event === 'schedule')
    return 'To write the policy back on a schedule, use mode: drift with on-drift: revert';
  return 'Run the apply on: push to the default branch (examples/workflows/apply.yml)';
}

/** Why this run may not apply the policy, or null when it may: a push to the default branch or a dispatch of it. */
export function whyNoApply(ctx: RunContext): string | null {
  const head = 'apply runs only on a push to the default branch or a workflow_dispatch of it';
  if (!APPLY_EVENTS.includes(ctx.eventName))
    return `${head}, not on ${eventName(ctx)}; nothing was read or written. ${applyInstead(ctx.eventName)}`;
  const off = notOnDefaultBranch(ctx);
  if (!off) return null;
  return (
    `${head}, and ${off}${payloadNote(ctx)}; nothing was read or written. Merge the change into the ` +
    'default branch (its push applies it), or dispatch the workflow on the default branch'
  );
}

/** Why `on-drift: revert` may not write in this run, or null: a schedule, or a dispatch of the default branch. */
export function whyNoRevert(ctx: RunContext): string | null {
  if (!REVERT_EVENTS.includes(ctx.eventName))
    return (
      `on-drift: revert writes only on a schedule or a workflow_dispatch of the default branch, not on ` +
      `${eventName(ctx)}; nothing was reverted. Revert from the drift workflow (examples/workflows/drift.yml)`
    );
  const off = notOnDefaultBranch(ctx);
  return off
    ? `on-drift: revert writes only from the default branch, and ${off}; nothing was reverted`
    : null;
}

/**
 * Why this drift run may not close the cells of expired exceptions, or null when it may: the writes of
 * `on-drift: revert`, a schedule or a dispatch of the default branch, whose policy alone was reviewed.
 */
export function whyNoExpiryClose(ctx: RunContext): string | null {
  if (!REVERT_EVENTS.includes(ctx.eventName))
    return `not closed: a drift scan on ${eventName(ctx)} writes nothing; a schedule or a workflow_dispatch of the default branch closes it`;
  const off = notOnDefaultBranch(ctx);
  return off ? `not closed: ${off}, and only the default branch's policy closes expired exceptions` : null;
}

export type CheckedOutHead = { sha: string; error: null } | { sha: null; error: string };

/** The commit checked out where the policy file lives (`git rev-parse HEAD`), or why it could not be read. */
export function readCheckedOutHead(policyFile: string): CheckedOutHead {
  try {
    // Loaded only here: validate runs never spawn git, and never pay for the module.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const out = execFileSync('git', ['rev-parse', '--verify', 'HEAD^{commit}'], {
      cwd: path.dirname(path.resolve(policyFile)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    return { sha: out.trim(), error: null };
  } catch (err) {
    const e = err as { stderr?: unknown; message?: unknown };
    const text = typeof e.stderr === 'string' && e.stderr.trim() ? e.stderr : String(e.message ?? err);
    return { sha: null, error: text.trim().split('\n')[0] ?? 'git failed' };
  }
}

/**
 * Why a pull_request_target run may not plan, or null when it may (and for every other event). That
 * trigger runs the base branch's workflow on the base branch's commit: a plan of whatever is checked
 * out would be shown on the pull request as its plan, so it plans only a checkout of the head itself.
 */
export function whyNoTargetPlan(
  ctx: RunContext,
  policyFile: string,
  readHead: (policyFile: string) => CheckedOutHead = readCheckedOutHead,
): string | null {
  if (ctx.eventName !== 'pull_request_target') return null;
  const instead =
    'so the policy was validated only and no live state was read. Plan pull requests on: pull_request ' +
    '(examples/workflows/plan.yml), which checks out what the pull request proposes';
  const head = ctx.payload.pull_request?.head?.sha;
  if (!head)
    return `pull_request_target, but the event payload names no pull request head${payloadNote(ctx)}, ${instead}`;
  // This trigger has the repository's secrets even for a fork: its policy would read, and the comment
  // show, the live state of any account the fork's author names.
  const headRepo = ctx.payload.pull_request?.head?.repo;
  const baseRepo = ctx.payload.repository?.full_name ?? `${ctx.owner}/${ctx.repo}`;
  if (headRepo?.fork || (headRepo?.full_name && headRepo.full_name !== baseRepo))
    return (
      `pull_request_target of a fork (${headRepo.full_name ?? 'unknown'}): its policy would be read with this ` +
      `repository's secrets, ${instead}`
    );
  const checkedOut = readHead(policyFile);
  if (checkedOut.sha === head) return null;
  const what = checkedOut.sha
    ? `the checked-out commit ${short(checkedOut.sha)}`
    : `a checkout that git could not read (${checkedOut.error})`;
  return (
    `pull_request_target runs on the base branch (GITHUB_SHA ${short(ctx.sha) || 'unset'}), and ${what} is ` +
    `not the pull request head ${short(head)}: a plan would show a policy the pull request does not hold, ${instead}`
  );
}
