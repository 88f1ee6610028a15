// Guard refusals, one format for every caller (the CLI apply, the action's merge apply, the drift
// revert): each refusal names its guard and says what it refused and how to override it. The same
// refusal made more than once (the same guard and words, e.g. once per shard or run) is said once
// with its count; the JSON keeps every one.
import type { GuardRefusal } from '../plan/guards.js';
import { mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';

/** Each distinct refusal once, in the order they came, with how many times it was made. */
export function groupRefusals(
  refusals: readonly GuardRefusal[],
): Array<{ refusal: GuardRefusal; count: number }> {
  const groups = new Map<string, { refusal: GuardRefusal; count: number }>();
  for (const r of refusals) {
    const key = `${r.guard}\n${r.message}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { refusal: r, count: 1 });
  }
  return [...groups.values()];
}

/** "max_changes" or "max_changes, 3 times": the guard and, when repeated, how often. */
const guardTimes = (guard: string, count: number): string => (count > 1 ? `${guard}, ${count} times` : guard);

/** For a terminal (the CLI writes it on stderr): one line per refusal, then that nothing was written. */
export function renderRefusalsText(refusals: readonly GuardRefusal[]): string {
  const lines = groupRefusals(refusals).map(
    ({ refusal: r, count }) => `refused (${guardTimes(r.guard, count)}): ${termText(r.message)}`,
  );
  return [...lines, 'Nothing was written.', ''].join('\n');
}

/** For a comment or the job summary: a heading, then one bullet per refusal. */
export function renderRefusalsMarkdown(refusals: readonly GuardRefusal[]): string {
  return [
    '### Refused by the guards; nothing was written',
    '',
    ...groupRefusals(refusals).map(
      ({ refusal: r, count }) =>
        `- **${r.guard}**${count > 1 ? ` (${count} times)` : ''}: ${mdText(r.message)}`,
    ),
  ].join('\n');
}

/** Machine-readable, in the envelope of the other JSON reports (`kind`, `schemaVersion`). */
export function refusalsToJson(refusals: readonly GuardRefusal[]): string {
  return stringify({ kind: 'refusals', schemaVersion: JSON_SCHEMA_VERSION, refusals });
}
