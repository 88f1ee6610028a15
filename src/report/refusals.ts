// Guard refusals, one format for every caller (the CLI apply, the action's merge apply, the drift
// revert): each refusal names its guard and says what it refused and how to override it.
import type { GuardRefusal } from '../plan/guards.js';
import { mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';

/** For a terminal (the CLI writes it on stderr): one line per refusal, then that nothing was written. */
export function renderRefusalsText(refusals: readonly GuardRefusal[]): string {
  const lines = refusals.map((r) => `refused (${r.guard}): ${termText(r.message)}`);
  return [...lines, 'Nothing was written.', ''].join('\n');
}

/** For a comment or the job summary: a heading, then one bullet per refusal. */
export function renderRefusalsMarkdown(refusals: readonly GuardRefusal[]): string {
  return [
    '### Refused by the guards; nothing was written',
    '',
    ...refusals.map((r) => `- **${r.guard}**: ${mdText(r.message)}`),
  ].join('\n');
}

/** Machine-readable, in the envelope of the other JSON reports (`kind`, `schemaVersion`). */
export function refusalsToJson(refusals: readonly GuardRefusal[]): string {
  return stringify({ kind: 'refusals', schemaVersion: JSON_SCHEMA_VERSION, refusals });
}
