import type { CellChange, DriftReport, Plan } from '../model/plan.js';
import { composeBody, fitMarkdown } from './body.js';
import {
  applyCommentMarker,
  driftIssueMarker,
  driftStateMarker,
  partialFingerprint,
  planCommentMarker,
  reviewedPlanMarker,
} from './markers.js';
import { markerKey, reviewedKey } from '../plan/cells.js';
import {
  driftIssueText,
  driftIssueTitle,
  reviewedPlanFooter,
  shownChanges,
  unshownChangesNote,
} from '../report/index.js';

const allChanges = (plan: Plan): CellChange[] => plan.accounts.flatMap((a) => a.changes);

/**
 * The sticky plan comment: its marker, the reviewed plan for the merge step, then the plan. The
 * reviewed plan is exactly what the comment shows: the markdown is fitted first (room kept for the
 * largest marker and the note), then the marker stores the changes whose rows are in what remains
 * (report/plan.ts `shownChanges`, HTML comments hidden as GitHub hides them). When some do not show,
 * the marker's fingerprint is a partial one, so the merge binds cell by cell and refuses the enables
 * nobody saw, and a note at the top of the comment says so.
 */
export function planCommentBody(plan: Plan, planMarkdown: string, runLink: string): string {
  const sticky = planCommentMarker(plan.policyFile);
  const changes = allChanges(plan);
  const whole = reviewedPlanMarker({ fingerprint: plan.fingerprint, cells: changes.map(reviewedKey) });
  const reserved = `${sticky}\n${whole}\n`.length + unshownChangesNote(changes.length, runLink).length;
  const markdown = fitMarkdown(planMarkdown + reviewedPlanFooter(plan), reserved, runLink);
  const shown = shownChanges(plan, markdown);
  if (shown.length === changes.length) return `${sticky}\n${whole}\n${markdown}`;
  // No longer than the marker the room was kept for, so the body stays under the limit.
  const part = reviewedPlanMarker(
    { fingerprint: partialFingerprint(plan.fingerprint), cells: shown.map(reviewedKey) },
    whole.length,
  );
  return `${sticky}\n${part}\n${unshownChangesNote(changes.length - shown.length, runLink)}${markdown}`;
}

/** The apply-result comment on the merged pull request (one per merge commit, upserted on re-runs). */
export function applyCommentBody(policyFile: string, sha: string, markdown: string, runLink: string): string {
  return composeBody([applyCommentMarker(policyFile, sha)], markdown, runLink);
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
    driftStateMarker({ fingerprint: report.fingerprint, cells: report.items.map(markerKey) }),
  ];
  return {
    title: driftIssueTitle(report.policyFile, shard),
    body: composeBody(markers, driftIssueText(driftMarkdown, runLink), runLink),
  };
}
