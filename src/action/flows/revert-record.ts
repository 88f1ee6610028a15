import * as core from '@actions/core';
import type { GitHubGateway, Issue } from '../../model/github-port.js';
import type { DriftReport } from '../../model/plan.js';
import {
  REVERT_PENDING_MARKER,
  parseRevertCells,
  parseRevertRecord,
  revertCellsMarker,
  revertRecordMarker,
} from '../../github/markers.js';
import { attemptWrite, notWrittenWarning } from '../../github/writes.js';
import { markerKey } from '../../plan/cells.js';
import type { FlowInput } from './shared.js';
import { revertPendingText, revertRecoveredText } from '../../report/records.js';
import { ownLogin } from '../../github/identity.js';

/**
 * A revert's record on the drift issue: posted once the guards passed and before the first write
 * (pending), finished with the per-cell result after the read-back. A run that reverted but could not
 * finish it (GitHub down, a 5xx) leaves it pending, and the next `on-drift: revert` scan finishes it
 * with what it reads, before it closes or updates the issue. No revert goes unrecorded that way.
 */
export interface RevertRecord {
  gh: GitHubGateway;
  issue: number;
  /** The pending comment, or null when it could not be posted (a 403: the token cannot comment). */
  commentId: number | null;
}

const ownMarker = (input: FlowInput) => revertRecordMarker(input.ctx.runId, input.ctx.runAttempt);

/** Posts the pending record; a 403 lets the revert go on (the summary has it), any other failure stops it. */
export async function openRevertRecord(
  gh: GitHubGateway,
  issue: number,
  input: FlowInput,
  report: DriftReport,
): Promise<RevertRecord> {
  const cells = report.items.map(markerKey);
  const body = [
    ownMarker(input),
    REVERT_PENDING_MARKER,
    revertCellsMarker({ fingerprint: report.fingerprint, cells }),
    revertPendingText(input.ctx, cells),
  ].join('\n');
  const posted = await attemptWrite(() => gh.createComment(issue, body));
  if (posted.ok) return { gh, issue, commentId: posted.value.id };
  // Only a token that may not comment lets the revert go on unrecorded on the issue (the summary has it):
  // a timeout or a rate limit passes, so the revert waits for the next scan instead.
  if (posted.error.kind === 'forbidden') {
    core.warning(notWrittenWarning('open the revert record on the drift issue', posted.error));
    return { gh, issue, commentId: null };
  }
  throw new Error(
    `could not open the revert record on issue #${issue} (${posted.error.message}); nothing was reverted, so ` +
      'no revert goes unrecorded. The next scan tries again',
    { cause: posted.error },
  );
}

/** Finishes the record with the revert's result (or posts it, when the pending one could not be). */
export async function finishRevertRecord(
  record: RevertRecord,
  input: FlowInput,
  text: string,
): Promise<void> {
  const body = `${ownMarker(input)}\n${text}`;
  if (record.commentId === null) await record.gh.createComment(record.issue, body);
  else await record.gh.updateComment(record.commentId, body);
}

/** Finishes, with this scan's reading, every pending record an earlier run left on the open drift issues. */
export async function finishPendingReverts(
  gh: GitHubGateway,
  issues: readonly Issue[],
  input: FlowInput,
  report: DriftReport,
): Promise<void> {
  // The records this token wrote carry its identity (github/identity.ts), as every other own comment does.
  const login = await ownLogin(gh, input.settings.botLogin);
  for (const issue of issues.filter((i) => i.state === 'open')) {
    for (const comment of await gh.listComments(issue.number)) {
      if (comment.author !== login || !comment.body.includes(REVERT_PENDING_MARKER)) continue;
      const original = parseRevertRecord(comment.body);
      if (!original) continue;
      const cells = parseRevertCells(comment.body)?.cells ?? null;
      const text = revertRecoveredText(input.ctx, original, cells, {
        complete: report.complete,
        drifted: report.items.length,
      });
      await gh.updateComment(comment.id, `${revertRecordMarker(original.runId, original.attempt)}\n${text}`);
      core.info(`revert record of run ${original.runId} on issue #${issue.number} finished`);
    }
  }
}
