import { MAX_SUMMARY_BYTES } from '../model/limits.js';

/** Joins sections, dropping whole trailing sections (with a pointer to the JSON file) when too big. */
export function fitSummary(sections: readonly string[], overflowNote: string): string {
  let out = '';
  for (const [i, s] of sections.entries()) {
    const next = out + s.trimEnd() + '\n\n';
    if (Buffer.byteLength(next) > MAX_SUMMARY_BYTES - Buffer.byteLength(overflowNote) - 100) {
      return out + `> ${sections.length - i} section(s) left out to fit the summary limit. ${overflowNote}\n`;
    }
    out = next;
  }
  return out;
}
