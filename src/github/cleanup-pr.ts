// The clean-up pull request (issue 15, item 2): ONE open pull request per policy file, from a branch of
// its own that every run reuses, removing the expired exceptions from the policy as the default branch
// holds it. Found by its hidden marker, its author (the token's identity) and its head branch, as the
// drift issue is. Each run:
// - something is expired: the branch is reset to the default branch's head and the edited file committed
//   through the contents API (only when the edit or the default branch changed since the last run), then
//   the pull request is opened, or its title and body updated;
// - nothing is expired: the open pull request is closed with a comment, and the branch deleted (it exists
//   only for the pull request; a merged one's branch goes too, as GitHub's "delete branch" would).
// The branch is reset or deleted only while it holds nothing of anyone else's (branchIsOwn): once someone
// pushes to it (a reviewer removing by hand what the edit left), the branch and its pull request are left
// alone, so their work is never overwritten.
// The policy edit is the caller's (policy/expired-cleanup.ts): this module imports no policy code.
import { createHash } from 'node:crypto';
import type { ExpiredCellState, ExpiredCleanup, ExpiredCleanupResult } from '../model/cleanup.js';
import { DEFAULT_POLICY_FILE } from '../model/defaults.js';
import type { GitHubGateway, PullRequest, RepositoryFile, RepositoryGateway } from '../model/github-port.js';
import { GitHubError } from '../model/github-port.js';
import { cleanupPrMarkdown, cleanupPrTitle, mdCode, oneLine, type CleanupPrInput } from '../report/index.js';
import { composeBody, sameBody } from './body.js';
import { ownLogin } from './identity.js';
import { cleanupPrMarker, cleanupStateMarker, parseCleanupState, type CleanupState } from './markers.js';

/** The branch of the default policy file's clean-up pull request; other policy files get their own. */
export const CLEANUP_BRANCH = 'geo-permissions/expired-exceptions';

