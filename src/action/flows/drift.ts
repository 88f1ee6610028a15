import * as core from '@actions/core';
import { guardAndApply } from '../../apply/guard-and-apply.js';
import { driftDetected, driftStateKeys, frameDrift } from '../../plan/drift.js';
import { readDriftEvents } from '../../live/events.js';
import type { DesiredState } from '../../model/desired.js';
import type { DriftReport } from '../../model/plan.js';
import type { TwilioGateway } from '../../model/twilio-port.js';
import { formatShard } from '../../plan/shard.js';
import type { GitHubGateway } from '../../model/github-port.js';
import { foreignMarkerAuthors } from '../../github/sticky.js';
import { decideDriftIssue, ownDriftIssues, supersededShardIssues } from '../../github/drift-issue.js';
import { driftIssueMarker } from '../../github/markers.js';
import { driftSection, mdText, renderReport } from '../../report/index.js';
import { markerKey } from '../../plan/cells.js';
import { createGitHub } from '../adapters.js';
import { runLink } from '../../report/run-link.js';
import { notOnDefaultBranch } from '../mode.js';
import { whyNoRevert } from '../triggers.js';
import {
  attemptWrite,
  describeGitHubFailure,
  executeDriftIssueOps,
  notWrittenWarning,
  reportingWrite,
} from '../../github/writes.js';
import { ownLogin } from '../../github/identity.js';
import { GitHubError } from '../../model/github-port.js';
import { driftIssueContent } from '../../github/bodies.js';
import { logReport, setOutputs } from '../runner-io.js';
import { planLive, writeJsonReport } from './live.js';
import { type FlowInput, type FlowResult, applyInputs } from './shared.js';
import {
  finishPendingReverts,
  finishRevertRecord,
  openRevertRecord,
  type RevertRecord,
} from './revert-record.js';
import { DEFAULT_LOOKBACK_DAYS } from '../../model/defaults.js';
import { expiredDisabled } from '../../plan/expired.js';
import { expiryFailures, settleExpired } from './expiry.js';
import { expiredCellStates } from '../../plan/expired-cells.js';
import { keepCleanupPullRequest } from './cleanup.js';
import { policyCheck, type PolicyCheck } from './current-policy.js';

/** Keeps the one drift issue of the policy in step with the scan; answers the open issue's number. */
async function syncIssue(gh: GitHubGateway, input: FlowInput, report: DriftReport, markdown: string) {
  const { settings } = input;
  const shard = settings.shard ? formatShard(settings.shard) : null;
  await gh.ensureLabel(settings.driftLabel, {
    color: 'd93f0b',
    description: 'Twilio geo permissions differ from the policy (managed by twilio-geo-permissions)',
  });
  const { issues, listed, login } = await findDriftIssues(
    gh,
    settings,
    driftIssueMarker(report.policyFile, shard),
  );
  // Before the issue is updated or closed, so it tells what happened in order.
  if (settings.onDrift === 'revert') await finishPendingReverts(gh, issues, input, report);
  const decision = decideDriftIssue(
    issues,
    {
      // Cells the run closed itself are recorded too: people relied on them until now.
      detected: driftDetected(report) || expiredDisabled(report) > 0,
      complete: report.complete,
      state: { fingerprint: report.fingerprint, cells: driftStateKeys(report, markerKey) },
    },
    driftIssueContent(report, markdown, runLink(input.ctx), shard),
    runLink(input.ctx),
  );
  core.info(decision.note);
  // After this shard's own issue: a matrix resized from M to N jobs leaves the k/M issues to close.
  const superseded = supersededShardIssues(
    listed,
    report.policyFile,
    settings.shard,
    login,
    runLink(input.ctx),
  );
  const created = await executeDriftIssueOps(gh, [...decision.ops, ...superseded], settings.driftLabel);
  const closed = superseded.filter((op) => op.op === 'close').map((op) => `#${op.issue}`);
  const note = closed.length
    ? `${decision.note}; ${closed.join(', ')} (of another shard count) closed`
    : decision.note;
  return { issue: decision.issue ?? created, note };
}

/**
 * The policy's drift issues: those our identity opened that carry the marker, found by the label and
 * also among the issues it opened (GET /issues?creator=), so an issue whose label a person removed is
 * still found, and gets its label back.
 */
async function findDriftIssues(gh: GitHubGateway, settings: FlowInput['settings'], marker: string) {
  const login = await ownLogin(gh, settings.botLogin);
  const listed = [
    ...(await gh.listIssuesByLabel(settings.driftLabel, 'all')),
    ...(await gh.listIssuesByCreator(login, 'all')),
  ];
  const issues = ownDriftIssues(listed, marker, login);
  const foreign = foreignMarkerAuthors(
    listed.filter((i) => !i.isPullRequest),
    marker,
    login,
  );
  if (foreign.length)
    core.warning(
      `an issue carrying this action's drift marker was opened by ${foreign.join(', ')}, not by ${login} ` +
        "(the identity of the github-token): it is not taken as the action's drift issue",
    );
  for (const issue of issues.filter((i) => !i.labels.includes(settings.driftLabel))) {
    await gh.addLabels(issue.number, [settings.driftLabel]);
    core.info(`drift issue #${issue.number} had lost its label ${settings.driftLabel}; it is back`);
  }
  return { issues, listed, login };
}

