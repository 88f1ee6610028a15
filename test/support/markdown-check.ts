// A small reader of GitHub-flavoured Markdown, as GitHub reads the bodies the action writes: enough of
// CommonMark's block starts, GFM's table rows (cmark-gfm's own cell splitting), the inline constructs
// (backslash escapes, entities, code spans, raw HTML, links and images, emphasis runs) and GitHub's
// text filters (mentions, autolinks, issue references) to say what a text opens. Tests use it to prove
// that a policy- or Twilio-sourced string opens nothing: by reading the output, never by comparing it
// with a hard-coded expected text.

/** ASCII punctuation: what a backslash escapes in CommonMark (and in cmark-gfm's table rows). */
const PUNCT = /[!-/:-@[-`{-~]/;

/** Characters a terminal or a reader may act on or not show: C0 but newline, DEL, C1, bidi and invisible controls. */
export const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2028\u2029\u2060\u2066-\u2069\ufeff]/u;

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };
const ENTITY = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/;

/** Raw HTML (CommonMark 6.6) and angle autolinks (6.5): a comment, a declaration, a tag, `<scheme:…>`, `<a@b>`. */
const RAW_HTML =
  /^(?:<!--|<![A-Za-z]|<!\[CDATA\[|<\?|<\/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]*)?>|<\/?[A-Za-z][A-Za-z0-9-]*(?=[\s/]|$)|<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+>)/;

export interface Inline {
  /** The structural tokens, in order: code spans, raw HTML, link and image syntax, emphasis runs. */
  tokens: string[];
  /** The text GitHub's filters read: outside code spans, escapes and entities decoded. */
  text: string;
  /** Link destinations, as written. */
  links: string[];
}

const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

function codeSpan(s: string, i: number): { end: number } | null {
  let n = 0;
  while (s[i + n] === '`') n++;
  for (let j = i + n; j < s.length; j++) {
    if (s[j] !== '`') continue;
    let m = 0;
    while (s[j + m] === '`') m++;
    if (m === n) return { end: j + m };
    j += m - 1;
  }
  return null;
}

type Step = (s: string, i: number, out: Inline) => number | null;

/** A backslash escape: the punctuation is text. */
const escapeStep: Step = (s, i, out) => {
  if (s[i] !== '\\' || i + 1 >= s.length || !PUNCT.test(s[i + 1]!)) return null;
  out.text += s[i + 1];
  return i + 2;
};

/** A code span (its content is neither read nor filtered), or a run of backticks that closes nothing. */
const codeStep: Step = (s, i, out) => {
  if (s[i] !== '`') return null;
  const span = codeSpan(s, i);
  let n = 0;
  while (s[i + n] === '`') n++;
  if (span) out.tokens.push('code');
  else out.text += '`'.repeat(n);
  return span ? span.end : i + n;
};

/** An entity, decoded into the text GitHub's filters read. */
const entityStep: Step = (s, i, out) => {
  const m = s[i] === '&' ? ENTITY.exec(s.slice(i)) : null;
  if (!m) return null;
  const code = m[1] ? Number(m[1]) : m[2] ? parseInt(m[2], 16) : null;
  out.text += code !== null ? String.fromCodePoint(code) : (NAMED[m[3]!] ?? m[0]);
  return i + m[0].length;
};

const htmlStep: Step = (s, i, out) => {
  const m = s[i] === '<' ? RAW_HTML.exec(s.slice(i)) : null;
  if (!m) return null;
  out.tokens.push(`html:${m[0]}`);
  return i + m[0].length;
};

/** Image and link syntax: `![`, `[`, `]`, and `](destination)`. */
const linkStep: Step = (s, i, out) => {
  const c = s[i];
  if (c === '!' && s[i + 1] === '[') {
    out.tokens.push('image');
    return i + 2;
  }
  if (c !== '[' && c !== ']') return null;
  if (c === '[' || s[i + 1] !== '(') {
    out.tokens.push(c);
    return i + 1;
  }
  const close = s.indexOf(')', i + 2);
  out.links.push(s.slice(i + 2, close < 0 ? s.length : close));
  out.tokens.push('](');
  return close < 0 ? s.length : close + 1;
};

/** A run of emphasis, strikethrough or math delimiters. */
const emphasisStep: Step = (s, i, out) => {
  const c = s[i]!;
  if (!'*_~$'.includes(c)) return null;
  let n = 1;
  while (s[i + n] === c) n++;
  // An underscore run between two letters or digits can neither open nor close emphasis.
  if (c === '_' && isAlnum(s[i - 1]) && isAlnum(s[i + n])) out.text += c.repeat(n);
  else out.tokens.push(c.repeat(n));
  return i + n;
};

const STEPS: readonly Step[] = [escapeStep, codeStep, entityStep, htmlStep, linkStep, emphasisStep];

/** Reads one line of inline content (a paragraph line, a heading's text, a list item's, or a cell's). */
export function readInline(s: string): Inline {
  const out: Inline = { tokens: [], text: '', links: [] };
  let i = 0;
  while (i < s.length) {
    let next: number | null = null;
    for (const step of STEPS) if (next === null) next = step(s, i, out);
    if (next === null) {
      out.text += s[i];
      next = i + 1;
    }
    i = next;
  }
  return out;
}

/** The cells of a table row, split as cmark-gfm splits them: at every pipe not taken by a backslash pair. */
export function tableCells(line: string): string[] {
  const s = line.trim();
  const cells: string[] = [];
  let cell = '';
  let i = s.startsWith('|') ? 1 : 0;
  for (; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length && PUNCT.test(s[i + 1]!)) {
      // cmark-gfm drops the backslash of an escaped pipe before the cell's inlines are read.
      cell += s[i + 1] === '|' ? '|' : s.slice(i, i + 2);
      i++;
    } else if (s[i] === '|') {
      cells.push(cell);
      cell = '';
    } else cell += s[i];
  }
  if (cell.trim() !== '' || !s.endsWith('|')) cells.push(cell);
  return cells.map((c) => c.trim());
}

