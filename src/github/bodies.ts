import type { CellChange, DriftReport, Plan } from '../model/plan.js';
import { composeBody } from './body.js';
import {
  applyCommentMarker,
  driftIssueMarker,
  driftStateMarker,
  planCommentMarker,
  reviewedPlanMarker,
} from './markers.js';
import { markerKey, reviewedKey } from '../plan/cells.js';
import { driftIssueText, driftIssueTitle, reviewedPlanFooter } from '../report/index.js';

const allChanges = (plan: Plan): CellChange[] => plan.accounts.flatMap((a) => a.changes);

/** The sticky plan comment: its marker, the reviewed plan for the merge step, then the plan. */
export function planCommentBody(plan: Plan, planMarkdown: string, runLink: string): string {
  const markers = [
    planCommentMarker(plan.policyFile),
    reviewedPlanMarker({ fingerprint: plan.fingerprint, cells: allChanges(plan).map(reviewedKey) }),
  ];
  return composeBody(markers, planMarkdown + reviewedPlanFooter(plan), runLink);
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
