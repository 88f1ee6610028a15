import type { Diagnostic } from '../model/diagnostics.js';
import { sortDiagnostics } from '../model/diagnostics.js';

/** GitHub shows 10 annotations per type and step; keep headroom for the "N more" notice. */
export const ANNOTATIONS_PER_TYPE = 8;

export interface AnnotationSelection {
  shown: Diagnostic[];
  omitted: { error: number; warning: number };
}

/** The first few diagnostics of each severity, in file order; the rest are counted, and listed in the summary. */
export function selectAnnotations(
  diagnostics: readonly Diagnostic[],
  perType = ANNOTATIONS_PER_TYPE,
): AnnotationSelection {
  const shown: Diagnostic[] = [];
  const omitted = { error: 0, warning: 0 };
  const count = { error: 0, warning: 0 };
  for (const d of sortDiagnostics(diagnostics)) {
    if (count[d.severity] < perType) {
      count[d.severity]++;
      shown.push(d);
    } else omitted[d.severity]++;
  }
  return { shown, omitted };
}