const DELIMITER_ROW = /^\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/;

export type BlockKind =
  | 'blank'
  | 'paragraph'
  | `heading${number}`
  | 'quote'
  | 'bullet'
  | 'ordered'
  | 'task'
  | 'fence'
  | 'indented-code'
  | 'thematic-break'
  | 'link-definition'
  | 'table-head'
  | 'table-delimiter'
  | 'table-row';

export interface BlockLine {
  kind: BlockKind;
  /** Cells of a table line. */
  cells: number;
  /** A table line's cells as read (escapes and entities decoded, code spans dropped). */
  row: string[];
  inline: Inline;
}

/** What a line starts, and the inline content after its marker (CommonMark 4 and 5, GFM tables). */
function classify(line: string, inTable: boolean, nextIsDelimiter: boolean): BlockLine {
  const inline = (s: string) => readInline(s);
  const none = { cells: 0, row: [] };
  if (line.trim() === '') return { kind: 'blank', ...none, inline: inline('') };
  if (inTable || (line.trimStart().startsWith('|') && nextIsDelimiter)) {
    const cells = tableCells(line);
    const kind = inTable ? (DELIMITER_ROW.test(line) ? 'table-delimiter' : 'table-row') : 'table-head';
    const merged = cells.map(inline);
    return {
      kind,
      cells: cells.length,
      row: merged.map((m) => m.text.trim()),
      inline: {
        tokens: merged.flatMap((m) => m.tokens),
        text: merged.map((m) => m.text).join(' '),
        links: merged.flatMap((m) => m.links),
      },
    };
  }
  if (/^( {4}|\t)/.test(line)) return { kind: 'indented-code', ...none, inline: inline(line) };
  const s = line.replace(/^ {0,3}/, '');
  // A backtick fence's info string holds no backtick (CommonMark 4.5), so a one-line code span is none.
  if (/^(?:`{3,}[^`]*|~{3,}.*)$/.test(s)) return { kind: 'fence', ...none, inline: inline(s) };
  if (/^(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|=+\s*)$/.test(s))
    return { kind: 'thematic-break', ...none, inline: inline('') };
  const heading = /^(#{1,6})(?:\s+|$)(.*)$/.exec(s);
  if (heading) return { kind: `heading${heading[1]!.length}`, ...none, inline: inline(heading[2]!) };
  if (s.startsWith('>')) return { kind: 'quote', ...none, inline: inline(s.slice(1)) };
  if (/^\[[^\]]+\]:/.test(s)) return { kind: 'link-definition', ...none, inline: inline(s) };
  // An HTML block (CommonMark 4.6) starts with a tag or comment, which the inline reader records as HTML.
  const task = /^[-+*]\s+\[[ xX]\]\s+(.*)$/.exec(s);
  if (task) return { kind: 'task', ...none, inline: inline(task[1]!) };
  const bullet = /^[-+*](?:\s+|$)(.*)$/.exec(s);
  if (bullet) return { kind: 'bullet', ...none, inline: nested(bullet[1]!) };
  const ordered = /^\d{1,9}[.)](?:\s+|$)(.*)$/.exec(s);
  if (ordered) return { kind: 'ordered', ...none, inline: nested(ordered[1]!) };
  return { kind: 'paragraph', ...none, inline: inline(s) };
}

