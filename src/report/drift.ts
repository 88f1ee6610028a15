// The drift report: every cell whose live value differs from the policy, and who changed it. Also the
// drift section of the job summary and the drift issue's text.
import type { DriftItem, DriftReport } from '../model/plan.js';
import { CATEGORY_LABEL, country, describeActor, driftSummaryLine, valueLabel } from './format.js';
import { mdCode, mdText, oneLine, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import {
  DEFAULT_MAX_CHARS,
  RISK_BADGE,
  fit,
  heading,
  listWithLimit,
  note,
  tableOf,
  type MarkdownOptions,
} from './markdown.js';
import { accountSections, exceptionsAndWarningsMarkdown, exceptionsAndWarningsText } from './plan.js';
import { painter, type TextOptions } from './text.js';

export function renderDriftText(report: DriftReport, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const lines = [
    paint(report.items.length > 0 ? 'yellow' : 'green', driftSummaryLine(report)),
    `Fingerprint: ${report.fingerprint}`,
  ];
  for (const a of report.plan.accounts.filter((x) => x.error !== null))
    lines.push(
      paint('red', `${termText(a.account)} (${termText(a.sid)}): not read: ${termText(a.error ?? '')}`),
    );
  let current = '';
  for (const item of report.items) {
    if (item.account !== current) {
      current = item.account;
      lines.push('', paint('bold', `${termText(item.account)} (${termText(item.sid)})`));
    }
    const manual = item.kind === 'manual' ? ` [manual: ${item.manual?.consolePath}]` : '';
    lines.push(
      `  ${CATEGORY_LABEL[item.category]} ${country(item, termText)}: live ${valueLabel(item.from, item.category)}, policy ${valueLabel(item.to, item.category)}${manual}`,
      `    changed by: ${describeActor(item, report.lookbackDays, termText)}`,
    );
  }
  for (const a of report.plan.accounts)
    for (const u of a.unknown)
      lines.push(
        `  ${termText(a.account)}: Twilio lists ${termText(u.country)} (${CATEGORY_LABEL[u.category]}), unknown to the catalog: decide`,
      );
  lines.push(...exceptionsAndWarningsText(report.plan, true), '');
  return lines.join('\n');
}

/** Every drifted cell, a table per account, with the live and the policy value in their own columns. */
function driftCells(report: DriftReport): string[] {
  const lines: string[] = [];
  const byAccount = new Map<string, DriftItem[]>();
  for (const i of report.items) byAccount.set(i.account, [...(byAccount.get(i.account) ?? []), i]);
  for (const [account, items] of byAccount) {
    lines.push('', `### ${mdText(account)} ${mdCode(items[0]?.sid ?? '')}`, '');
    lines.push(
      ...tableOf(
        ['risk', 'permission', 'country', 'live', 'policy', 'changed by'],
        items.map((i) => [
          RISK_BADGE[i.risk],
          CATEGORY_LABEL[i.category],
          country(i, mdText),
          valueLabel(i.from, i.category),
          valueLabel(i.to, i.category) + (i.kind === 'manual' ? ' (manual step)' : ''),
          describeActor(i, report.lookbackDays, mdText),
        ]),
      ),
    );
  }
  for (const a of report.plan.accounts)
    lines.push(
      ...listWithLimit(
        `**Decisions to take** in ${mdText(a.account)}: Twilio lists these, the catalog does not know them:`,
        a.unknown,
        (u) => `${mdText(u.country)}, ${CATEGORY_LABEL[u.category]}${u.enabledLive ? ', enabled live' : ''}`,
        50,
      ),
    );
  for (const a of report.plan.accounts.filter((x) => x.error !== null))
    lines.push('', `${mdText(a.account)} ${mdCode(a.sid)}: not read: ${mdText(a.error ?? '')}`);
  return lines;
}

export function renderDriftMarkdown(report: DriftReport, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  return fit(
    (level, rowLimit) =>
      [
        ...heading(driftSummaryLine(report), report.fingerprint, options.title),
        ...note(level),
        ...(level === 'cells' ? driftCells(report) : accountSections(report.plan, level, rowLimit)),
        ...exceptionsAndWarningsMarkdown(report.plan, level, true),
        '',
      ].join('\n'),
    max,
    report.plan.accounts.length,
  );
}

/** The drift report; its `plan` is embedded without the duplicate change list (the items carry it). */
export function driftToJson(report: DriftReport): string {
  const { plan, ...rest } = report;
  return stringify({
    kind: 'drift',
    ...rest,
    schemaVersion: JSON_SCHEMA_VERSION,
    summary: plan.summary,
    accounts: plan.accounts.map(({ changes: _changes, ...account }) => account),
    expiring: plan.expiring,
    warnings: plan.warnings,
  });
}

// ---- the action's drift section and issue ----

/** The drift report as the job summary and the drift issue show it: headed by the policy file. */
export function driftSection(report: DriftReport, options: MarkdownOptions = {}): string {
  return `### Twilio geo permissions drift: ${mdCode(report.policyFile)}\n\n${renderDriftMarkdown(report, options)}`;
}

/** The drift issue's title: one issue per policy file (and shard, when the scan is sharded), on one line. */
export function driftIssueTitle(policyFile: string, shard: string | null): string {
  return oneLine(`Geo permissions drift: ${policyFile}${shard ? ` (shard ${shard})` : ''}`);
}

/** The drift issue's text: the report, then where it came from, how it stays current and how to fix it. */
export function driftIssueText(driftMarkdown: string, runLink: string): string {
  return [
    driftMarkdown.trimEnd(),
    '',
    `Found by [this scan](${runLink}). This issue is kept up to date by the scheduled drift scan and closed ` +
      'automatically after a complete scan finds no drift. To fix it, either apply the policy (merge a change, ' +
      'or run the action with `on-drift: revert`) or change the policy to accept the live values.',
  ].join('\n');
}
