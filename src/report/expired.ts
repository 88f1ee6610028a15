// What a drift run did with the cells expired exceptions left open (DriftReport.expired): the cells it
// closed (closes, low risk, listed right after what is open beyond the policy, never hidden), and those
// still open with why. Each row names the exception (its account or template, list, country, expiry,
// file and line), its ticket and reason, and who is affected: the accounts, and the subaccounts that
// follow a parent's voice lists through inheritance, which lose the cell with it. Part of the drift
// report in every format (report/drift.ts).
import type { ExpiringException } from '../model/desired.js';
import type { DriftReport, ExpiredResult, ExpiryEnforcement } from '../model/plan.js';
import { refusesCredentials } from '../catalog/index.js';
import { mdCode, mdText, termText } from './escape.js';
import { accountsLabel, lastRouteWords, type Fleet, type GroupAccount } from './exposure-groups.js';
import { CATEGORY_LABEL, country, named, plural, where, type Escape } from './format.js';
import { RISK_BADGE, tableOf } from './markdown.js';
import { RISK_STYLE, table, type Paint } from './text.js';

/** The same exception's cell with the same outcome, across accounts: one row. */
interface ExpiredRow {
  first: ExpiredResult;
  accounts: GroupAccount[];
  inheritedBy: GroupAccount[];
}

const exceptionId = (e: ExpiringException): string =>
  [e.fleet ?? '', e.account, e.list, e.country, e.expires, e.location.line].join('|');

