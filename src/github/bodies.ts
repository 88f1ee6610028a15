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

const allChanges = (plan: Plan): CellChange[] => plan.accounts.flatMap((a) => a.changes);

/** The sticky plan comment: its marker, the reviewed plan for the merge step, then the plan. */
export function planCommentBody(plan: Plan, planMarkdown: string, runLink: string): string {
  const markers = [
    planCommentMarker(plan.policyFile),
    reviewedPlanMarker({ fingerprint: plan.fingerprint, cells: allChanges(plan).map(reviewedKey) }),
  ];
  const footer = `\n\n<sub>Plan fingerprint \`${plan.fingerprint.slice(0, 12)}\`. On merge, only the enables shown here are applied.</sub>`;
  return composeBody(markers, planMarkdown + footer, runLink);
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
  const text = [
    driftMarkdown.trimEnd(),
    '',
    `Found by [this scan](${runLink}). This issue is kept up to date by the scheduled drift scan and closed ` +
      'automatically after a complete scan finds no drift. To fix it, either apply the policy (merge a change, ' +
      'or run the action with `on-drift: revert`) or change the policy to accept the live values.',
  ].join('\n');
  const title = `Geo permissions drift: ${report.policyFile}${shard ? ` (shard ${shard})` : ''}`;
  return { title, body: composeBody(markers, text, runLink) };
}
