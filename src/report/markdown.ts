// Markdown building blocks every report shares (PR comments, issues, job summaries). Every policy- or
// Twilio-sourced string in them has passed through report/escape.ts first. Each report stays
// under maxChars (GitHub refuses comments over 65,536) by degrading detail, per cell -> per continent ->
// per account totals, never by cutting a table: the summary line always comes first and every table
// that is shown is whole.
import type { RiskTier } from '../model/plan.js';
import type { CommitRef } from './staleness.js';
import { MAX_BODY_CHARS } from '../model/limits.js';
import { mdCode, mdText, tableCell } from './escape.js';

export const DEFAULT_MAX_CHARS = MAX_BODY_CHARS;

export interface MarkdownOptions {
  maxChars?: number;
  title?: string;
  /**
   * What the plan was made from, said under its verdict: the commit planned, when the live state was
   * read (ISO time), and the run that made it. Any of them may be unknown (null).
   */
  review?: { commit: CommitRef | null; readAt: string | null; runLink: string | null };
  /** The guard verdict, Markdown already (its sourced strings escaped), shown right after the verdict. */
  guards?: string;
}

const VOLATILE_OPEN = '<!-- volatile -->';
const VOLATILE_CLOSE = '<!-- /volatile -->';

/** Text that changes on every run without changing what a report says (a read time, a run link). */
export const volatile = (text: string): string => `${VOLATILE_OPEN}${text}${VOLATILE_CLOSE}`;

/** A volatile span, to leave out when two bodies are compared (github/body.ts `sameBody`). */
export const VOLATILE_SPAN = /<!-- volatile -->[\s\S]*?<!-- \/volatile -->/g;

export const RISK_BADGE: Record<RiskTier, string> = {
  critical: '🔴 critical',
  high: '🟠 high',
  medium: '🟡 medium',
  low: '⚪ low',
};

/** One table row; each cell is Markdown already (its sourced strings escaped), its pipes kept inside it. */
export const tableRow = (cells: readonly (string | number)[]): string =>
  `| ${cells.map((c) => tableCell(String(c))).join(' | ')} |`;
const row = tableRow;
export const tableOf = (
  head: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string[] => [row(head), row(head.map(() => '---')), ...rows.map(row)];

export type Level = 'cells' | 'continents' | 'totals';
const LEVEL_NOTE: Record<Level, string> = {
  cells: '',
  continents:
    'Detail reduced to counts per continent to stay under the size limit; the JSON report has every cell.',
  totals:
    'Detail reduced to totals per account to stay under the size limit; the JSON report has every cell.',
};

/**
 * The first rendering, from the most detailed level to the least, that fits; the last resort renders
 * the last level with as many whole rows as fit.
 */
export function fitLevels<L>(
  levels: readonly [L, ...L[]],
  render: (level: L, rowLimit: number) => string,
  maxChars: number,
  rows: number,
): string {
  for (const level of levels) {
    const text = render(level, rows);
    if (text.length <= maxChars) return text;
  }
  const last = levels[levels.length - 1] as L;
  let lo = 0;
  let hi = rows;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(last, mid).length <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  const text = render(last, lo);
  // Only a summary line longer than the limit itself could get here; cut at a line boundary then.
  return text.length <= maxChars ? text : text.slice(0, text.lastIndexOf('\n', maxChars - 1) + 1);
}

/** fitLevels over cells -> continents -> totals, as the per-account reports degrade. */
export const fit = (render: (level: Level, rowLimit: number) => string, maxChars: number, rows: number) =>
  fitLevels<Level>(['cells', 'continents', 'totals'], render, maxChars, rows);

/** A headed bullet list of at most `max` items, then a count of the rest; nothing when empty. */
export function listWithLimit<T>(
  heading: string,
  items: readonly T[],
  show: (t: T) => string,
  max: number,
): string[] {
  if (items.length === 0) return [];
  const lines = ['', heading, ...items.slice(0, max).map((t) => `- ${show(t)}`)];
  if (items.length > max) lines.push(`- …and ${items.length - max} more`);
  return lines;
}

/** The line saying detail was reduced, when it was. */
export const note = (level: Level): string[] => (level === 'cells' ? [] : ['', `_${LEVEL_NOTE[level]}_`]);

/** What every Markdown report opens with: the summary line first, so the size shows before any detail. */
export const heading = (summary: string, fingerprint: string, title: string | undefined): string[] => [
  `**${summary}**`,
  ...(title ? ['', `## ${mdText(title)}`] : []),
  '',
  `Fingerprint: ${mdCode(fingerprint)}`,
];

const BACKTICKS = /`+/y;
const SPECIAL = /[`<]/g;
const COMMENT = /<!--(?:-?>|[\s\S]*?(?:--!?>|$))/y;

/** The backtick run at `i`: its length. */
function runAt(text: string, i: number): number {
  BACKTICKS.lastIndex = i;
  return BACKTICKS.exec(text)?.[0].length ?? 0;
}

/** Where the code span opened by the backtick run at `i` ends on its line, or -1 when it closes nothing. */
function codeSpanEnd(text: string, i: number): number {
  const run = runAt(text, i);
  const newline = text.indexOf('\n', i);
  const lineEnd = newline < 0 ? text.length : newline;
  for (let j = text.indexOf('`', i + run); j >= 0 && j < lineEnd; j = text.indexOf('`', j)) {
    const close = runAt(text, j);
    if (close === run) return j + close;
    j += close;
  }
  return -1;
}

/**
 * The text as GitHub shows it: HTML comments hidden, an unclosed one hiding the rest. A `<!--` inside a
 * code span is shown as it is, so spans are skipped; a span is only taken when it closes on its own
 * line, so anything uncertain counts as hidden.
 */
export function visibleMarkdown(markdown: string): string {
  const parts: string[] = [];
  let i = 0;
  while (i < markdown.length) {
    SPECIAL.lastIndex = i;
    const at = SPECIAL.exec(markdown)?.index ?? -1;
    if (at < 0) break;
    parts.push(markdown.slice(i, at));
    if (markdown[at] === '`') {
      const end = codeSpanEnd(markdown, at);
      const stop = end < 0 ? at + runAt(markdown, at) : end;
      parts.push(markdown.slice(at, stop));
      i = stop;
    } else if (markdown.startsWith('<!--', at)) {
      COMMENT.lastIndex = at;
      i = at + (COMMENT.exec(markdown)?.[0].length ?? markdown.length - at);
    } else {
      parts.push('<');
      i = at + 1;
    }
  }
  if (i < markdown.length) parts.push(markdown.slice(i));
  return parts.join('');
}
