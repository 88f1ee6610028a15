// report/: EVERY renderer of the tool, and the one table of its outputs: each report (plan, apply, drift,
// binding, diagnostics, why, refusals) in each format (text for terminals, Markdown for
// comments, issues and job summaries, JSON for machines). Nothing outside this folder turns a plan, a
// result or a decision into words; the CLI and the action pick a cell here (`renderReport`) or one of the
// action's sections below. Every policy- or Twilio-sourced string (account names, messages, file names)
// is escaped here, in the format's own way (escape.ts: mdText, mdCode, termText, jsonText), so no caller
// has to.
//
// May import: model/ (the data), plan/ (the decisions' result types, and cells.ts's marker reader),
// catalog/. Never the edges (twilio/, github/, action/, cli/, emulator/), never I/O (ESLint enforces it).
//
// One module per report (plan.ts, apply.ts, drift.ts, binding.ts, diagnostics.ts, why.ts, exceptions.ts;
// expired.ts is the drift report's part on expired exceptions), each holding
// its text, Markdown and JSON; format.ts holds the words they share, text.ts / markdown.ts / json.ts the
// building blocks of each format.
import type { Diagnostic } from '../model/diagnostics.js';
import type { ApplyResult, DriftReport, ExceptionReport, Plan } from '../model/plan.js';
import type { GuardRefusal } from '../plan/guards.js';
import { applyToJson, renderApplyMarkdown, renderApplyText } from './apply.js';
import { bindingToJson, renderBindingMarkdown, renderBindingText, type BindingReport } from './binding.js';
import { diagnosticsToJson, renderDiagnosticsMarkdown, renderDiagnosticsText } from './diagnostics.js';
import { driftToJson, renderDriftMarkdown, renderDriftText } from './drift.js';
import { exceptionsToJson, renderExceptionsMarkdown, renderExceptionsText } from './exceptions.js';
import type { MarkdownOptions } from './markdown.js';
import { planToJson, renderPlanMarkdown, renderPlanText } from './plan.js';
import { refusalsToJson, renderRefusalsMarkdown, renderRefusalsText } from './refusals.js';
import type { TextOptions } from './text.js';
import { renderWhyMarkdown, renderWhyText, whyToJson, type WhyReport } from './why.js';

export type ReportFormat = 'text' | 'markdown' | 'json';

/** What each report renders: the table's rows. */
export interface ReportValues {
  plan: Plan;
  apply: ApplyResult;
  drift: DriftReport;
  binding: BindingReport;
  diagnostics: readonly Diagnostic[];
  why: WhyReport;
  refusals: readonly GuardRefusal[];
  exceptions: ExceptionReport;
}
export type ReportKind = keyof ReportValues;

/** A row of the table: the report in each format. */
export interface Renderers<T> {
  text(value: T, options?: TextOptions): string;
  markdown(value: T, options?: MarkdownOptions): string;
  json(value: T): string;
}

/** Every option any cell takes; a cell reads only its own (colour for text, size and title for Markdown). */
export interface RenderOptions extends MarkdownOptions {
  color?: boolean;
}

/** The table of outputs: every report x every format. */
export const REPORTS: { readonly [K in ReportKind]: Renderers<ReportValues[K]> } = {
  plan: { text: renderPlanText, markdown: renderPlanMarkdown, json: planToJson },
  apply: { text: renderApplyText, markdown: renderApplyMarkdown, json: applyToJson },
  drift: { text: renderDriftText, markdown: renderDriftMarkdown, json: driftToJson },
  binding: { text: renderBindingText, markdown: renderBindingMarkdown, json: bindingToJson },
  diagnostics: { text: renderDiagnosticsText, markdown: renderDiagnosticsMarkdown, json: diagnosticsToJson },
  why: { text: renderWhyText, markdown: renderWhyMarkdown, json: whyToJson },
  refusals: { text: renderRefusalsText, markdown: renderRefusalsMarkdown, json: refusalsToJson },
  exceptions: { text: renderExceptionsText, markdown: renderExceptionsMarkdown, json: exceptionsToJson },
};

/** One cell of the table: `kind` rendered as `format`. */
export function renderReport<K extends ReportKind>(
  kind: K,
  format: ReportFormat,
  value: ReportValues[K],
  options: RenderOptions = {},
): string {
  const row: Renderers<ReportValues[K]> = REPORTS[kind];
  if (format === 'json') return row.json(value);
  if (format === 'markdown') return row.markdown(value, { maxChars: options.maxChars, title: options.title });
  return row.text(value, { color: options.color ?? false });
}

// The first line of each report, which the CLI prints when the report itself goes to a file.
export { applySummaryLine, planSummaryLine } from './format.js';
export { driftVerdictLine as driftSummaryLine } from './drift.js';
export { exceptionsSummaryLine } from './exceptions.js';
// The action's sections: a report under its heading, or a heading over several reports.
export { applySection, notAppliedSection } from './apply.js';
export { driftIssueText, driftIssueTitle, driftSection } from './drift.js';
export { invalidPolicySection, validateSections } from './diagnostics.js';
export { planSection, reviewedPlanFooter, shownChanges, unshownChangesNote } from './plan.js';
export { renderGuardVerdictMarkdown, renderGuardVerdictText } from './guard-verdict.js';
export * from './staleness.js';
export { planReviewSection } from './plan-review.js';
export { cleanupPrMarkdown, cleanupPrTitle, type CleanupPrInput } from './cleanup-pr.js';
// The escapers, for the few sections written outside report/ (the action's flows): every policy- or
// Twilio-sourced string passes through one of them.
export { jsonText, mdCode, mdText, oneLine, tableCell, termText } from './escape.js';
export type { BindingReport } from './binding.js';
export type { MarkdownOptions } from './markdown.js';
export type { TextOptions } from './text.js';
