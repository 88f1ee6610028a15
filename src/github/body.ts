import { MAX_BODY_CHARS } from '../model/limits.js';
/**
 * Joins the markers (first, so truncation never drops them) and the markdown, and cuts the markdown
 * at a line boundary when it would not fit, closing an open code fence or <details> and pointing at
 * the run where the full report is.
 */
export function composeBody(markers: readonly string[], markdown: string, fullReportUrl: string): string {
  const head = markers.join('\n') + '\n';
  const text = markdown.trimEnd() + '\n';
  if (head.length + text.length <= MAX_BODY_CHARS) return head + text;
  const notice = `\n… truncated. Full report: ${fullReportUrl}\n`;
  const budget = MAX_BODY_CHARS - head.length - notice.length - 40;
  let cut = text.slice(0, Math.max(0, budget));
  cut = cut.slice(0, cut.lastIndexOf('\n') + 1);
  const fences = (cut.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) cut += '```\n';
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) cut += '</details>\n';
  return head + cut + notice;
}

/** Bodies compare equal when they differ only in trailing whitespace (GitHub normalizes line ends). */
export function sameBody(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n/g, '\n').trimEnd();
  return norm(a) === norm(b);
}
