import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Hidden HTML markers that identify the action's own comments and issues and carry the data the
 * next step needs (the reviewed plan for the merge, the drifted cells for the next scan).
 */
const PREFIX = 'twilio-geo-permissions';

/**
 * A hidden HTML comment holding `content`. Nothing in it may end the comment early or open another:
 * HTML ends a comment at `-->` or `--!>` (and `<!-->` is an empty one), so `<` and `>` are written as
 * %3C and %3E. Every value in a marker is URL-encoded, base64, hex or a shard like `2/4` already, so
 * this changes nothing the tool writes; it makes "cannot close the comment" hold by construction.
 */
export function htmlComment(content: string): string {
  return `<!-- ${content.replace(/</g, '%3C').replace(/>/g, '%3E')} -->`;
}

/** True for a line that is one of this tool's markers (they open every body, before any Markdown). */
export const isMarkerLine = (line: string): boolean => line.startsWith(`<!-- ${PREFIX}:`);

/** A marker's shard part: ` shard=2/4`, or nothing for a run of the whole fleet. */
const shardPart = (shard: string | null): string =>
  shard ? ` shard=${shard.replace(/[^0-9/]/g, encodeURIComponent)}` : '';

/**
 * The marker of the sticky plan comment of one policy file, or of one shard of it (a matrix of plan jobs
 * on the pull request): one comment each, so no job overwrites another's plan.
 */
export function planCommentMarker(policyFile: string, shard: string | null = null): string {
  return htmlComment(`${PREFIX}:plan policy=${encodeURIComponent(policyFile)}${shardPart(shard)}`);
}

/** The commit a plan comment planned (the pull request head), read back for the staleness banner. */
export function plannedCommitMarker(sha: string): string {
  return htmlComment(`${PREFIX}:planned sha=${encodeURIComponent(sha)}`);
}
export function parsePlannedCommit(body: string): string | null {
  const m = new RegExp(`<!-- ${PREFIX}:planned sha=([^ ]*) -->`).exec(body);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1] ?? '') || null;
  } catch {
    return null;
  }
}

/** Around the staleness banner of a plan comment, so the next banner replaces it and a new plan drops it. */
export const STALE_BANNER_START = htmlComment(`${PREFIX}:stale`);
export const STALE_BANNER_END = htmlComment(`${PREFIX}:stale-end`);

/**
 * The marker of the apply-result comment of one merge commit and policy file, and shard: each job of a
 * sharded apply posts its own result, so one shard's success never stands for another's.
 */
export function applyCommentMarker(policyFile: string, sha: string, shard: string | null = null): string {
  return htmlComment(
    `${PREFIX}:apply policy=${encodeURIComponent(policyFile)} sha=${encodeURIComponent(sha)}${shardPart(shard)}`,
  );
}

/** The marker of the drift issue of one policy file, or of one shard of it (`shard: 2/4`): one issue each. */
export function driftIssueMarker(policyFile: string, shard: string | null = null): string {
  return htmlComment(`${PREFIX}:drift policy=${encodeURIComponent(policyFile)}${shardPart(shard)}`);
}

/**
 * The shard a drift issue's marker names for `policyFile`: "2/4", null for the policy's unsharded issue,
 * undefined when the body carries no drift marker of that policy.
 */
export function driftIssueShard(body: string, policyFile: string): string | null | undefined {
  const unsharded = driftIssueMarker(policyFile);
  if (body.includes(unsharded)) return null;
  // The marker with a shard: the unsharded one with ` shard=I/N` before its end.
  const opening = `${unsharded.slice(0, -' -->'.length)} shard=`;
  const start = body.indexOf(opening);
  if (start < 0) return undefined;
  const rest = body.slice(start + opening.length);
  const shard = rest.slice(0, rest.indexOf(' -->'));
  return /^\d+\/\d+$/.test(shard) ? shard : undefined;
}

/** A fingerprint and its cells, stored as base64 of a JSON array of "account|category|country|from>to". */
export interface CellSnapshot {
  fingerprint: string;
  cells: string[];
}

/** A snapshot read back: `cells` is null when there were too many to store (the fingerprint still binds). */
export interface StoredSnapshot {
  fingerprint: string;
  cells: string[] | null;
}

/**
 * A snapshot marker may take this much of a comment or issue body (GitHub refuses bodies over 65,536
 * characters), leaving the rest for the report. Large fleets store the cells deflated, and past that
 * only the fingerprint.
 */
export const MAX_SNAPSHOT_MARKER_CHARS = 30_000;

/** The fingerprint as a marker stores it: only the characters parseSnapshot reads back. */
const markerFingerprint = (fingerprint: string): string => fingerprint.replace(/[^0-9a-zA-Z:_-]/g, '_');

const snapshotHead = (kind: string, snap: CellSnapshot) =>
  `${PREFIX}:${kind} v1 fingerprint=${markerFingerprint(snap.fingerprint)}`;

/** The cells as they are (plain) or deflated (packed) in at most `maxChars`; null when neither fits. */
function cellsMarker(kind: string, snap: CellSnapshot, maxChars: number): string | null {
  const json = Buffer.from(JSON.stringify(snap.cells), 'utf8');
  const plain = htmlComment(`${snapshotHead(kind, snap)} cells=${json.toString('base64')}`);
  if (plain.length <= maxChars) return plain;
  const packed = htmlComment(
    `${snapshotHead(kind, snap)} zcells=${deflateRawSync(json, { level: 9 }).toString('base64')}`,
  );
  return packed.length <= maxChars ? packed : null;
}

