import type { CellChange, CellRef, Plan } from '../model/plan.js';
import { cellId, describeCell, onOff, parseMarkerKey, reviewedKey, reviewUnits } from './cells.js';

/** The plan a reviewer saw on the pull request, as stored in the sticky comment. */
export interface ReviewedPlan {
  fingerprint: string;
  /** Null when the plan had too many cells to store in the comment: then only an identical plan binds. */
  cells: string[] | null;
}

/** An enable the merge-time plan wants that nobody reviewed, explained three ways. */
export interface UnreviewedChange {
  change: CellChange;
  reviewed: string;
  liveAtReview: string;
  liveNow: string;
}

export interface BindingResult {
  /** False when at least one change needs review and was not in the reviewed plan. */
  ok: boolean;
  /** The merge-time plan equals the reviewed one exactly. */
  identical: boolean;
  unreviewed: UnreviewedChange[];
  /** Reviewed cells that no longer need a change (someone already did it, or the policy moved). */
  noLongerNeeded: string[];
}

/** Disables only narrow what an account can reach; anything else (enables, inheritance flips) must be reviewed. */
export function needsReview(c: CellChange): boolean {
  return c.kind === 'write' && (c.to || c.category === 'voice.inherit');
}

/**
 * Binds the merge to the reviewed plan semantically: every change that widens access must appear,
 * with the same target value, in the plan shown on the pull request. Disables proceed unreviewed.
 * `reviewed` is null when the pull request carries no plan (commenting off, or a fork without secrets).
 */
export function checkReviewedPlan(
  reviewed: ReviewedPlan | null,
  plan: Plan,
  prNumber: number,
): BindingResult {
  const changes = plan.accounts.flatMap((a) => a.changes);
  // Same fingerprint, same change set: everything was reviewed (the only binding when cells were not stored).
  if (reviewed && reviewed.fingerprint === plan.fingerprint)
    return { ok: true, identical: true, unreviewed: [], noLongerNeeded: [] };
  // Reviewed cells by account name, SID, category and country: a cell is bound to the account it was shown for.
  const boundTarget = (c: Pick<CellRef, 'account' | 'category' | 'country'>, sid: string | null) =>
    `${c.account}@${sid ?? ''}|${c.category}|${c.country ?? ''}`;
  const reviewedByTarget = new Map<string, { from: boolean; to: boolean }>();
  for (const key of reviewed?.cells ?? []) {
    const p = parseMarkerKey(key);
    if (p) reviewedByTarget.set(boundTarget(p, p.sid), { from: p.from, to: p.to });
  }
  const unreviewed: UnreviewedChange[] = [];
  for (const c of changes) {
    if (!needsReview(c)) continue;
    const seen = reviewedByTarget.get(boundTarget(c, c.sid));
    // A join is reviewed only with every effective cell it opens now.
    const unseenOpening = reviewUnits(c)
      .slice(1)
      .filter((u) => reviewedByTarget.get(boundTarget(u, u.sid))?.to !== u.to);
    if (seen && seen.to === c.to && unseenOpening.length === 0) continue;
    if (seen && seen.to === c.to) {
      unreviewed.push({
        change: c,
        reviewed: `the reviewed plan joined it, but joining now opens what it did not show: ${unseenOpening.map(describeCell).join(', ')}`,
        liveAtReview: onOff(seen.from),
        liveNow: `${onOff(c.from)} (the policy now wants ${onOff(c.to)})`,
      });
      continue;
    }
    unreviewed.push({
      change: c,
      reviewed: !reviewed
        ? `no reviewed plan was found on PR #${prNumber}`
        : seen
          ? `the reviewed plan set it ${onOff(seen.to)}`
          : reviewed.cells === null
            ? 'the reviewed plan was too large to keep its cells, and the plan changed since'
            : 'not in the reviewed plan (no change was shown for it)',
      liveAtReview: seen
        ? onOff(seen.from)
        : reviewed
          ? 'matched the policy reviewed then (so no change was planned), or the policy changed after the last plan'
          : 'unknown (no plan ran on the pull request)',
      liveNow: `${onOff(c.from)} (the policy now wants ${onOff(c.to)})`,
    });
  }
  const current = new Set(changes.flatMap(reviewUnits).map(reviewedKey));
  const noLongerNeeded = (reviewed?.cells ?? []).filter((k) => !current.has(k));
  return {
    ok: unreviewed.length === 0,
    identical: reviewed !== null && reviewed.fingerprint === plan.fingerprint,
    unreviewed,
    noLongerNeeded,
  };
}

/** The plan minus the refused cells, so the reviewed part (and every disable) still proceeds. */
export function withoutCells(plan: Plan, cells: readonly CellRef[]): Plan {
  if (cells.length === 0) return plan;
  const refused = new Set(cells.map(cellId));
  return {
    ...plan,
    accounts: plan.accounts.map((a) => ({
      ...a,
      changes: a.changes.filter((c) => !refused.has(cellId(c))),
    })),
  };
}