/** The clean-up branch of one policy file: reused by every run, deleted when nothing is expired. */
export function cleanupBranch(policyFile: string): string {
  if (policyFile === DEFAULT_POLICY_FILE) return CLEANUP_BRANCH;
  return `${CLEANUP_BRANCH}--${policyFile.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

export interface CleanupRequest {
  /** The policy file's path in the repository. */
  policyFile: string;
  /** The default branch when the event payload names it; else it is asked. */
  defaultBranch: string | null;
  botLogin: string;
  runLink: string;
  /** The policy text as the default branch holds it, without its expired exceptions (policy/expired-cleanup.ts). */
  edit(text: string): ExpiredCleanupResult;
  /** What the run knows of the expired exceptions' cells (plan/expired-cells.ts, or the run's enforcement). */
  cells: readonly ExpiredCellState[];
}

export type CleanupStatus =
  /** Opened, updated, left as it was (already current), closed: the pull request's state. */
  | 'opened'
  | 'updated'
  | 'unchanged'
  | 'closed'
  /** Nothing is expired and no pull request was open. */
  | 'none'
  /** Nothing could be proposed: the policy is not on the default branch, does not load, or its branch is someone else's. */
  | 'not-proposed'
  /** The token may not write what this needs (a missing permission, or the repository's setting). */
  | 'blocked';

export interface CleanupOutcome {
  status: CleanupStatus;
  pull: { number: number; url: string } | null;
  /** One line for the log and the job summary. */
  note: string;
}

type Gateway = GitHubGateway & RepositoryGateway;
type Need = 'contents: write' | 'pull-requests: write';

/** A write GitHub answered 403 (not a rate limit): what it needed, and what the run was doing. */
class Blocked extends Error {
  constructor(
    readonly need: Need,
    readonly what: string,
    readonly error: GitHubError,
  ) {
    super(error.message);
  }
}

/** Runs one GitHub call of the clean-up; a 403 becomes Blocked, naming the permission it needs. */
async function step<T>(need: Need, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof GitHubError && err.kind === 'forbidden') throw new Blocked(need, what, err);
    throw err;
  }
}

const NOT_PERMITTED = /not permitted to create or approve pull requests/i;

/** The one line a blocked clean-up says: what was refused, why, and the permission (or setting) to add. */
function blockedNote(b: Blocked): string {
  if (NOT_PERMITTED.test(b.error.message))
    return (
      'clean-up pull request not opened: GitHub Actions may not create pull requests in this repository; ' +
      'enable Settings > Actions > General > "Allow GitHub Actions to create and approve pull requests", ' +
      'or set cleanup-pr: false'
    );
  return (
    `clean-up pull request not kept: the github-token may not ${b.what} (HTTP 403: it lacks ${b.need}); ` +
    'add "contents: write" and "pull-requests: write" to the drift job\'s permissions:, or set cleanup-pr: false'
  );
}

/** The action's open clean-up pull requests of this policy: its marker, its author and its branch, oldest first. */
function ownPulls(pulls: readonly PullRequest[], marker: string, login: string, branch: string) {
  const fromBranch = pulls.filter((p) => p.headRef === branch && p.state === 'open');
  const own = fromBranch.filter((p) => p.author === login && p.body.includes(marker));
  return {
    own: own.sort((a, b) => a.number - b.number),
    foreign: fromBranch.filter((p) => !own.includes(p)),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const ref = (p: PullRequest) => ({ number: p.number, url: p.url });

/** Keeps the one clean-up pull request of the policy in step with its expired exceptions. */
export async function syncCleanupPullRequest(gh: Gateway, request: CleanupRequest): Promise<CleanupOutcome> {
  try {
    return await sync(gh, request);
  } catch (err) {
    if (err instanceof Blocked) return { status: 'blocked', pull: null, note: blockedNote(err) };
    throw err;
  }
}

interface Context {
  gh: Gateway;
  request: CleanupRequest;
  branch: string;
  marker: string;
}

async function sync(gh: Gateway, request: CleanupRequest): Promise<CleanupOutcome> {
  const ctx: Context = {
    gh,
    request,
    branch: cleanupBranch(request.policyFile),
    marker: cleanupPrMarker(request.policyFile),
  };
  const login = await ownLogin(gh, request.botLogin);
  const base = request.defaultBranch ?? (await gh.defaultBranch());
  const listed = await step('pull-requests: write', 'list pull requests', () =>
    gh.listPullRequests(ctx.branch, 'all'),
  );
  const { own, foreign } = ownPulls(listed, ctx.marker, login, ctx.branch);
  if (foreign.length > 0 && own.length === 0)
    return {
      status: 'not-proposed',
      pull: null,
      note: `clean-up pull request not opened: the branch ${ctx.branch} has an open pull request (#${foreign[0]!.number}) this action did not open; it is left alone`,
    };
  const baseSha = await gh.branchHead(base);
  if (!baseSha)
    throw new GitHubError(null, 'get the default branch', `the default branch ${base} was not found`);
  const file = await gh.readFile(request.policyFile, baseSha);
  if (!file)
    return {
      status: 'not-proposed',
      pull: null,
      note: `no clean-up pull request: ${request.policyFile} is not on ${base}`,
    };
  const edit = request.edit(file.text);
  if (!edit.ok)
    return { status: 'not-proposed', pull: null, note: `no clean-up pull request: ${edit.reason}` };
  const [keep = null, ...duplicates] = own;
  for (const d of duplicates) await closePull(ctx, d, `Duplicate of #${keep!.number}; closing.`);
  const current = await gh.branchHead(ctx.branch);
  const stored = keep ? parseCleanupState(keep.body) : null;
  if (current && !(await branchIsOwn(ctx, { current, base: baseSha, login, stored, listed })))
    return leftAlone(ctx, keep);
  if (edit.cleanup.removed.length === 0) return closeAll(ctx, keep, current);
  const head = await pushEdit(ctx, { current, stored, base: baseSha, file, cleanup: edit.cleanup });
  return upsertPull(ctx, keep, base, edit.cleanup, head);
}

/** The first line of every commit the clean-up makes (commitMessage). */
const OWN_SUBJECT = /^Remove \d+ expired exceptions? from /;

/**
 * Whether resetting or deleting the branch (at `current`) loses nothing of anyone else's: it is the commit
 * the pull request's state marker records, or the head of a merged pull request from it (that work is on
 * the default branch), or every commit it has that the default branch does not is one the action makes
 * (the token's identity, the clean-up's subject). Anything else someone pushed or made: never overwritten.
 */
async function branchIsOwn(
  ctx: Context,
  at: {
    current: string;
    base: string;
    login: string;
    stored: CleanupState | null;
    listed: readonly PullRequest[];
  },
): Promise<boolean> {
  if (at.stored?.head === at.current) return true;
  if (at.listed.some((p) => p.merged && p.headSha === at.current)) return true;
  try {
    const ahead = await ctx.gh.commitsAhead(at.base, at.current);
    return (
      ahead.commits.length === ahead.total &&
      ahead.commits.every((c) => c.author === at.login && OWN_SUBJECT.test(c.message))
    );
  } catch (err) {
    // No common history (or a commit gone): nothing says the branch is the action's.
    if (err instanceof GitHubError && err.kind === 'not-found') return false;
    throw err;
  }
}

/** Someone else's commits are on the branch: neither it nor its pull request is touched. */
function leftAlone(ctx: Context, keep: PullRequest | null): CleanupOutcome {
  const theirs = 'has commits this action did not make';
  return keep
    ? {
        status: 'not-proposed',
        pull: ref(keep),
        note: `clean-up pull request #${keep.number} left as it is: its branch ${ctx.branch} ${theirs}; merge or close it, and delete the branch, for the next run to propose the clean-up again`,
      }
    : {
        status: 'not-proposed',
        pull: null,
        note: `no clean-up pull request: the branch ${ctx.branch} ${theirs}; it is left alone (delete it for the next run to use it)`,
      };
}

