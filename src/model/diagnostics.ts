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
}

/** `FILE:LINE:COL: error: MESSAGE`, the format compilers use, so editors and CI logs can link it. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.location.file}:${d.location.line}:${d.location.column}: ${d.severity}: ${d.message}`;
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
