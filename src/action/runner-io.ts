import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import type { Diagnostic } from '../model/diagnostics.js';
import { formatDiagnostic } from '../model/diagnostics.js';
import { selectAnnotations } from './annotations.js';
import { fitSummary } from '../github/summary.js';

/** Annotates diagnostics on their file and line, capped per type, with one notice for the rest. */
export function annotate(diagnostics: readonly Diagnostic[]): void {
  const { shown, omitted } = selectAnnotations(diagnostics);
  for (const d of shown) {
    const props = { file: d.location.file, startLine: d.location.line, startColumn: d.location.column };
    if (d.severity === 'error') core.error(d.message, props);
    else core.warning(d.message, props);
  }
  const more = [
    omitted.error ? `${omitted.error} more error(s)` : '',
    omitted.warning ? `${omitted.warning} more warning(s)` : '',
  ].filter(Boolean);
  if (more.length) core.notice(`…and ${more.join(' and ')}; the job summary lists them all.`);
  for (const d of diagnostics) core.info(formatDiagnostic(d));
}

/** Writes the job summary (replacing what this step wrote), tolerating a run outside a runner. */
export async function writeSummary(sections: readonly string[], overflowNote: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(sections.join('\n\n'));
    return;
  }
  await core.summary.addRaw(fitSummary(sections, overflowNote)).write({ overwrite: true });
}

export function setOutputs(outputs: Record<string, string | number | boolean | null>): void {
  for (const [name, value] of Object.entries(outputs))
    if (value !== null) core.setOutput(name, String(value));
}

/**
 * A report in the job log, as text in a collapsed group (as Terraform's plan is). Workflow commands are
 * stopped around it: a line of it that starts with `::` (an account named so) is printed, never obeyed.
 */
export function logReport(title: string, text: string): void {
  const resume = randomUUID();
  core.startGroup(title);
  core.info(`::stop-commands::${resume}`);
  core.info(text.trimEnd());
  core.info(`::${resume}::`);
  core.endGroup();
}
