import { guardAndApply } from '../../apply/guard-and-apply.js';
import { applySection, notAppliedSection, renderReport } from '../../report/index.js';
import { createGitHub } from '../adapters.js';
import { whyNoApply } from '../triggers.js';
import { logReport, setOutputs } from '../runner-io.js';
import { planLive, writeJsonReport } from './live.js';
import { postApplyResult, resultMissing, writeApplyRecord } from './apply-result.js';
import { gateChanges } from './review-gate.js';
import { recoveredApplySection } from '../../report/records.js';
import { type FlowInput, type FlowResult, applyInputs } from './shared.js';

export { mergedPullRequest } from './review-gate.js';

/**
 * Merge (or a dispatch of the default branch): re-plan, refuse enables that were not reviewed
 * (disables proceed), check the guards, apply with read-back, keep the result as a JSON record, and
 * report cell by cell on the merged pull request and in the summary.
 */
export async function runApply(input: FlowInput): Promise<FlowResult> {
  // preflight refused this already; checked again so the flow never writes from another trigger.
  const notHere = whyNoApply(input.ctx);
  if (notHere) {
    input.summary.push(notAppliedSection(notHere));
    return { failure: notHere };
  }
  const live = await planLive(input);
  if (!live) return { failure: `the policy ${input.settings.policy} is invalid; nothing was applied` };
  const { desired, gateway, plan } = live;
  // `plan-json` names the plan until the apply has run, then its record.
  setOutputs({
    'has-changes': plan.summary.changes > 0,
    'change-count': plan.summary.changes,
    'plan-fingerprint': plan.fingerprint,
    'plan-json': await writeJsonReport(input, 'plan', renderReport('plan', 'json', plan)),
  });

  const gh = await createGitHub(input.settings, input.ctx);
  if (!gh)
    return { failure: 'github-token is required to apply: the merged pull request holds the reviewed plan' };
  const gate = await gateChanges(gh, input, plan);
  const failures = [...gate.failures];
  const sections = [...gate.sections];

  // From here a cancel lets the apply end its accounts in flight and report, instead of stopping at once.
  input.cancel.beginWriting();
  const outcome = await guardAndApply({
    desired,
    plan: gate.toApply,
    gateway,
    // The plan's reads, seconds old (no person waits between them and the writes), serve the apply.
    ...applyInputs(input, live.live.accounts),
  });
  let record: string | null = null;
  setOutputs({ guards: outcome.status === 'refused' ? 'refuse' : 'pass' });
  if (outcome.status === 'refused') {
    logReport('Apply refused by the guards (text)', renderReport('refusals', 'text', outcome.refusals));
    sections.push(renderReport('refusals', 'markdown', outcome.refusals));
    failures.push(...outcome.refusals.map((r) => r.message));
  } else {
    const { result } = outcome;
    logReport('Apply result (text)', renderReport('apply', 'text', result));
    record = await writeApplyRecord(input, result);
    sections.push(renderReport('apply', 'markdown', result));
    if (result.cancelled)
      failures.push(`the apply was cancelled: ${result.summary.skipped} cell(s) skipped, see the summary`);
    else if (!result.ok) failures.push(`apply did not verify every cell (${result.summary.failed} failed)`);
  }

  // Nothing left to do and no result on the merged PR: an earlier run's post was lost; this one posts it.
  const missing = outcome.status === 'applied' && resultMissing(input, gate.review, plan);
  if (missing && gate.review)
    sections.unshift(recoveredApplySection(input.ctx, plan.policyFile, gate.review.pr.number));
  const markdown = applySection(plan.policyFile, input.ctx.sha, sections);
  input.summary.push(markdown);
  const notPosted = await postApplyResult(gh, input, {
    review: gate.review,
    plan,
    markdown,
    record,
    missing,
  });
  if (notPosted) failures.push(notPosted);
  return { failure: failures.length ? failures.join('; ') : null };
}