/** Schedule / dispatch: scan for drift with attribution, keep one issue, and revert or fail on request. */
export async function runDrift(input: FlowInput): Promise<FlowResult> {
  const { settings } = input;
  const scanned = await planLive(input);
  if (!scanned) return { failure: `the policy ${settings.policy} is invalid; no scan was made` };
  const { desired, gateway, plan } = scanned;
  const events = await readDriftEvents(gateway, desired, plan, {
    now: input.now,
    lookbackDays: DEFAULT_LOOKBACK_DAYS,
    concurrency: settings.concurrency,
  });
  // The drift issue speaks for the default branch's policy: a scan of another branch's policy
  // (a manual dispatch on a feature branch) reports in its summary only, and never edits or closes it.
  const offDefaultBranch = notOnDefaultBranch(input.ctx);
  const gh = offDefaultBranch ? null : await createGitHub(settings, input.ctx);
  // Asked before the first write to Twilio, and before the issue is written, so the issue says it.
  const current = policyCheck(input, gh);
  const settled = await settleExpired(input, scanned, frameDrift(plan, events, desired.guards), current);
  const report = await withCurrentPolicyNote(input, settled, current);
  const detected = driftDetected(report);
  setOutputs({
    'drift-detected': detected,
    'has-changes': detected,
    'change-count': report.items.length,
    'expired-disabled': expiredDisabled(report),
    'plan-fingerprint': report.fingerprint,
    'plan-json': await writeJsonReport(input, 'drift', renderReport('drift', 'json', report)),
  });
  logReport('Drift (text)', renderReport('drift', 'text', report));
  const markdown = driftSection(report);
  input.summary.push(markdown);

  // The scan is complete as far as it goes (report.complete says): from here a cancel lets the flow keep
  // the issue in step with it, record the revert and report, instead of stopping at once.
  input.cancel.beginWriting();
  const failures: string[] = [];
  let issue: number | null = null;
  if (offDefaultBranch)
    core.notice(`drift issue left untouched: ${offDefaultBranch}; the report is in the job summary`);
  else if (!gh) core.warning('no github-token: the drift report is in the job summary only');
  else {
    // After a cancel the runner kills the job soon: the issue gets a short grace, the summary has the rest.
    const synced = await input.cancel.quickly(attemptWrite(() => syncIssue(gh, input, report, markdown)));
    if (synced?.ok) {
      issue = synced.value.issue;
      input.summary.push(`Drift issue: ${synced.value.note}.`);
    } else if (synced) {
      const failure = issueNotSynced(input, mustRecord(report, detected), synced.error);
      if (failure) failures.push(failure);
    }
  }

  if (!report.complete) failures.push('the scan was incomplete: some accounts could not be read');
  failures.push(...expiryFailures(report));
  if (detected && settings.onDrift === 'fail')
    failures.push(`drift found: ${report.items.length} cell(s) differ`);
  if (detected && settings.onDrift === 'revert')
    issue = await revertUnlessHeld({ input, scanned, report, gh, current }, issue, failures);
  setOutputs({ 'issue-number': issue });
  // The clean-up pull request of the expired exceptions (flows/cleanup.ts): after the issue and the revert.
  await keepCleanupPullRequest(input, gh, expiredCellStates(desired, report));
  return { failure: failures.length ? failures.join('; ') : null };
}

/**
 * on-drift: revert once drift was found: not on a trigger that may not write (a failure), nor with a policy
 * the default branch has changed since (a race the next scheduled run settles, so not a failure), else
 * reverted and recorded. Answers the drift issue still open, if any.
 */
async function revertUnlessHeld(
  run: {
    input: FlowInput;
    scanned: NonNullable<Awaited<ReturnType<typeof planLive>>>;
    report: DriftReport;
    gh: Awaited<ReturnType<typeof createGitHub>> | null;
    current: PolicyCheck;
  },
  issue: number | null,
  failures: string[],
): Promise<number | null> {
  const { input, scanned, report, gh, current } = run;
  const noRevert = whyNoRevert(input.ctx);
  // Answered before the issue was written (withCurrentPolicyNote): asking again asks GitHub nothing.
  const heldBack = noRevert ? null : await current.heldBack();
  const why = noRevert ?? heldBack;
  if (!why) return revertAndRecord(input, scanned, report, gh, issue, failures);
  input.summary.push(`### Not reverted\n\n${mdText(why)}.`);
  if (noRevert) failures.push(noRevert);
  return issue;
}

/**
 * The report with the line of a policy check that held the run's writes back (flows/current-policy.ts),
 * asked here for a revert the run would make: one note in the issue, the summary and the log.
 */
