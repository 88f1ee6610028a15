// The policy's diagnostics (errors and warnings, each with its file:line:col), and the action's
// validate and invalid-policy sections built from them.
import type { Diagnostic } from '../model/diagnostics.js';
import { formatDiagnostic, sortDiagnostics } from '../model/diagnostics.js';
import { mdCode, mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { tableOf } from './markdown.js';
import type { TextOptions } from './text.js';
import { painter } from './text.js';

/** One `FILE:LINE:COL: error|warning: MESSAGE` line each, the format editors and CI logs link. */
export function renderDiagnosticsText(
  diagnostics: readonly Diagnostic[],
  options: TextOptions = { color: false },
): string {
  const paint = painter(options.color);
  return sortDiagnostics(diagnostics)
    .map((d) => `${paint(d.severity === 'error' ? 'red' : 'yellow', termText(formatDiagnostic(d)))}\n`)
    .join('');
}

/** Every diagnostic as a table (annotations show only the first few of each kind); '' when none. */
export function renderDiagnosticsMarkdown(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  const rows = sortDiagnostics(diagnostics).map((d) => [
    d.severity,
    mdCode(`${d.location.file}:${d.location.line}:${d.location.column}`),
    mdText(d.message),
  ]);
  return tableOf(['severity', 'where', 'message'], rows).join('\n');
}

export function diagnosticsToJson(diagnostics: readonly Diagnostic[]): string {
  const sorted = sortDiagnostics(diagnostics);
  return stringify({
    kind: 'diagnostics',
    schemaVersion: JSON_SCHEMA_VERSION,
    errors: sorted.filter((d) => d.severity === 'error').length,
    warnings: sorted.filter((d) => d.severity === 'warning').length,
    diagnostics: sorted,
  });
}

// ---- the action's sections ----

const errorCount = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.filter((d) => d.severity === 'error').length;

/** The validate mode's summary sections: the verdict with its counts, then the table when there is one. */
export function validateSections(
  policy: string,
  diagnostics: readonly Diagnostic[],
  reason: string,
): string[] {
  const errors = errorCount(diagnostics);
  const warnings = diagnostics.length - errors;
  const verdict = [
    `## Geo permissions policy ${mdCode(policy)}: ${errors ? '❌ invalid' : '✅ valid'}`,
    '',
    `${errors} error(s), ${warnings} warning(s). Mode: validate (${reason}).`,
  ].join('\n');
  const table = renderDiagnosticsMarkdown(diagnostics);
  return table ? [verdict, table] : [verdict];
}

/** Why a plan, apply or drift scan stopped before reading Twilio: the policy's errors. */
export function invalidPolicySection(policy: string, diagnostics: readonly Diagnostic[]): string {
  return (
    `## ❌ Policy ${mdCode(policy)} is invalid; nothing was read from or written to Twilio\n\n` +
    renderDiagnosticsMarkdown(diagnostics)
  );
}
