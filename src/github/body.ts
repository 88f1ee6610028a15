import { MAX_BODY_CHARS } from '../model/limits.js';
import { VOLATILE_SPAN } from '../report/markdown.js';

/**
 * The markdown as a body shows it under `reserved` characters of markers: whole when it fits, else cut
 * at a line boundary, an open code fence or <details> closed, and a notice pointing at the run where
 * the full report is. A cut never splits a line, so every row it keeps is whole.
 */
export function fitMarkdown(markdown: string, reserved: number, fullReportUrl: string): string {
  const text = markdown.trimEnd() + '\n';
  if (reserved + text.length <= MAX_BODY_CHARS) return text;
  const notice = `\n… truncated. Full report: ${fullReportUrl}\n`;
  const budget = MAX_BODY_CHARS - reserved - notice.length - 40;
  let cut = text.slice(0, Math.max(0, budget));
  cut = cut.slice(0, cut.lastIndexOf('\n') + 1);
  const fences = (cut.match(/^```/gm) ?? []).length;
  if (fences % 2 === 1) cut += '```\n';
  const open = (cut.match(/<details>/g) ?? []).length - (cut.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) cut += '</details>\n';
  return cut + notice;
}

/** Joins the markers (first, so truncation never drops them) and the markdown, cut to fit (fitMarkdown). */
export function composeBody(markers: readonly string[], markdown: string, fullReportUrl: string): string {
  const head = markers.join('\n') + '\n';
  return head + fitMarkdown(markdown, head.length, fullReportUrl);
}

/**
 * Bodies compare equal when they differ only in trailing whitespace (GitHub normalizes line ends) or
 * inside volatile spans (report/markdown.ts `volatile`: when live state was read, the run): a plan
 * unchanged since the last run is not rewritten just to move its time.
 */
export function sameBody(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n/g, '\n').replace(VOLATILE_SPAN, '').trimEnd();
  return norm(a) === norm(b);
}