/** The cells as rows: one per exception, cell, outcome and reason, in the order the cells come. */
function rowsOf(cells: readonly ExpiredResult[]): ExpiredRow[] {
  const rows = new Map<string, ExpiredRow>();
  for (const c of cells) {
    const key = [exceptionId(c.exception), c.category, c.country, c.outcome, c.detail, c.note].join('\u0000');
    const row = rows.get(key) ?? { first: c, accounts: [], inheritedBy: [] };
    row.accounts.push({ account: c.account, sid: c.sid });
    for (const f of c.inheritedBy) if (!row.inheritedBy.some((g) => g.sid === f.sid)) row.inheritedBy.push(f);
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** "expired 2026-11-30 (2 days ago), geo-permissions.yml:14", a template's named first. */
function exceptionLabel(e: ExpiringException, esc: Escape, code: Escape): string {
  const owner = e.fleet !== undefined ? `template ${esc(e.fleet)}, ` : '';
  return `${owner}expired ${esc(e.expires)} (${plural(-e.daysLeft, 'day')} ago), ${code(where(e.location))}`;
}

const ticketOf = (e: ExpiringException, esc: Escape): string => (e.ticket ? esc(e.ticket) : '-');
const reasonOf = (e: ExpiringException, esc: Escape): string => (e.reason ? esc(e.reason) : '-');

/** The row's accounts, at most `max` named (a template's members: "all 40 subaccounts of prod"). */
function accountsOf(row: ExpiredRow, fleet: Fleet, esc: Escape, max: number): string {
  const label = accountsLabel(row.accounts, fleet, esc);
  const names = row.accounts.map((a) => esc(a.account));
  return label !== names.join(', ') ? label : named(names, max);
}

/** Who else loses the cell: the subaccounts that inherit the account's voice lists. */
function inheritedLabel(row: ExpiredRow, esc: Escape, max: number): string {
  if (row.inheritedBy.length === 0) return '-';
  return `${named(
    row.inheritedBy.map((a) => esc(a.account)),
    max,
  )} (inherit${row.inheritedBy.length === 1 ? 's' : ''} its voice lists)`;
}

/** Why a cell is still open, in words. */
function openWhy(c: ExpiredResult, esc: Escape): string {
  const code = c.errorCode !== null ? `Twilio ${c.errorCode}: ` : '';
  const detail = c.detail ? esc(c.detail) : '';
  switch (c.outcome) {
    case 'failed':
      return `not closed: ${code}${detail || 'the write failed'}`;
    case 'skipped':
      return `not closed: ${detail || 'skipped'}`;
    default:
      return detail || c.outcome;
  }
}

/** A close's risk in words: "high (the account's last voice route)" when it leaves the account none. */
const closeRisk = (c: ExpiredResult, risk: string): string =>
  c.note === 'last_route' ? `${risk} (${lastRouteWords(c.category)})` : risk;

const closedCells = (e: ExpiryEnforcement) => e.cells.filter((c) => c.outcome === 'disabled');
const openCells = (e: ExpiryEnforcement) => e.cells.filter((c) => c.outcome !== 'disabled');

/**
 * What the verdict line adds: " Expired exceptions: closed 2 cells, 1 not closed." (empty without expired
 * cells). The counts are the run's own, so a cancelled or part-way close says what changed.
 */
export function expiredVerdict(report: Pick<DriftReport, 'expired'>): string {
  const e = report.expired;
  if (!e || e.cells.length === 0) return '';
  const closed = closedCells(e).length;
  const reported = e.cells.filter((c) => c.outcome === 'reported').length;
  const notClosed = e.cells.length - closed - reported;
  const parts = [
    ...(closed > 0 ? [`closed ${plural(closed, 'cell')}${e.cancelled ? ' before the cancel' : ''}`] : []),
    ...(notClosed > 0 ? [`${plural(notClosed, 'cell')} not closed`] : []),
    ...(reported > 0
      ? [
          `${plural(reported, 'cell')} left open (${e.mode === 'report' ? 'expired: report' : 'not closed by this run'})`,
        ]
      : []),
  ];
  return ` Expired exceptions: ${parts.join(', ')}.`;
}

/**
 * The one line said when Twilio refused the writes for the credentials themselves (a read-only key):
 * null otherwise. The rest of the scan is unaffected.
 */
export function cannotWriteLine(expired: ExpiryEnforcement | undefined): string | null {
  const refused = expired?.cells.find((c) => c.outcome === 'failed' && refusesCredentials(c.errorCode));
  if (!refused) return null;
  return (
    `The drift job's Twilio credentials may not write geo permissions (Twilio ${refused.errorCode}), so ` +
    'the expired exceptions below stay open: give the drift job write-capable credentials (README, "Twilio ' +
    'credentials"), or set "expired: report" in the policy to only report them.'
  );
}

/**
 * The one line said when the run closed an account's last voice route or messaging country (an outage
 * for that account until something is opened): null otherwise.
 */
export function lastRouteLine(expired: ExpiryEnforcement | undefined): string | null {
  const taken = (expired?.cells ?? []).filter((c) => c.outcome === 'disabled' && c.note === 'last_route');
  if (taken.length === 0) return null;
  const what = [...new Set(taken.map((c) => `${termText(c.account)} (${lastRouteWords(c.category)})`))];
  return `Closing expired exceptions left ${named(what, 5)} with nothing open live: grant what the account needs in the policy, with a reviewed change`;
}

// ---- markdown ----

const CLOSED_HEAD = [
  'risk',
  'permission',
  'country',
  'accounts',
  'also closed for',
  'exception',
  'ticket',
  'reason',
];
const OPEN_HEAD = ['permission', 'country', 'accounts', 'exception', 'ticket', 'reason', 'why it is open'];

/** At most `rows` rows of each table, the rest counted. A close is low risk, or high when it takes a last route. */
export function expiredMarkdown(report: DriftReport, rowLimit: number): string[] {
  const e = report.expired;
  if (!e || e.cells.length === 0) return [];
  const fleet = report.plan.accounts;
  const max = rowLimit > 10 ? 10 : 5;
  const lines: string[] = [];
  const closed = rowsOf(closedCells(e));
  if (closed.length > 0) {
    const body = closed
      .slice(0, rowLimit)
      .map((r) => [
        closeRisk(r.first, RISK_BADGE[r.first.risk]),
        CATEGORY_LABEL[r.first.category],
        country(r.first, mdText),
        accountsOf(r, fleet, mdText, max),
        inheritedLabel(r, mdText, max),
        exceptionLabel(r.first.exception, mdText, mdCode),
        ticketOf(r.first.exception, mdText),
        reasonOf(r.first.exception, mdText),
      ]);
    lines.push('', '#### Closed by this run: expired exceptions', '', ...tableOf(CLOSED_HEAD, body));
    lines.push(...moreRows(closed.length, rowLimit));
  }
  const open = rowsOf(openCells(e));
  if (open.length > 0) {
    const body = open
      .slice(0, rowLimit)
      .map((r) => [
        CATEGORY_LABEL[r.first.category],
        country(r.first, mdText),
        accountsOf(r, fleet, mdText, max),
        exceptionLabel(r.first.exception, mdText, mdCode),
        ticketOf(r.first.exception, mdText),
        reasonOf(r.first.exception, mdText),
        openWhy(r.first, mdText),
      ]);
    lines.push('', '#### Expired exceptions still open', '', ...tableOf(OPEN_HEAD, body));
    lines.push(...moreRows(open.length, rowLimit));
  }
  return lines;
}

const moreRows = (rows: number, limit: number): string[] =>
  rows > limit ? ['', `…and ${plural(rows - limit, 'more row')}: the JSON report has every cell.`] : [];

// ---- text ----

export function expiredText(report: DriftReport, paint: Paint): string[] {
  const e = report.expired;
  if (!e || e.cells.length === 0) return [];
  const fleet = report.plan.accounts;
  const lines: string[] = [];
  const closed = rowsOf(closedCells(e));
  if (closed.length > 0) {
    const cells = table(
      closed.map((r) => [
        closeRisk(r.first, r.first.risk),
        CATEGORY_LABEL[r.first.category],
        country(r.first, termText),
        `in ${accountsOf(r, fleet, termText, 10)}${r.inheritedBy.length > 0 ? `, and ${inheritedLabel(r, termText, 10)}` : ''}`,
        `${exceptionLabel(r.first.exception, termText, termText)} (${
          [r.first.exception.ticket, r.first.exception.reason]
            .filter(Boolean)
            .map((t) => termText(t ?? ''))
            .join(', ') || 'no ticket'
        })`,
      ]),
    );
    lines.push('', paint('bold', 'Closed by this run: expired exceptions:'));
    lines.push(...cells.map((line, i) => paint(RISK_STYLE[closed[i]?.first.risk ?? 'low'], line)));
  }
  const open = rowsOf(openCells(e));
  if (open.length > 0) {
    lines.push('', paint('bold', 'Expired exceptions still open:'));
    for (const r of open)
      lines.push(
        `  ${CATEGORY_LABEL[r.first.category]} ${country(r.first, termText)} in ${accountsOf(r, fleet, termText, 10)}: ${openWhy(r.first, termText)}`,
        `    ${exceptionLabel(r.first.exception, termText, termText)}${r.first.exception.ticket ? `, ticket ${termText(r.first.exception.ticket)}` : ''}${r.first.exception.reason ? `, ${termText(r.first.exception.reason)}` : ''}`,
      );
  }
  return lines;
}
