import { hasErrors } from '../../model/diagnostics.js';
import { readAndLoadPolicy } from '../../policy/read-file.js';
import { annotate, setOutputs } from '../runner-io.js';
import { renderDiagnosticsTable } from '../../github/summary.js';
import { POLICY_INPUT_HINT, type FlowInput, type FlowResult } from './shared.js';

/** Checks the policy without any network: annotations on the lines, every diagnostic in the summary. */
export async function runValidate(input: FlowInput): Promise<FlowResult> {
  const { settings, summary } = input;
  const { diagnostics } = await readAndLoadPolicy(settings.policy, {
    pointAt: POLICY_INPUT_HINT,
    now: input.now,
    mode: 'validate',
  });
  annotate(diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  summary.push(
    [
      `## Geo permissions policy \`${settings.policy}\`: ${errors ? '❌ invalid' : '✅ valid'}`,
      '',
      `${errors} error(s), ${warnings} warning(s). Mode: validate (${input.reason}).`,
    ].join('\n'),
  );
  const table = renderDiagnosticsTable(diagnostics);
  if (table) summary.push(table);
  setOutputs({ 'has-changes': false, 'change-count': 0 });
  return { failure: hasErrors(diagnostics) ? `the policy ${settings.policy} has ${errors} error(s)` : null };
}