/** The branch at the default branch's head plus the edit: pushed only when it does not hold exactly that. */
async function pushEdit(
  ctx: Context,
  at: {
    current: string | null;
    stored: CleanupState | null;
    base: string;
    file: RepositoryFile;
    cleanup: ExpiredCleanup;
  },
): Promise<{ sha: string; state: string }> {
  const { gh, branch } = ctx;
  const { current, stored } = at;
  const digest = sha256(at.cleanup.text);
  const state = (head: string) => cleanupStateMarker({ base: at.base, head, digest });
  if (stored && current && stored.base === at.base && stored.digest === digest && stored.head === current)
    return { sha: current, state: state(current) };
  await step('contents: write', `${current ? 'reset' : 'create'} the branch ${branch}`, () =>
    current ? gh.resetBranch(branch, at.base) : gh.createBranch(branch, at.base),
  );
  const sha = await step('contents: write', `commit ${ctx.request.policyFile} to ${branch}`, () =>
    gh.writeFile({
      path: ctx.request.policyFile,
      branch,
      text: at.cleanup.text,
      sha: at.file.sha,
      message: commitMessage(at.cleanup),
    }),
  );
  return { sha, state: state(sha) };
}

/** "Remove 2 expired exceptions from geo-permissions.yml", then one line per entry. */
function commitMessage(cleanup: ExpiredCleanup): string {
  const n = cleanup.removed.length;
  // Only validated codes, dates and line numbers: GitHub acts on "fixes #42" and @mentions in a commit
  // message, and a ticket, reason or account name is free text (the escaped body carries them).
  const lines = cleanup.removed.map((r) => `- ${r.country} at line ${r.location.line}: expired ${r.expires}`);
  return (
    oneLine(`Remove ${n} expired exception${n === 1 ? '' : 's'} from ${cleanup.policyFile}`) +
    `\n\n${lines.map(oneLine).join('\n')}\n`
  );
}

/** The pull request's body: its identity marker, the branch state marker, then the report, cut to fit. */
export function cleanupPrBody(input: CleanupPrInput, stateMarker: string): string {
  const markers = [cleanupPrMarker(input.cleanup.policyFile), stateMarker];
  return composeBody(markers, cleanupPrMarkdown(input), input.runLink);
}

async function upsertPull(
  ctx: Context,
  keep: PullRequest | null,
  base: string,
  cleanup: ExpiredCleanup,
  head: { sha: string; state: string },
): Promise<CleanupOutcome> {
  const { gh, branch, request } = ctx;
  const title = cleanupPrTitle(request.policyFile);
  const body = cleanupPrBody({ cleanup, cells: request.cells, branch, runLink: request.runLink }, head.state);
  const removed = `${cleanup.removed.length} expired exception${cleanup.removed.length === 1 ? '' : 's'}`;
  if (!keep) {
    const pull = await step('pull-requests: write', 'open a pull request', () =>
      gh.createPullRequest({ title, body, head: branch, base }),
    );
    return {
      status: 'opened',
      pull: ref(pull),
      note: `clean-up pull request #${pull.number} opened (${removed})`,
    };
  }
  if (keep.title === title && sameBody(keep.body, body) && keep.headSha === head.sha)
    return { status: 'unchanged', pull: ref(keep), note: `clean-up pull request #${keep.number} is current` };
  const pull = await step('pull-requests: write', 'update a pull request', () =>
    gh.updatePullRequest(keep.number, { title, body }),
  );
  return {
    status: 'updated',
    pull: ref(pull),
    note: `clean-up pull request #${pull.number} updated (${removed})`,
  };
}

async function closePull(ctx: Context, pull: PullRequest, comment: string): Promise<void> {
  await step('pull-requests: write', 'comment on a pull request', () =>
    ctx.gh.createComment(pull.number, comment),
  );
  await step('pull-requests: write', 'close a pull request', () =>
    ctx.gh.updatePullRequest(pull.number, { state: 'closed' }),
  );
}

/** Nothing is expired: the open pull request is closed, and the branch deleted. */
async function closeAll(
  ctx: Context,
  keep: PullRequest | null,
  current: string | null,
): Promise<CleanupOutcome> {
  if (keep)
    await closePull(
      ctx,
      keep,
      `No exception in ${mdCode(ctx.request.policyFile)} is expired any more ([run](${ctx.request.runLink})); closing, and deleting the branch.`,
    );
  if (current)
    await step('contents: write', `delete the branch ${ctx.branch}`, () => ctx.gh.deleteBranch(ctx.branch));
  return keep
    ? {
        status: 'closed',
        pull: ref(keep),
        note: `nothing is expired; clean-up pull request #${keep.number} closed`,
      }
    : { status: 'none', pull: null, note: 'nothing is expired; no clean-up pull request' };
}
