// The --format switch every reporting command shares: the cell of report/'s table for the format asked
// for, with colour only when stdout is a terminal and the report goes there.
import { renderReport, type ReportKind, type ReportValues } from '../report/index.js';
import type { CliSettings } from './args.js';

export function formatReport<K extends ReportKind>(
  settings: CliSettings,
  kind: K,
  value: ReportValues[K],
): string {
  return renderReport(kind, settings.format, value, { color: settings.color && !settings.out });
}
