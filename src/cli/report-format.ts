// The --format switch every reporting command shares, so plan, apply and drift pick renderers alike.
import type { TextOptions } from '../report/text.js';
import type { CliSettings } from './args.js';

export interface Renderers<T> {
  json(value: T): string;
  markdown(value: T): string;
  text(value: T, options: TextOptions): string;
}

/** The report in the format asked for; colour only when stdout is a terminal and the report goes there. */
export function formatReport<T>(settings: CliSettings, value: T, render: Renderers<T>): string {
  if (settings.format === 'json') return render.json(value);
  if (settings.format === 'markdown') return render.markdown(value);
  return render.text(value, { color: settings.color && !settings.out });
}
