// The one place that makes a policy- or Twilio-sourced string (account, parent and group names, exception
// reasons and tickets, file names, country and friendly names, Monitor Event actors and IPs, error
// messages) safe to put in a report. Every renderer passes such a string through one of these on its way
// out; a value the tool makes itself (numbers, risk words, labels, validated SIDs) need not.
//
//   mdText  Markdown/HTML text: inert wherever it lands (a paragraph, a heading, a list item, a cell)
//   mdCode  a Markdown code span holding the string literally
//   tableCell a table cell's Markdown (either of the above, or the tool's own words) with its pipes kept inside
//   termText terminal text: no control character, so no ANSI escape, can reach the terminal
//   jsonText a JSON text with the characters a terminal or a reader may act on written as \u escapes
//
// Every string becomes one line: a line break becomes a space, any other control or invisible
// formatting character (C0, DEL, C1, bidi overrides and isolates, zero-width spaces) is made visible as
// `\uXXXX`. Pure: no imports.

/** Line breaks and tabs: a space each, so a string never adds a line. */
const BREAKS = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * Control and invisible formatting characters: C0 and DEL, C1 (whose CSI, U+009B, some terminals
 * obey), the bidi marks, embeddings, overrides and isolates (which reorder what is shown), and the
 * zero-width characters and BOM (which hide in a name). The zero-width joiner stays: emoji need it.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The string on one line, every control or invisible character shown as `\uXXXX`. */
export function oneLine(value: string): string {
  return value.replace(BREAKS, ' ').replace(INVISIBLE, visible);
}

/** Terminal text: one line, no control character (so no `ESC [`, no C1 CSI), nothing hidden. */
export const termText = oneLine;

/** Characters that open HTML (`<`, `&`, `>`), written as entities so no tag, comment or entity opens. */
const HTML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Markdown punctuation that opens something anywhere in a line: `\` (an escape), `` ` `` (a code span),
 * `*` and `~` (emphasis, strikethrough), `[` and `]` (links, images, footnotes, task boxes: with the
 * brackets escaped, `![x](…)` and `[x]: …` are plain text), `|` (a table cell) and `$` (math).
 */
const INLINE = /[\\`*~[\]|$]/g;

/**
 * GitHub links some plain text after rendering, in the text itself, so an escape or an entity does not
 * stop it (both are decoded first): mentions and e-mail addresses (`@`), URLs (`scheme://`), `www.`,
 * issue references (`#123`, `owner/repo#123`) and `GH-123`. A zero-width space (`&#8203;`) inside the
 * pattern does, as Renovate's release notes do for mentions: `@&#8203;octocat` shows as `@octocat` and
 * notifies nobody.
 */
const ZWSP = '&#8203;';
// References first: the entity the others insert holds `#8`, which is not a reference to break.
const LINKED: ReadonlyArray<[RegExp, string]> = [
  [/#(?=\d)/g, `#${ZWSP}`],
  [/(GH-)(?=\d)/gi, `$1${ZWSP}`],
  [/@/g, `@${ZWSP}`],
  [/:(?=\/\/)/g, `:${ZWSP}`],
  [/(www)(?=\.)/gi, `$1${ZWSP}`],
];

/** An underscore can open or close emphasis unless it sits between two letters or digits (`low_risk`). */
const UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * What starts a block when a string opens a line or a list item: a heading (`# `), a list item
 * (`- `, `+ `, `1. `, `1) `), a rule or setext underline (`---`, `===`), or indented code (a leading
 * space: four make code). `>`, `*`, `_` and the code fences are escaped everywhere already.
 */
const LEADING: ReadonlyArray<[RegExp, string]> = [
  [/^(#{1,6})(?=\s|$)/, '\\$1'],
  [/^([-+=])(?=[\s\-+=]|$)/, '\\$1'],
  [/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2'],
  [/^ /, '&#32;'],
];

/**
 * Markdown and HTML text that renders as the string and opens nothing: no tag, comment or entity
 * (`<`, `>`, `&` as entities), no emphasis, code span, link, image, table cell or math (escaped),
 * no block at the start of a line (escaped), no mention, autolink or issue reference (a zero-width
 * space), and one line. Safe in a paragraph, a heading, a list item and a table cell alike.
 */
export function mdText(value: string): string {
  let out = oneLine(value)
    .replace(/[<>&]/g, (c) => HTML_ENTITY[c] ?? c)
    .replace(INLINE, '\\$&')
    .replace(UNDERSCORE, '\\_');
  for (const [pattern, replacement] of LINKED) out = out.replace(pattern, replacement);
  for (const [pattern, replacement] of LEADING) out = out.replace(pattern, replacement);
  return out;
}

/**
 * A code span holding the string literally, on one line: its fence is the shortest backtick run that
 * does not occur inside, and a space pads a string that starts or ends with a backtick or a space. A
 * fence of three or more at the start of a line cannot open a fenced code block: the closing fence on
 * the same line is a backtick in its info string, which CommonMark forbids. In a table, `tableCell`
 * escapes the span's pipes (GitHub unescapes them inside code spans of a cell).
 */
export function mdCode(value: string): string {
  const text = oneLine(value);
  if (text === '') return '` `';
  const runs = new Set((text.match(/`+/g) ?? []).map((run) => run.length));
  let length = 1;
  while (runs.has(length)) length++;
  const fence = '`'.repeat(length);
  const pad = /^[` ]|[` ]$/.test(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * A table cell's Markdown with every pipe taken as text: GitHub splits a row at each pipe that a
 * backslash pair does not take (even inside a code span), so a pipe after an even run of backslashes
 * (none, or escaped backslashes) gets one more. Already escaped pipes stay as they are.
 */
export function tableCell(markdown: string): string {
  return oneLine(markdown).replace(/(\\*)\|/g, (_m, slashes: string) =>
    slashes.length % 2 === 0 ? `${slashes}\\|` : `${slashes}|`,
  );
}

/** In a JSON text, what JSON.stringify leaves raw but a terminal or reader may act on (C1, bidi, separators). */
const JSON_RAW =
  /[\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** A JSON text with those characters as `\u` escapes: the same value when parsed, inert when printed. */
export const jsonText = (json: string): string => json.replace(JSON_RAW, visible);
