// What every `validate` run must look like, whatever the file held: the fuzz test
// (test/hardening/fuzz.test.ts) and scripts/fuzz-validate.mjs check each mutant with it.

/** `FILE:LINE:COL: error|warning: MESSAGE`, one line. */
export const DIAGNOSTIC_LINE = /^[^:\s][^:]*:\d+:\d+: (error|warning): \S.*$/;
/** The summary validate prints after the diagnostics of an invalid file. */
export const INVALID_LINE = /^[^:\s][^:]*: invalid, \d+ errors?$/;
/** What it prints on stdout for a valid file. */
export const VALID_LINE = /^[^:\s][^:]*: valid, \d+ accounts?(, \d+ warnings?)?$/;

/**
 * Characters no diagnostic may carry raw: C0 and C1 controls, DEL, the Unicode line and paragraph
 * separators, bidirectional overrides and isolates, invisible format characters (the BOM, tag
 * characters), and lone surrogates. Each would redraw a terminal, split a log line, or hide or reorder
 * what the user reads. Written out (C0, DEL and C1 aside) rather than by Unicode category, so the check
 * does not just repeat the escaping of src/model/diagnostics.ts.
 */
export const UNPRINTABLE =
  /[\p{Cc}\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]|\p{Cs}/u;

/** Internal text that must never reach the user: JS values, stack frames, Node's own warnings. */
const INTERNALS: readonly [RegExp, string][] = [
  [/undefined/, 'the word undefined'],
  [/Symbol\(/, 'a Symbol'],
  [/\[object \w+\]/, '[object ...]'],
  [/\bNaN\b/, 'NaN'],
  [/^\s+at .+[:(]/, 'a stack frame'],
  [/\(node:\d+\)|Warning:|DeprecationWarning|MaxListeners/, 'a Node warning'],
  [/RangeError|TypeError|ReferenceError|Maximum call stack/, 'an internal error'],
];

/** Longest line any run may print: a diagnostic quotes at most a short excerpt of the user's text. */
export const MAX_LINE_CHARS = 600;

export interface ValidateRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every way `run` breaks the rules, as short sentences; empty when it keeps them all. */
export function validateRunProblems(run: ValidateRun): string[] {
  const problems: string[] = [];
  if (run.code !== 0 && run.code !== 1) problems.push(`exit code ${run.code}`);
  const stderr = lines(run.stderr);
  const stdout = lines(run.stdout);
  for (const line of stderr) {
    if (!DIAGNOSTIC_LINE.test(line) && !INVALID_LINE.test(line)) problems.push(`stderr line: ${show(line)}`);
  }
  for (const line of stdout) if (!VALID_LINE.test(line)) problems.push(`stdout line: ${show(line)}`);
  if (run.code === 1 && !stderr.some((l) => INVALID_LINE.test(l) || / error: /.test(l)))
    problems.push('exit 1 without an error line');
  for (const line of [...stderr, ...stdout]) problems.push(...lineProblems(line));
  return problems;
}

function lineProblems(line: string): string[] {
  const problems: string[] = [];
  if (UNPRINTABLE.test(line)) problems.push(`unprintable character in: ${show(line)}`);
  if (line.length > MAX_LINE_CHARS) problems.push(`a line of ${line.length} characters: ${show(line)}`);
  // The user's own text is quoted; only what the tool itself wrote must be free of internals.
  const ownText = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const [pattern, what] of INTERNALS)
    if (pattern.test(ownText)) problems.push(`${what} in: ${show(line)}`);
  return problems;
}

function lines(text: string): string[] {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

function show(line: string): string {
  return JSON.stringify(line.length > 300 ? line.slice(0, 300) + '…' : line);
}
