import type { CellChange, DriftReport, Plan } from '../model/plan.js';
import { composeBody, fitMarkdown } from './body.js';
import { checkReviewedPlan } from '../plan/binding.js';
import {
  parseReviewedPlan,
  applyCommentMarker,
  driftIssueMarker,
  driftStateMarker,
  partialFingerprint,
  planCommentMarker,
  MAX_SNAPSHOT_MARKER_CHARS,
  isMarkerLine,
  plannedCommitMarker,
  reviewedPlanMarker,
  STALE_BANNER_END,
  STALE_BANNER_START,
  reviewedPlanMarkerWithin,
} from './markers.js';
import { markerKey, reviewedKey, reviewUnits } from '../plan/cells.js';
import { driftStateKeys } from '../plan/drift.js';
import {
  driftIssueText,
  driftIssueTitle,
  reviewedPlanFooter,
  shownChanges,
  unshownChangesNote,
} from '../report/index.js';

const allChanges = (plan: Plan): CellChange[] => plan.accounts.flatMap((a) => a.changes);

/** The shard a plan covers ("2/4"), or null for the whole fleet: its comments' markers name it. */
export const planShard = (plan: Pick<Plan, 'fleet'>): string | null => plan.fleet?.shard?.shard ?? null;

interface Fitted {
  /** The markdown as the comment shows it. */
  markdown: string;
  /** The changes whose rows it shows. */
  shown: CellChange[];
  /** The reviewed-plan marker of exactly those changes, or null when it does not fit its room. */
  marker: string | null;
}

/**
 * The sticky plan comment: its marker, the reviewed plan for the merge step, then the plan. The
 * reviewed plan is exactly what the comment shows: the markdown is fitted first, with room kept for a
 * marker and the note, then the marker stores the changes whose rows are in what remains (report/plan.ts
 * `shownChanges`, HTML comments hidden as GitHub hides them). When some do not show, the marker's
 * fingerprint is a partial one, so the merge binds cell by cell and refuses the enables nobody saw,
 * and a note at the top of the comment says so.
 */
export function planCommentBody(
  plan: Plan,
  planMarkdown: string,
  runLink: string,
  plannedSha: string | null = null,
): string {
  // The identity marker, then the commit planned (read back by a later push's staleness banner).
  const sticky = [
    planCommentMarker(plan.policyFile, planShard(plan)),
    ...(plannedSha ? [plannedCommitMarker(plannedSha)] : []),
  ].join('\n');
  const changes = allChanges(plan);
  const whole = reviewedPlanMarker({
    fingerprint: plan.fingerprint,
    cells: changes.flatMap(reviewUnits).map(reviewedKey),
  });
  const markdown = planMarkdown + reviewedPlanFooter(plan);
  const note = unshownChangesNote(changes.length, runLink).length;
  const partial = (cells: CellChange[]) => ({
    fingerprint: partialFingerprint(plan.fingerprint),
    cells: cells.flatMap(reviewUnits).map(reviewedKey),
  });
  const fitted = (room: number): Fitted => {
    const shownMarkdown = fitMarkdown(markdown, `${sticky}\n\n`.length + room + note, runLink);
    const shown = shownChanges(plan, shownMarkdown);
    const marker = shown.length === changes.length ? whole : reviewedPlanMarkerWithin(partial(shown), room);
    return { markdown: shownMarkdown, shown, marker };
  };
  let room = whole.length;
  let best = fitted(room);
  if (best.shown.length === changes.length) return `${sticky}\n${whole}\n${best.markdown}`;
  // The room kept for the whole marker is rarely what the shown part's marker needs: less room shows
  // more rows, whose marker must still fit in it. Bisect for the least room that holds its own marker,
  // up to a snapshot marker's own limit when the whole plan's cells could not be stored at all.
  let [lo, hi] = [0, best.marker ? room : Math.max(room, MAX_SNAPSHOT_MARKER_CHARS)];
  while (hi - lo > 256) {
    const mid = Math.floor((lo + hi) / 2);
    const attempt = fitted(mid);
    if (attempt.marker === null || attempt.shown.length === changes.length) lo = mid;
    else [hi, room, best] = [mid, mid, attempt];
  }
  // When even the shown part's cells cannot be stored, the marker keeps the partial fingerprint only:
  // then nothing counts as reviewed.
  const marker = best.marker ?? reviewedPlanMarker(partial([]), room);
  const unreviewed = changes.length - (best.marker ? best.shown.length : 0);
  return `${sticky}\n${marker}\n${unshownChangesNote(unreviewed, runLink)}${best.markdown}`;
}

/** The body without its staleness banner (as a new plan writes it). */
function withoutStaleBanner(body: string): string {
  const start = body.indexOf(STALE_BANNER_START);
  const end = body.indexOf(STALE_BANNER_END, start);
  if (start < 0 || end < 0) return body;
  return body.slice(0, start) + body.slice(end + STALE_BANNER_END.length).replace(/^\n\n?/, '');
}

/**
 * A plan comment with `banner` on top of what a reader sees, after its markers, which stay as they
 * were: the reviewed-plan marker the merge binds to is untouched, and an earlier banner is replaced.
 */
export function withStaleBanner(body: string, banner: string): string {
  const lines = withoutStaleBanner(body).split('\n');
  const at = Math.max(
    0,
    lines.findIndex((line) => !isMarkerLine(line)),
  );
  const block = [STALE_BANNER_START, banner, STALE_BANNER_END, ''];
  return [...lines.slice(0, at), ...block, ...lines.slice(at)].join('\n');
}

/**
 * How many of the plan's enables the merge would refuse as unreviewed if `body` is the sticky comment:
 * those whose rows did not fit (its reviewed-plan marker leaves them out). The PR check says so before
 * the merge, not after.
 */
export function unreviewedByComment(plan: Plan, body: string): number {
  return checkReviewedPlan(parseReviewedPlan(body), plan, 0).unreviewed.length;
}

/** The apply-result comment on the merged pull request (one per merge commit, upserted on re-runs). */
export function applyCommentBody(
  policyFile: string,
  sha: string,
  markdown: string,
  runLink: string,
  shard: string | null = null,
): string {
  return composeBody([applyCommentMarker(policyFile, sha, shard)], markdown, runLink);
}

/** The drift issue: title, and body with the identity marker and the drifted cells for the next scan. */
export function driftIssueContent(
  report: DriftReport,
  driftMarkdown: string,
  runLink: string,
  shard: string | null = null,
): { title: string; body: string } {
  const markers = [
    driftIssueMarker(report.policyFile, shard),
    driftStateMarker({ fingerprint: report.fingerprint, cells: driftStateKeys(report, markerKey) }),
  ];
  return {
    title: driftIssueTitle(report.policyFile, shard),
    body: composeBody(markers, driftIssueText(driftMarkdown, runLink), runLink),
  };
}
