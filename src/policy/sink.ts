import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { formatDiagnostic } from '../model/diagnostics.js';

/** Collects diagnostics once each: a default list shared by many accounts reports its problems once. */
export class DiagnosticSink {
  private readonly seen = new Map<string, Diagnostic>();

  error(location: SourceLocation, message: string): void {
    this.add({ severity: 'error', message, location });
  }

  warning(location: SourceLocation, message: string): void {
    this.add({ severity: 'warning', message, location });
  }

  add(d: Diagnostic): void {
    const key = formatDiagnostic(d);
    if (!this.seen.has(key)) this.seen.set(key, d);
  }

  all(): Diagnostic[] {
    return [...this.seen.values()];
  }
}