/** A list item's content may itself start a block (`- # x`, `- > x`, `- - x`): record that as a token. */
function nested(content: string): Inline {
  const inner = classify(content, false, false);
  const start = inner.kind === 'paragraph' || inner.kind === 'blank' ? [] : [`block:${inner.kind}`];
  return { ...inner.inline, tokens: [...start, ...inner.inline.tokens] };
}

/** Every line of a Markdown text, classified, with its inline content read. */
export function readMarkdown(markdown: string): BlockLine[] {
  const lines = markdown.split('\n');
  const out: BlockLine[] = [];
  let inTable = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inTable && (line.trim() === '' || !line.includes('|'))) inTable = false;
    const next = lines[i + 1] ?? '';
    const block = classify(line, inTable, DELIMITER_ROW.test(next) && next.includes('-'));
    if (block.kind === 'table-head') inTable = true;
    out.push(block);
  }
  return out;
}

/** The shape of a text with its content dropped: what each line starts and which constructs it opens. */
export const skeleton = (markdown: string): string[] =>
  readMarkdown(markdown).map((b) =>
    `${b.kind}${b.cells ? `[${b.cells}]` : ''} ${b.inline.tokens.join(' ')}`.trimEnd(),
  );

export interface Allowed {
  /** Tags the renderers write themselves, e.g. `<sub>`. */
  tags?: readonly string[];
  /** Link destinations and bare URLs the renderers write themselves (the run link). */
  urls?: readonly string[];
  /** Issue references the renderers write themselves (`#7` for PR 7). */
  refs?: readonly string[];
}

/**
 * Everything a Markdown text opens that its renderers never write themselves: HTML (comments, tags,
 * angle autolinks), images, links to other places, link definitions, fenced or indented code, rules,
 * table rows of the wrong width, and what GitHub's filters would link (mentions, bare URLs, `www.`,
 * e-mail addresses, issue and `GH-` references), and control characters. Empty for a safe text.
 */
export function openings(markdown: string, allowed: Allowed = {}): string[] {
  const found: string[] = [];
  const tags = new Set(allowed.tags ?? []);
  const blocks = readMarkdown(markdown);
  let width = 0;
  blocks.forEach((b, n) => {
    const where = `line ${n + 1}`;
    const line = markdown.split('\n')[n] ?? '';
    if (CONTROL.test(line)) found.push(`${where}: control character`);
    if (['fence', 'indented-code', 'thematic-break', 'link-definition'].includes(b.kind))
      found.push(`${where}: ${b.kind}`);
    if (b.kind === 'table-head') width = b.cells;
    if ((b.kind === 'table-row' || b.kind === 'table-delimiter') && b.cells !== width)
      found.push(`${where}: table row of ${b.cells} cells under a header of ${width}`);
    for (const t of b.inline.tokens) {
      if (t.startsWith('html:') && !tags.has(t.slice(5))) found.push(`${where}: ${t}`);
      if (t === 'image' || t.startsWith('block:')) found.push(`${where}: ${t}`);
    }
    for (const url of b.inline.links)
      if (!(allowed.urls ?? []).includes(url)) found.push(`${where}: link to ${url}`);
    let text = b.inline.text;
    for (const url of allowed.urls ?? []) text = text.split(url).join(' ');
    for (const ref of allowed.refs ?? []) text = text.split(ref).join(' ');
    for (const [what, re] of FILTERS) if (re.test(text)) found.push(`${where}: ${what} in "${text}"`);
  });
  return found;
}

/** What GitHub links in plain text (outside code spans and links), with entities already decoded. */
const FILTERS: ReadonlyArray<[string, RegExp]> = [
  ['mention or e-mail', /@[A-Za-z0-9]/],
  ['autolink', /[A-Za-z][A-Za-z0-9+.-]*:\/\//],
  ['www autolink', /(?:^|[\s*_~(])www\./i],
  ['issue reference', /#[0-9]/],
  ['GH- reference', /\bGH-[0-9]/i],
];

/**
 * The text as GitHub shows it: HTML comments hidden (an unclosed one hides the rest), except inside a
 * code span (read on its line), which shows `<!--` as it is.
 */
export function withoutComments(markdown: string): string {
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    const lineEnd = markdown.indexOf('\n', i) < 0 ? markdown.length : markdown.indexOf('\n', i);
    if (markdown[i] === '`') {
      let n = 0;
      while (markdown[i + n] === '`') n++;
      const end = codeSpan(markdown.slice(0, lineEnd), i)?.end ?? i + n;
      out += markdown.slice(i, end);
      i = end;
    } else if (markdown.startsWith('<!--', i)) {
      const comment = /^<!--(?:-?>|[\s\S]*?--!?>)/.exec(markdown.slice(i));
      if (!comment) break;
      i += comment[0].length;
    } else {
      out += markdown[i];
      i++;
    }
  }
  return out;
}
