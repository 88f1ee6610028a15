// The apply report: how every written cell ended (verified, failed, manual, skipped) and why. Also the
// action's apply section, which holds the binding refusal, the guards' refusal or this report.
import type { ApplyResult, CellOutcome, CellResult } from '../model/plan.js';
import { CATEGORY_LABEL, applySummaryLine, cellDetail, country, transition, type Escape } from './format.js';
import { mdCode, mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { DEFAULT_MAX_CHARS, fit, heading, listWithLimit, note, tableOf, type Level } from './markdown.js';
import type { MarkdownOptions } from './markdown.js';
import { painter, table, type Style, type TextOptions } from './text.js';

const OUTCOME_STYLE: Record<CellOutcome, Style> = {
  verified: 'green',
  failed: 'red',
  manual: 'yellow',
  skipped: 'yellow',
};

const cellColumns = (c: CellResult, esc: Escape): string[] => [
  c.outcome,
  esc(c.account),
  CATEGORY_LABEL[c.category],
  country(c, esc),
  transition(c),
  cellDetail(c, esc),
];

export function renderApplyText(result: ApplyResult, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const lines = [
    paint(result.ok ? 'green' : 'red', applySummaryLine(result)),
    `Fingerprint: ${result.fingerprint}`,
  ];
  for (const e of result.accountErrors)
    lines.push(paint('red', `${termText(e.account)} (${termText(e.sid)}): ${termText(e.message)}`));
  const rows = table(result.cells.map((c) => cellColumns(c, termText)));
  if (rows.length > 0) lines.push('');
  result.cells.forEach((c, i) => lines.push(paint(OUTCOME_STYLE[c.outcome], rows[i] ?? '')));
  return [...lines, ''].join('\n');
}

/** Below cell level: counts per account, and the failed cells one by one as long as they fit. */
function applyCounts(result: ApplyResult, level: Level, rowLimit: number): string[] {
  const failed = result.cells.filter((c) => c.outcome === 'failed');
  const accounts = [...new Set(result.cells.map((c) => c.account))];
  const perAccount = accounts.slice(0, rowLimit).map((a) => {
    const mine = result.cells.filter((c) => c.account === a);
    const n = (o: string) => mine.filter((c) => c.outcome === o).length;
    return [mdText(a), n('verified'), n('failed'), n('manual'), n('skipped')];
  });
  const more =
    accounts.length > perAccount.length
      ? ['', `…and ${accounts.length - perAccount.length} more accounts; see the JSON report.`]
      : [];
  const failures =
    level === 'continents' && failed.length > 0
      ? [
          '',
          '**Failed cells:**',
          '',
          ...tableOf(
            ['account', 'permission', 'country', 'detail'],
            failed.map((c) => [
              mdText(c.account),
              CATEGORY_LABEL[c.category],
              country(c, mdText),
              cellDetail(c, mdText),
            ]),
          ),
        ]
      : [];
  return [
    ...tableOf(['account', 'verified', 'failed', 'manual', 'skipped'], perAccount),
    ...more,
    ...failures,
  ];
}

export function renderApplyMarkdown(result: ApplyResult, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  const errors = listWithLimit(
    '**Account errors:**',
    result.accountErrors,
    (e) => `${mdText(e.account)} ${mdCode(e.sid)}: ${mdText(e.message)}`,
    50,
  );
  return fit(
    (level, rowLimit) =>
      [
        ...heading(applySummaryLine(result), result.fingerprint, options.title),
        ...errors,
        ...note(level),
        '',
        ...(level === 'cells'
          ? tableOf(
              ['result', 'account', 'permission', 'country', 'change', 'detail'],
              result.cells.map((c) => cellColumns(c, mdText)),
            )
          : applyCounts(result, level, rowLimit)),
        '',
      ].join('\n'),
    max,
    new Set(result.cells.map((c) => c.account)).size,
  );
}

export function applyToJson(result: ApplyResult): string {
  return stringify({ kind: 'apply', ...result, schemaVersion: JSON_SCHEMA_VERSION });
}

// ---- the action's apply section ----

/** The merge's section in the job summary and the result comment: its heading, then each part. */
export function applySection(policyFile: string, sha: string, parts: readonly string[]): string {
  return [`## Apply of ${mdCode(policyFile)} at ${mdText(sha.slice(0, 7))}`, ...parts].join('\n\n');
}

/** The section of an apply that did not start, and why (a plain sentence without its final stop: it may name a ref). */
export function notAppliedSection(why: string): string {
  return `## ❌ Not applied\n\n${mdText(why)}.`;
}
