import { hasErrors } from '../../model/diagnostics.js';
// Straight from its module, not the report table: the validate path loads no other renderer.
import { validateSections } from '../../report/diagnostics.js';
import { readAndLoadPolicy } from '../../policy/read-file.js';
import { annotate, setOutputs } from '../runner-io.js';
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
  return { failure: hasErrors(diagnostics) ? `the policy ${settings.policy} has ${errors} error(s)` : null };
}
