import type { Issue } from '../model/github-port.js';
import type { CellSnapshot, StoredSnapshot } from './markers.js';
import { driftIssueShard, parseDriftState } from './markers.js';
import type { Shard } from '../model/desired.js';
import { describeChange, parseMarkerKey } from '../plan/cells.js';
import { mdText } from '../report/index.js';

/** What a drift scan found, reduced to what decides the issue. */
export interface DriftScan {
  detected: boolean;
  /** False when an account errored or was skipped: such a scan never closes the issue. */
  complete: boolean;
  state: CellSnapshot;
}

export type DriftIssueOp =
  | { op: 'create'; title: string; body: string }
  | { op: 'update'; issue: number; body: string; reopen: boolean }
  | { op: 'comment'; issue: number; body: string }
  | { op: 'close'; issue: number; reason: 'completed' | 'not_planned' };

export interface DriftIssuePlan {
  ops: DriftIssueOp[];
  /** The issue that tracks the drift after the ops (null when none is open or will be). */
  issue: number | null;
  /** A line for the log and summary saying what happened and why. */
  note: string;
}

/**
 * The action's drift issues for one policy: marker AND bot author, never a pull request. `issues` may
 * list an issue twice (found by its label and by its author): each is kept once.
 */
export function ownDriftIssues(issues: readonly Issue[], marker: string, botLogin: string): Issue[] {
  return [...new Map(issues.map((i) => [i.number, i])).values()]
    .filter((i) => !i.isPullRequest && i.author === botLogin && i.body.includes(marker))
    .sort((a, b) => a.number - b.number);
}

/**
 * The open drift issues of this policy kept by a matrix of another size (shard k/M, M not N). Once the
 * matrix has N jobs no job scans k/M any more, so its issue would stay open forever with drift the N
 * shards now track. The first job of the matrix (shard 1/N) closes them, each with why. An unsharded
 * issue is another workflow's (a drift.yml beside a sharded matrix may scan the same policy): left alone,
 * and an unsharded scan leaves the shards' issues alone.
 */
export function supersededShardIssues(
  issues: readonly Issue[],
  policyFile: string,
  shard: Shard | null,
  botLogin: string,
  runLink: string,
): Array<Exclude<DriftIssueOp, { op: 'create' }>> {
  if (shard?.index !== 1) return [];
  const ops: Array<Exclude<DriftIssueOp, { op: 'create' }>> = [];
  const own = [...new Map(issues.map((i) => [i.number, i])).values()]
    .filter((i) => !i.isPullRequest && i.author === botLogin && i.state === 'open')
    .sort((a, b) => a.number - b.number);
  for (const issue of own) {
    const old = driftIssueShard(issue.body, policyFile);
    if (!old || Number(old.split('/')[1]) === shard.count) continue;
    const body =
      `Closed: the drift scan of ${mdText(policyFile)} now runs as ${shard.count} shards, each with its own drift ` +
      `issue, so no job scans shard ${old} any more; the accounts this issue tracked are in those issues ([run](${runLink})).`;
    ops.push(
      { op: 'comment', issue: issue.number, body },
      { op: 'close', issue: issue.number, reason: 'not_planned' },
    );
  }
  return ops;
}

/**
 * The drift issue state machine: one issue per policy file, created when drift appears, its body
 * rewritten only when the drift fingerprint changes (with a comment saying what changed), a closed
 * one reopened rather than duplicated, closed only after a complete scan finds no drift.
 */
export function decideDriftIssue(
  issues: readonly Issue[],
  scan: DriftScan,
  rendered: { title: string; body: string },
  runLink: string,
): DriftIssuePlan {
  const open = issues.filter((i) => i.state === 'open');
  const closed = issues
    .filter((i) => i.state === 'closed')
    .sort((a, b) => (b.closedAt ?? '').localeCompare(a.closedAt ?? '') || b.number - a.number);
  const [keep, ...duplicates] = open;
  const ops: DriftIssueOp[] = [];
  for (const d of duplicates) {
    if (keep) ops.push({ op: 'comment', issue: d.number, body: `Duplicate of #${keep.number}; closing.` });
    ops.push({ op: 'close', issue: d.number, reason: 'not_planned' });
  }

  if (scan.detected) {
    if (keep) {
      const previous = parseDriftState(keep.body);
      if (previous?.fingerprint === scan.state.fingerprint)
        return { ops, issue: keep.number, note: `drift unchanged; issue #${keep.number} left as is` };
      ops.push({ op: 'update', issue: keep.number, body: rendered.body, reopen: false });
      ops.push({ op: 'comment', issue: keep.number, body: changeComment(previous, scan.state, runLink) });
      return { ops, issue: keep.number, note: `drift changed; issue #${keep.number} updated` };
    }
    const last = closed[0];
    if (last) {
      ops.push({ op: 'update', issue: last.number, body: rendered.body, reopen: true });
      ops.push({
        op: 'comment',
        issue: last.number,
        body: `Drift is back ([run](${runLink})); reopening.\n\n${cellList(scan.state.cells)}`,
      });
      return { ops, issue: last.number, note: `drift reappeared; issue #${last.number} reopened` };
    }
    ops.push({ op: 'create', title: rendered.title, body: rendered.body });
    return { ops, issue: null, note: 'drift found; issue created' };
  }

  if (!keep) return { ops, issue: null, note: 'no drift' };
  if (!scan.complete)
    return {
      ops,
      issue: keep.number,
      note: `no drift seen, but the scan was incomplete (accounts errored or were skipped); issue #${keep.number} stays open`,
    };
  ops.push({
    op: 'comment',
    issue: keep.number,
    body: `Drift cleared: a complete scan found no drift ([run](${runLink})). Closing.`,
  });
  ops.push({ op: 'close', issue: keep.number, reason: 'completed' });
  return { ops, issue: null, note: `drift cleared; issue #${keep.number} closed` };
}

function changeComment(previous: StoredSnapshot | null, now: CellSnapshot, runLink: string): string {
  const before = new Set(previous?.cells ?? []);
  const after = new Set(now.cells);
  const added = now.cells.filter((c) => !before.has(c));
  const gone = [...before].filter((c) => !after.has(c));
  const parts = [`Drift changed ([run](${runLink})); the description above is current.`];
  if (added.length) parts.push(`**New:**\n${cellList(added)}`);
  if (gone.length) parts.push(`**No longer drifted:**\n${cellList(gone)}`);
  return parts.join('\n\n');
}

const LIST_LIMIT = 25;
/** The cells of a drift-state marker, for people: each holds an account name, so each is escaped. */
function cellList(cells: readonly string[]): string {
  const shown = cells.slice(0, LIST_LIMIT).map((key) => {
    const cell = parseMarkerKey(key);
    return `- ${mdText(cell ? describeChange(cell) : key)}`;
  });
  if (cells.length > LIST_LIMIT) shown.push(`- … and ${cells.length - LIST_LIMIT} more`);
  return shown.join('\n');
}
