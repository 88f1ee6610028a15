import { hasErrors } from '../../model/diagnostics.js';
// Straight from its module, not the report table: the validate path loads no other renderer.
import { validateSections } from '../../report/diagnostics.js';
import { readAndLoadPolicy } from '../../policy/read-file.js';
import { annotate, setOutputs } from '../runner-io.js';
import { fromFork } from '../mode.js';
// A type only: the validate path loads no renderer.
import type { NotPlanned } from '../../report/staleness.js';
import { POLICY_INPUT_HINT, type FlowInput, type FlowResult } from './shared.js';

/** Checks the policy without any network: annotations on the lines, every diagnostic in the summary. */
export async function runValidate(input: FlowInput): Promise<FlowResult> {
  const { settings, summary } = input;
  const { diagnostics } = await readAndLoadPolicy(settings.policy, {
    pointAt: POLICY_INPUT_HINT,
    confine: { workspace: settings.workspace },
    now: input.now,
    mode: 'validate',
  });
  annotate(diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  summary.push(...validateSections(settings.policy, diagnostics, input.reason));
  setOutputs({ 'has-changes': false, 'change-count': 0 });
  const notPlanned = stalePlanReason(input, hasErrors(diagnostics));
  // Loaded only here: the validate path of every other run makes no GitHub request.
  if (notPlanned) await (await import('./stale.js')).markPlanCommentStale(input, notPlanned);
  return { failure: hasErrors(diagnostics) ? `the policy ${settings.policy} has ${errors} error(s)` : null };
}

/**
 * Why a pull request's plan comment no longer shows its latest push, or null: the push is invalid, or a
 * plan was asked for without Twilio credentials. A fork gets no secrets by GitHub's rules (and a read-only
 * token), so its comment is left as it is.
 */
function stalePlanReason(input: FlowInput, invalid: boolean): NotPlanned | null {
  // A pull_request_target run validates here when it did not check out the head: nothing of the push is known.
  if (input.ctx.eventName !== 'pull_request') return null;
  if (invalid) return { kind: 'invalid' };
  if (input.noCredentials && !fromFork(input.ctx))
    return {
      kind: 'unplanned',
      why: 'this run was given no Twilio credentials (twilio-account-sid and a token or API key)',
    };
  return null;
}