/** The cells plain, deflated, or past `maxChars` not at all (the fingerprint only). */
function snapshotMarker(kind: string, snap: CellSnapshot, maxChars = MAX_SNAPSHOT_MARKER_CHARS): string {
  return cellsMarker(kind, snap, maxChars) ?? htmlComment(`${snapshotHead(kind, snap)} cells=-`);
}

function parseSnapshot(kind: string, body: string): StoredSnapshot | null {
  const re = new RegExp(
    `<!-- ${PREFIX}:${kind} v1 fingerprint=([0-9a-zA-Z:_-]*) (cells|zcells)=([A-Za-z0-9+/=]*|-) -->`,
  );
  const m = re.exec(body);
  if (!m) return null;
  const fingerprint = m[1] ?? '';
  if (m[3] === '-') return { fingerprint, cells: null };
  try {
    const raw = Buffer.from(m[3] ?? '', 'base64');
    const cells: unknown = JSON.parse((m[2] === 'zcells' ? inflateRawSync(raw) : raw).toString('utf8'));
    if (!Array.isArray(cells) || !cells.every((c) => typeof c === 'string')) return null;
    return { fingerprint, cells };
  } catch {
    return null;
  }
}

/**
 * The plan a reviewer saw. When the comment could show only part of the plan, `cells` holds the shown
 * part and the fingerprint is `partialFingerprint(…)`, so the merge binds cell by cell and refuses the
 * rest. `maxChars` caps the marker (at most MAX_SNAPSHOT_MARKER_CHARS).
 */
export const reviewedPlanMarker = (snap: CellSnapshot, maxChars?: number): string =>
  snapshotMarker('reviewed-plan', snap, maxChars);

/** The reviewed-plan marker with every cell in at most `maxChars` (and MAX_SNAPSHOT_MARKER_CHARS); null when it cannot be. */
export const reviewedPlanMarkerWithin = (snap: CellSnapshot, maxChars: number): string | null =>
  cellsMarker('reviewed-plan', snap, Math.min(maxChars, MAX_SNAPSHOT_MARKER_CHARS));

/**
 * The fingerprint a reviewed-plan marker stores when the comment showed only part of the plan: never
 * equal to a plan's fingerprint, so it never binds the whole plan as reviewed.
 */
export const partialFingerprint = (fingerprint: string): string => `partial-${fingerprint}`;
export const parseReviewedPlan = (body: string): StoredSnapshot | null =>
  parseSnapshot('reviewed-plan', body);
export const driftStateMarker = (snap: CellSnapshot): string => snapshotMarker('drift-state', snap);
export const parseDriftState = (body: string): StoredSnapshot | null => parseSnapshot('drift-state', body);

/**
 * The marker of one revert's record on the drift issue, naming the run (and attempt) that reverted. The
 * record is posted before the first write and finished after the read-back; while it still carries
 * REVERT_PENDING_MARKER, the reverting run could not finish it and the next scan does.
 */
export function revertRecordMarker(runId: string, attempt: string): string {
  return `<!-- ${PREFIX}:revert run=${runId} attempt=${attempt} -->`;
}
export const REVERT_PENDING_MARKER = `<!-- ${PREFIX}:revert-pending -->`;
export function parseRevertRecord(body: string): { runId: string; attempt: string } | null {
  const m = new RegExp(`<!-- ${PREFIX}:revert run=([0-9A-Za-z_-]*) attempt=([0-9]+) -->`).exec(body);
  return m ? { runId: m[1] ?? '', attempt: m[2] ?? '1' } : null;
}
/** The cells a revert set out to write, for the record the next scan finishes. */
export const revertCellsMarker = (snap: CellSnapshot): string => snapshotMarker('revert-cells', snap);
export const parseRevertCells = (body: string): StoredSnapshot | null => parseSnapshot('revert-cells', body);

/** The marker of the clean-up pull request of one policy file (expired exceptions removed): one open at a time. */
export function cleanupPrMarker(policyFile: string): string {
  return htmlComment(`${PREFIX}:cleanup policy=${encodeURIComponent(policyFile)}`);
}

/**
 * What the clean-up pull request's branch holds: the default-branch commit it was reset to (`base`), the
 * commit that wrote the edit (`head`), and the edited file's sha256 (`digest`). When all three still hold,
 * the next run pushes nothing.
 */
export interface CleanupState {
  base: string;
  head: string;
  digest: string;
}

const HEX = /^[0-9a-f]+$/;
export const cleanupStateMarker = (s: CleanupState): string =>
  htmlComment(`${PREFIX}:cleanup-state base=${s.base} head=${s.head} digest=${s.digest}`);
export function parseCleanupState(body: string): CleanupState | null {
  const m = new RegExp(`<!-- ${PREFIX}:cleanup-state base=(\\S*) head=(\\S*) digest=(\\S*) -->`).exec(body);
  if (!m || ![m[1], m[2], m[3]].every((v) => HEX.test(v ?? ''))) return null;
  return { base: m[1]!, head: m[2]!, digest: m[3]! };
}
