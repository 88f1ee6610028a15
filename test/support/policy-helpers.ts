import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { loadPolicy } from '../../src/policy/load.js';
import type { LoadMode } from '../../src/policy/load.js';

export const NOW = new Date('2026-11-25T12:00:00Z');
export const SID1 = 'AC0123456789abcdef0123456789abcdef';
export const SID2 = 'ACfedcba9876543210fedcba9876543210';
export const SID3 = 'AC00000000000000000000000000000003';

/** Lines of YAML joined, so each test shows the file as written and its line numbers stay obvious. */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

export function load(text: string, mode: LoadMode = 'validate', now = NOW) {
  return loadPolicy(text, 'p.yml', { now, mode });
}

/** Diagnostics as `LINE:COL: severity: message`, the file name left out for brevity. */
export function messages(text: string, mode: LoadMode = 'validate', now = NOW): string[] {
  return load(text, mode, now).diagnostics.map((d) => formatDiagnostic(d).replace(/^p\.yml:/, ''));
}