async function withCurrentPolicyNote(
  input: FlowInput,
  report: DriftReport,
  current: PolicyCheck,
): Promise<DriftReport> {
  const reverts = input.settings.onDrift === 'revert' && driftDetected(report) && !whyNoRevert(input.ctx);
  if (reverts) await current.heldBack();
  const line = current.asked();
  return line ? { ...report, notices: [...(report.notices ?? []), line] } : report;
}

/** What the drift issue had to record, or null: drift found, and (as much) what this run closed itself. */
const mustRecord = (report: DriftReport, detected: boolean): string | null =>
  detected ? 'drift was found' : expiredDisabled(report) > 0 ? 'this run closed expired exceptions' : null;

/**
 * on-drift: revert: writes the policy back, records it on the drift issue (closing the issue when the
 * revert verified everything and the scan was complete), and adds why to `failures` when it did not.
 * Answers the drift issue still open, if any.
 */
async function revertAndRecord(
  input: FlowInput,
  scanned: NonNullable<Awaited<ReturnType<typeof planLive>>>,
  report: DriftReport,
  gh: Awaited<ReturnType<typeof createGitHub>> | null,
  openIssue: number | null,
  failures: string[],
): Promise<number | null> {
  const { desired, gateway } = scanned;
  let issue = openIssue;
  const target = gh && issue !== null ? { gh, issue } : null;
  const result = await revert(input, report, desired, gateway, target);
  const text = result.markdown;
  input.summary.push(text);
  if (target) {
    try {
      // A cancelled revert is not ok, so it never closes the issue.
      await input.cancel.quickly(
        reportingWrite('record the revert on the drift issue', async () => {
          if (result.record) await finishRevertRecord(result.record, input, text);
          else await target.gh.createComment(target.issue, text);
          if (result.ok && report.complete) {
            await target.gh.updateIssue(target.issue, { state: 'closed', stateReason: 'completed' });
            issue = null;
          }
        }),
      );
    } catch (err) {
      if (!(err instanceof GitHubError)) throw err;
      failures.push(
        `could not record the revert on issue #${target.issue} (${err.message}); the job summary has it, ` +
          'and the next on-drift: revert scan records it on the issue',
      );
    }
  }
  if (result.cancelled) failures.push('the revert was cancelled: accounts not started were skipped');
  else if (!result.ok) failures.push('the revert did not complete');
  return issue;
}

/**
 * Says why the drift issue could not be kept, and answers the job's failure: drift that was found, or
 * cells this run closed (`unrecorded` says which), but not recorded must not end green. Without either,
 * only a token that may not write (a 403) is a warning, as before; a rate limit or a timeout may have
 * left a cleared issue open, so it fails.
 */
function issueNotSynced(input: FlowInput, unrecorded: string | null, err: GitHubError): string | null {
  if (unrecorded) {
    const why = `${unrecorded} but not recorded on the drift issue: ${describeGitHubFailure(err)}`;
    input.summary.push(
      `### ⚠️ Drift not recorded\n\n${why}.\n\nThe report above is this scan's; re-run the job once the cause is fixed` +
        (unrecorded === 'drift was found'
          ? '.'
          : ' (what it closed is recorded here only: a re-run finds it closed).'),
    );
    return why;
  }
  if (err.kind === 'forbidden') {
    core.warning(notWrittenWarning('update the drift issue', err));
    return null;
  }
  const why = `the drift issue could not be checked: ${describeGitHubFailure(err)}`;
  input.summary.push(`### ⚠️ Drift issue not checked\n\n${why}.`);
  return why;
}

async function revert(
  input: FlowInput,
  report: DriftReport,
  desired: DesiredState,
  gateway: TwilioGateway,
  target: { gh: GitHubGateway; issue: number } | null,
): Promise<{ ok: boolean; cancelled: boolean; markdown: string; record: RevertRecord | null }> {
  let record: RevertRecord | null = null;
  const outcome = await guardAndApply({
    desired,
    plan: report.plan,
    gateway,
    ...applyInputs(input),
    // Once the guards passed and before the first write: the record a later scan can finish.
    confirm: async () => {
      if (target) record = await openRevertRecord(target.gh, target.issue, input, report);
      return true;
    },
  });
  if (outcome.status === 'refused')
    return {
      ok: false,
      cancelled: false,
      markdown: renderReport('refusals', 'markdown', outcome.refusals),
      record,
    };
  const cancelled = input.cancel.signal.aborted;
  if (outcome.status !== 'applied')
    return { ok: false, cancelled, markdown: 'Nothing was reverted.', record };
  const { result } = outcome;
  const heading = result.cancelled ? 'Revert cancelled part-way' : 'Reverted to the policy';
  return {
    ok: result.ok,
    cancelled: result.cancelled === true,
    markdown: `### ${heading} (\`on-drift: revert\`)\n\n${renderReport('apply', 'markdown', result)}`,
    record,
  };
}
