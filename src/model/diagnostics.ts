/** Where a policy node came from, so every message can point at it (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

/** One problem found in a policy file. `message` already says what to do about it. */
export interface Diagnostic {
  severity: Severity;
  message: string;
  location: SourceLocation;
  /** The accounts it is about, when it is the same for several: a report says it once, naming them. */
  accounts?: string[];
  /** What kind of notice it is, when a report treats it apart (a Console-only notice shows only beside a manual step). */
  code?: 'console-only';
}

/** Up to this many account names before a diagnostic counts the rest. */
const NAMED_ACCOUNTS = 3;

/** "a, b, c and 4 more": the accounts a diagnostic is about. */
function accountList(accounts: readonly string[]): string {
  const named = accounts.slice(0, NAMED_ACCOUNTS).join(', ');
  return accounts.length > NAMED_ACCOUNTS ? `${named} and ${accounts.length - NAMED_ACCOUNTS} more` : named;
}

/** `FILE:LINE:COL: error: MESSAGE`, the format compilers use, so editors and CI logs can link it. */
export function formatDiagnostic(d: Diagnostic): string {
  const about = d.accounts && d.accounts.length > 0 ? `${accountList(d.accounts)}: ` : '';
  return `${d.location.file}:${d.location.line}:${d.location.column}: ${d.severity}: ${about}${d.message}`;
}

/**
 * The diagnostics with those that say the same thing at the same place merged into one, naming every
 * account: a default list shared by forty accounts warns once, not forty times. Order is kept.
 */
export function mergeDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const merged = new Map<string, Diagnostic>();
  for (const d of list) {
    const key = `${d.severity}|${d.location.file}:${d.location.line}:${d.location.column}|${d.message}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, d.accounts ? { ...d, accounts: [...d.accounts] } : d);
    else if (d.accounts && seen.accounts)
      for (const a of d.accounts) if (!seen.accounts.includes(a)) seen.accounts.push(a);
  }
  return [...merged.values()];
}

/** At most this many characters of the user's text in one place of a message (issue 10, item 5). */
export const MAX_EXCERPT_CHARS = 80;

/**
 * Characters that would redraw a terminal, split a log line, or hide or reorder what the reader sees:
 * controls (C0, DEL, C1), format characters (bidirectional overrides, zero-width, BOM, tags), the line
 * and paragraph separators, and lone surrogates.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const NEEDS_QUOTE_ESCAPE = /["\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;
const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * The user's text as a message quotes it between double quotes: unprintable characters, `"` and `\`
 * escaped (as in JSON), cut to `max` characters with "…". A policy line may hold a secret (a file read
 * by mistake) or terminal escapes; a message never carries more than this much of it.
 */
export function excerpt(text: string, max = MAX_EXCERPT_CHARS): string {
  return escapeText(text, max, true);
}

/** `text` with its unprintable characters escaped (quotes kept), cut to `max` characters with "…". */
export function visible(text: string, max = Infinity): string {
  return escapeText(text, max, false);
}

function escapeText(text: string, max: number, quotes: boolean): string {
  // Most text has nothing to escape: one scan by the regex engine instead of one test per character.
  if (text.length <= max && !(quotes ? NEEDS_QUOTE_ESCAPE : UNPRINTABLE).test(text)) return text;
  let out = '';
  // The longest prefix that still leaves room for the ellipsis.
  let fits = '';
  for (const char of text) {
    const piece = escapeChar(char, quotes);
    if (out.length + piece.length > max) return fits + '…';
    out += piece;
    if (out.length < max) fits = out;
  }
  return out;
}

function escapeChar(char: string, quotes: boolean): string {
  if (quotes && (char === '"' || char === '\\')) return `\\${char}`;
  if (!UNPRINTABLE.test(char)) return char;
  const short = SHORT_ESCAPES[char];
  if (short) return short;
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Sorted by file, line, column, then errors before warnings, so output is stable. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.message.localeCompare(b.message),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}
