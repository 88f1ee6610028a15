// Every time-boxed exception with its days left and whether it is open live: the `exceptions` command's
// report (text, Markdown, JSON) and the drift issue's section of it (within the horizon shown, the rest
// folded). A template's exception is one row with its member count and how many have it open, so a fleet
// of 10,000 subaccounts is still one row per exception.
import type { ExpiringException } from '../model/desired.js';
import type { DriftReport, ExceptionReport, ExceptionStatus } from '../model/plan.js';
import { expiredAndOpen } from '../plan/exceptions.js';
import { mdCode, mdText, termText } from './escape.js';
import { CATEGORY_LABEL, plural, warningDaysOf, where, type Escape } from './format.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { tableOf } from './markdown.js';
import { painter, table, type TextOptions } from './text.js';
import type { CellCategory } from '../model/plan.js';

/** Most urgent first: expired, then fewest days left; then account, list, country. */
function byUrgency(statuses: readonly ExceptionStatus[]): ExceptionStatus[] {
  return [...statuses].sort(
    (a, b) =>
      a.exception.daysLeft - b.exception.daysLeft ||
      a.exception.account.localeCompare(b.exception.account) ||
      a.exception.list.localeCompare(b.exception.list) ||
      a.exception.country.localeCompare(b.exception.country),
  );
}

/** "production", or "template customers (40 members)". */
function ownerWords(s: ExceptionStatus, esc: Escape): string {
  const e = s.exception;
  return e.fleet !== undefined
    ? `template ${esc(e.fleet)} (${plural(s.accounts, 'member')})`
    : esc(e.account);
}

/** "expired 3 days ago", "last day", "12 days left". */
export function daysWords(e: Pick<ExpiringException, 'daysLeft'>): string {
  if (e.daysLeft < 0) return `expired ${plural(-e.daysLeft, 'day')} ago`;
  return e.daysLeft === 0 ? 'last day' : `${plural(e.daysLeft, 'day')} left`;
}

/** Whether the cell is on live: "yes", "no", "3 of 40", with what matters about it. */
function openWords(s: ExceptionStatus): string {
  if (s.openLive === null) return 'not read';
  const unread = s.unread > 0 ? ` (${s.unread} not read)` : '';
  const single = s.exception.fleet === undefined;
  if (single && s.unread > 0) return 'not read';
  const count = single ? (s.openLive > 0 ? 'yes' : 'no') : `${s.openLive} of ${s.accounts}${unread}`;
  if (expiredAndOpen(s)) return `${count}: expired and still open`;
  if (s.grantedOtherwise && s.openLive > 0) return `${count} (granted by another entry)`;
  return count;
}

const HEAD = ['account', 'permission', 'country', 'expires', 'days', 'reason', 'ticket', 'open live'];

function rowOf(s: ExceptionStatus, esc: Escape, code: Escape): string[] {
  const e = s.exception;
  return [
    ownerWords(s, esc),
    CATEGORY_LABEL[e.list as CellCategory] ?? esc(e.list),
    esc(e.country),
    `${esc(e.expires)} ${code(where(e.location))}`,
    daysWords(e),
    e.reason ? esc(e.reason) : '-',
    e.ticket ? esc(e.ticket) : '-',
    openWords(s),
  ];
}

/** The exceptions as a Markdown table, most urgent first, at most `max` rows and the rest counted. */
function tableMarkdown(statuses: readonly ExceptionStatus[], max: number): string[] {
  const sorted = byUrgency(statuses);
  const lines = tableOf(
    HEAD,
    sorted.slice(0, max).map((s) => rowOf(s, mdText, mdCode)),
  );
  if (sorted.length > max)
    lines.push(
      '',
      `…and ${plural(sorted.length - max, 'more exception')}: \`geo-permissions exceptions\` lists every one.`,
    );
  return lines;
}

