// The apply report: how every written cell ended (verified, failed, manual, skipped) and why. Also the
// action's apply section, which holds the binding refusal, the guards' refusal or this report.
import { accountErrorLines, accountErrorsText } from './account-errors.js';
import type { ApplyResult, CellOutcome, CellResult, Direction } from '../model/plan.js';
import { exposureRows, type ExposureRow } from './exposure-groups.js';
import { EXPOSURE_HEAD, renderRows, type RowDetail } from './exposure-table.js';
import {
  CATEGORY_LABEL,
  applySummaryLine,
  cellDetail,
  country,
  plural,
  transition,
  type Escape,
} from './format.js';
import { mdCode, mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import {
  DEFAULT_MAX_CHARS,
  RISK_BADGE,
  fit,
  heading,
  listWithLimit,
  note,
  tableOf,
  type Level,
} from './markdown.js';
import type { MarkdownOptions } from './markdown.js';
import { RISK_STYLE, painter, table, type Paint, type Style, type TextOptions } from './text.js';

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
  for (const line of accountErrorsText(result.accountErrors, { what: 'failed' }))
    lines.push(paint('red', line));
  lines.push(...appliedText(result, 'opens', paint), ...appliedText(result, 'closes', paint));
  const rows = table(result.cells.map((c) => cellColumns(c, termText)));
  if (rows.length > 0) lines.push('', 'Every cell:');
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

const APPLIED_HEADING = { opens: 'Opened', closes: 'Closed' } as const;

/**
 * What the apply verifiably opened or closed, grouped across accounts as the plan shows it. An apply
 * result knows only the accounts it touched, so the rows name their accounts (never "all N").
 */
function appliedRows(
  result: ApplyResult,
  direction: Direction,
  detail: RowDetail,
  esc: Escape,
  badge: (r: ExposureRow) => string,
) {
  const verified = result.cells.filter((c) => c.outcome === 'verified');
  return renderRows(exposureRows(verified), direction, detail, [], esc, badge);
}

function appliedSection(result: ApplyResult, direction: Direction, detail: RowDetail): string[] {
  const rows = appliedRows(result, direction, detail, mdText, (r) => RISK_BADGE[r.risk]);
  if (rows.length === 0) return [];
  return [
    '',
    `#### ${APPLIED_HEADING[direction]}`,
    '',
    ...tableOf(
      EXPOSURE_HEAD,
      rows.map((r) => r.cells),
    ),
  ];
}

/** The same sections for terminals, coloured by risk. */
function appliedText(result: ApplyResult, direction: Direction, paint: Paint): string[] {
  const rows = appliedRows(result, direction, 'cells', termText, (r) => r.risk);
  if (rows.length === 0) return [];
  const lines = table(rows.map((r) => r.cells));
  return [
    '',
    `${APPLIED_HEADING[direction]}:`,
    ...rows.map((r, i) => paint(RISK_STYLE[r.row.risk], lines[i] ?? '')),
  ];
}

/** The cells that did not end verified (failed, manual, skipped), each with why. */
function notDone(result: ApplyResult): string[] {
  const cells = result.cells.filter((c) => c.outcome !== 'verified');
  if (cells.length === 0) return [];
  return [
    '',
    '#### Not applied',
    '',
    ...tableOf(
      CELL_HEAD,
      cells.map((c) => cellColumns(c, mdText)),
    ),
  ];
}

const CELL_HEAD = ['result', 'account', 'permission', 'country', 'change', 'detail'];

/** The verified cells one by one, folded: with the table above, no cell is left out of the report. */
function verifiedCells(result: ApplyResult): string[] {
  const cells = result.cells.filter((c) => c.outcome === 'verified');
  if (cells.length === 0) return [];
  return [
    '',
    `<details><summary>Verified cells: ${plural(cells.length, 'cell')}</summary>`,
    '',
    ...tableOf(
      CELL_HEAD,
      cells.map((c) => cellColumns(c, mdText)),
    ),
    '',
    '</details>',
  ];
}

const APPLIED_DETAIL: Record<Level, RowDetail> = {
  cells: 'cells',
  continents: 'continents',
  totals: 'totals',
};

/**
 * The apply for review: the verdict, account errors, what opened (critical first) and closed, what was
 * not applied and why, then the verified cells folded. Below cell detail: medium and low rows reduced, counts
 * per account, and the failed cells one by one as long as they fit.
 */
export function renderApplyMarkdown(result: ApplyResult, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  const errors = listWithLimit(
    '**Account errors:**',
    accountErrorLines(result.accountErrors, { what: 'failed' }),
    (line) => line,
    50,
  );
  return fit(
    (level, rowLimit) =>
      [
        ...heading(applySummaryLine(result), result.fingerprint, options.title),
        ...errors,
        ...note(level),
        ...appliedSection(result, 'opens', APPLIED_DETAIL[level]),
        ...appliedSection(result, 'closes', APPLIED_DETAIL[level]),
        ...(level === 'cells'
          ? [...notDone(result), ...verifiedCells(result)]
          : ['', ...applyCounts(result, level, rowLimit)]),
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
