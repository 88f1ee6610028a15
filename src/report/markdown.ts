// Markdown building blocks every report shares (PR comments, issues, job summaries). Each report stays
// under maxChars (GitHub refuses comments over 65,536) by degrading detail, per cell -> per continent ->
// per account totals, never by cutting a table: the summary line always comes first and every table
// that is shown is whole.
import type { RiskTier } from '../model/plan.js';
import { MAX_BODY_CHARS } from '../model/limits.js';

export const DEFAULT_MAX_CHARS = MAX_BODY_CHARS;

export interface MarkdownOptions {
  maxChars?: number;
  title?: string;
}

export const RISK_BADGE: Record<RiskTier, string> = {
  critical: '🔴 critical',
  high: '🟠 high',
  medium: '🟡 medium',
  low: '⚪ low',
};

/** Text safe inside a table cell: a pipe would end the cell, a newline the row. */
export const esc = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly (string | number)[]): string =>
  `| ${cells.map((c) => esc(String(c))).join(' | ')} |`;
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

/** The first rendering that fits; the last resort lists as many whole account rows as fit. */
export function fit(
  render: (level: Level, rowLimit: number) => string,
  maxChars: number,
  rows: number,
): string {
  for (const level of ['cells', 'continents', 'totals'] as const) {
    const text = render(level, rows);
    if (text.length <= maxChars) return text;
  }
  let lo = 0;
  let hi = rows;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render('totals', mid).length <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  const text = render('totals', lo);
  // Only a summary line longer than the limit itself could get here; cut at a line boundary then.
  return text.length <= maxChars ? text : text.slice(0, text.lastIndexOf('\n', maxChars - 1) + 1);
}

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
  ...(title ? ['', `## ${title}`] : []),
  '',
  `Fingerprint: \`${fingerprint}\``,
];