/** "5 time-boxed exceptions: 1 expired and still open live, 2 within 14 days." */
export function exceptionsSummaryLine(report: ExceptionReport): string {
  const n = report.exceptions.length;
  if (n === 0) return 'No time-boxed exceptions in the policy.';
  const open = report.exceptions.filter(expiredAndOpen).length;
  const expired = report.exceptions.filter((s) => s.exception.daysLeft < 0).length;
  const soon = report.exceptions.filter(
    (s) => s.exception.daysLeft >= 0 && s.exception.daysLeft <= report.warningDays,
  ).length;
  const parts = [
    ...(report.live
      ? [open > 0 ? `${open} expired and still open live` : `${expired} expired`]
      : [`${expired} expired`]),
    `${soon} within ${plural(report.warningDays, 'day')}`,
  ];
  const tail = report.live
    ? report.errors > 0
      ? `; ${plural(report.errors, 'account')} not read`
      : ''
    : '; live state not read (--offline)';
  return `${plural(n, 'time-boxed exception')}: ${parts.join(', ')}${tail}.`;
}

export function renderExceptionsMarkdown(report: ExceptionReport): string {
  return [
    `**${mdText(exceptionsSummaryLine(report))}**`,
    ...(report.exceptions.length > 0 ? ['', ...tableMarkdown(report.exceptions, Infinity)] : []),
    '',
  ].join('\n');
}

export function renderExceptionsText(
  report: ExceptionReport,
  options: TextOptions = { color: false },
): string {
  const paint = painter(options.color);
  const sorted = byUrgency(report.exceptions);
  const rows = table([HEAD, ...sorted.map((s) => rowOf(s, termText, termText))]);
  return [
    paint(report.exceptions.some(expiredAndOpen) ? 'yellow' : 'green', exceptionsSummaryLine(report)),
    ...(sorted.length > 0 ? ['', ...rows] : []),
    '',
  ].join('\n');
}

export function exceptionsToJson(report: ExceptionReport): string {
  return stringify({ kind: 'exceptions', ...report, schemaVersion: JSON_SCHEMA_VERSION });
}

// ---- the drift report's section ----

const withinHorizon = (s: ExceptionStatus, days: number) => s.exception.daysLeft <= days;

/**
 * The drift issue's exceptions: those within the horizon (expired ones first) in a table, every other
 * one folded below it; `max` rows each.
 */
export function driftExceptionsMarkdown(report: DriftReport, max: number): string[] {
  const statuses = report.exceptions ?? [];
  if (statuses.length === 0) return [];
  const days = warningDaysOf(report.plan);
  const soon = statuses.filter((s) => withinHorizon(s, days));
  const later = statuses.filter((s) => !withinHorizon(s, days));
  const lines = ['', `#### Time-boxed exceptions (expired, or within ${plural(days, 'day')})`, ''];
  lines.push(...(soon.length > 0 ? tableMarkdown(soon, max) : ['None expired or within the horizon.']));
  if (later.length > 0)
    lines.push(
      '',
      `<details><summary>${plural(later.length, 'more time-boxed exception')}, more than ${plural(days, 'day')} left</summary>`,
      '',
      ...tableMarkdown(later, max),
      '',
      '</details>',
    );
  return lines;
}

/** The drift report's exceptions for terminals: those within the horizon, and how many more there are. */
export function driftExceptionsText(report: DriftReport): string[] {
  const statuses = report.exceptions ?? [];
  const days = warningDaysOf(report.plan);
  const soon = byUrgency(statuses.filter((s) => withinHorizon(s, days)));
  if (soon.length === 0) return [];
  const later = statuses.length - soon.length;
  return [
    '',
    `Exceptions expired or expiring within ${plural(days, 'day')}:`,
    ...table(soon.map((s) => rowOf(s, termText, termText))),
    ...(later > 0
      ? [`  (${later} more with more days left: geo-permissions exceptions lists every one)`]
      : []),
  ];
}
