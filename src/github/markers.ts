/**
 * Hidden HTML markers that identify the action's own comments and issues and carry the data the
 * next step needs (the reviewed plan for the merge, the drifted cells for the next scan).
 */
const PREFIX = 'twilio-geo-permissions';

/** The marker of the sticky plan comment of one policy file. */
export function planCommentMarker(policyFile: string): string {
  return `<!-- ${PREFIX}:plan policy=${encodeURIComponent(policyFile)} -->`;
}

/** The marker of the apply-result comment of one merge commit and policy file. */
export function applyCommentMarker(policyFile: string, sha: string): string {
  return `<!-- ${PREFIX}:apply policy=${encodeURIComponent(policyFile)} sha=${sha} -->`;
}

/** The marker of the drift issue of one policy file, or of one shard of it (`shard: 2/4`): one issue each. */
export function driftIssueMarker(policyFile: string, shard: string | null = null): string {
  const part = shard ? ` shard=${shard}` : '';
  return `<!-- ${PREFIX}:drift policy=${encodeURIComponent(policyFile)}${part} -->`;
}

/** A fingerprint and its cells, stored as base64 of a JSON array of "account|category|country|from>to". */
export interface CellSnapshot {
  fingerprint: string;
  cells: string[];
}

function snapshotMarker(kind: string, snap: CellSnapshot): string {
  const data = Buffer.from(JSON.stringify(snap.cells), 'utf8').toString('base64');
  return `<!-- ${PREFIX}:${kind} v1 fingerprint=${snap.fingerprint} cells=${data} -->`;
}

function parseSnapshot(kind: string, body: string): CellSnapshot | null {
  const re = new RegExp(
    `<!-- ${PREFIX}:${kind} v1 fingerprint=([0-9a-zA-Z:_-]*) cells=([A-Za-z0-9+/=]*) -->`,
  );
  const m = re.exec(body);
  if (!m) return null;
  try {
    const cells: unknown = JSON.parse(Buffer.from(m[2] ?? '', 'base64').toString('utf8'));
    if (!Array.isArray(cells) || !cells.every((c) => typeof c === 'string')) return null;
    return { fingerprint: m[1] ?? '', cells };
  } catch {
    return null;
  }
}

export const reviewedPlanMarker = (snap: CellSnapshot): string => snapshotMarker('reviewed-plan', snap);
export const parseReviewedPlan = (body: string): CellSnapshot | null => parseSnapshot('reviewed-plan', body);
export const driftStateMarker = (snap: CellSnapshot): string => snapshotMarker('drift-state', snap);
export const parseDriftState = (body: string): CellSnapshot | null => parseSnapshot('drift-state', body);
