// The reviewed-plan binding at merge time: which enables were refused because the plan reviewed on the
// pull request did not show them, each explained three ways. The decision is plan/binding.ts's.
import { describeChange, parseMarkerKey } from '../plan/cells.js';
import type { BindingResult } from '../plan/binding.js';
import { plural, type Escape } from './format.js';
import { mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { listWithLimit, tableOf } from './markdown.js';
import type { TextOptions } from './text.js';
import { painter } from './text.js';

/** A binding check and the pull request whose reviewed plan it was checked against. */
export interface BindingReport {
  result: BindingResult;
  prNumber: number;
}

const refusedLine = ({ result, prNumber }: BindingReport): string =>
  `Refused: ${result.unreviewed.length} change(s) were not in the plan reviewed on PR #${prNumber}`;

const boundLine = ({ result, prNumber }: BindingReport): string =>
  `Bound to the plan reviewed on PR #${prNumber}: ` +
  (result.identical
    ? 'the merge-time plan is identical.'
    : 'every enable (and inheritance change) was in the reviewed plan.');

/** A stored reviewed cell, for people; the raw key when it is not one the tool wrote. Both hold names. */
const reviewedCell = (key: string, esc: Escape): string => {
  const cell = parseMarkerKey(key);
  return esc(cell ? describeChange(cell) : key);
};

const noLongerNeededHeading = (result: BindingResult): string =>
  `${plural(result.noLongerNeeded.length, 'reviewed change')} no longer needed:`;

function noLongerNeededText(result: BindingResult): string[] {
  if (result.noLongerNeeded.length === 0) return [];
  return [
    noLongerNeededHeading(result),
    ...result.noLongerNeeded.map((k) => `  ${reviewedCell(k, termText)}`),
  ];
}

export function renderBindingText(report: BindingReport, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const { result } = report;
  const lines = [result.ok ? paint('green', boundLine(report)) : paint('red', refusedLine(report))];
  for (const { change: c, ...u } of result.unreviewed)
    lines.push(
      `  ${termText(c.account)} ${c.category}${c.country ? ` ${termText(c.country)}` : ''}`,
      `    reviewed: ${u.reviewed}`,
      `    live at review: ${u.liveAtReview}`,
      `    live now: ${u.liveNow}`,
    );
  return [...lines, ...noLongerNeededText(result), ''].join('\n');
}

/** Markdown explaining a refused merge: each unreviewed change, reviewed / live at review / live now. */
export function renderBindingMarkdown(report: BindingReport): string {
  const { result } = report;
  if (result.ok)
    return [
      `**${boundLine(report)}**`,
      ...listWithLimit(
        noLongerNeededHeading(result),
        result.noLongerNeeded,
        (k) => reviewedCell(k, mdText),
        50,
      ),
      '',
    ].join('\n');
  const rows = result.unreviewed.map(({ change: c, ...u }) => [
    mdText(c.account),
    c.category,
    c.country ? mdText(c.country) : '',
    mdText(u.reviewed),
    mdText(u.liveAtReview),
    mdText(u.liveNow),
  ]);
  return [
    `### ${refusedLine(report)}`,
    '',
    'Enables (and inheritance changes) are applied only when the reviewed plan showed them, so these were not ' +
      'applied; the reviewed changes and every disable were. Open a pull request so a plan showing them is ' +
      'reviewed, then merge it.',
    '',
    ...tableOf(['account', 'category', 'country', 'reviewed', 'live at review', 'live now'], rows),
    '',
  ].join('\n');
}

export function bindingToJson({ result, prNumber }: BindingReport): string {
  return stringify({ kind: 'binding', schemaVersion: JSON_SCHEMA_VERSION, prNumber, ...result });
}
