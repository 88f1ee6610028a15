import type { SourceLocation } from '../model/diagnostics.js';
import { visible } from '../model/diagnostics.js';
import type { Guards } from '../model/desired.js';
import { countryInfo, voiceCountry, voiceCoveredBy } from '../catalog/index.js';
import type { Entry } from './expand.js';
import type { DiagnosticSink } from './sink.js';

/** "US "United States/Canada" (+1)": the voice entry that covers a code voice does not list. */
function entryLabel(cover: string): string {
  const entry = voiceCountry(cover);
  return `${cover} "${entry?.name ?? cover}" (${entry?.callingCodes.join(', ') ?? '?'})`;
}

const nameOf = (iso: string): string => countryInfo(iso)?.name ?? iso;

const grants = (e: Entry): boolean => !e.exception || e.exception.daysLeft >= 0;

/**
 * A voice list as Twilio's voice list has it. Voice has no entry for CA (nor UM): Twilio dials them
 * through US "United States/Canada", so allowing one means allowing the US entry. Never silently widen:
 * - named directly while the list does not reach US: an error (write US, knowing it opens the US too);
 * - named directly while the list reaches US: a warning that the entry is redundant, then dropped;
 * - through a group while the list reaches US: dropped quietly (a group such as `core: [US, CA]` serves
 *   voice and messaging alike);
 * - through a group without US: an error, as if named directly (the group asks for Canada);
 * - through a continent (directly or inside a group): dropped quietly (a continent means what Twilio
 *   lists there, and UM is in OCEANIA without US).
 */
export function toVoiceEntries(path: string, entries: readonly Entry[], sink: DiagnosticSink): Entry[] {
  const reached = new Set(entries.filter(grants).map((e) => e.country));
  const reported = new Set<string>();
  const kept: Entry[] = [];
  for (const e of entries) {
    const cover = voiceCoveredBy(e.country);
    if (!cover) {
      kept.push(e);
      continue;
    }
    const key = `${e.country}@${e.location.line}:${e.location.column}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const found = coveredMessage(path, e, cover, reached.has(cover));
    if (found) sink.add({ ...found, location: e.location });
  }
  return kept;
}

function coveredMessage(
  path: string,
  e: Entry,
  cover: string,
  coverReached: boolean,
): { severity: 'error' | 'warning'; message: string } | null {
  // A continent anywhere on the way means "what Twilio lists there": the code is simply not one of them.
  if (e.via.some((step) => step.startsWith('continent:'))) return null;
  const group = e.via.length > 0;
  const list = visible(path, 120);
  const how = `Twilio's voice list has no ${e.country}: ${nameOf(e.country)} is dialled through ${entryLabel(cover)}`;
  if (coverReached)
    return group
      ? null
      : {
          severity: 'warning',
          message: `${how}, which ${list} already allows: remove ${e.country} from ${list}`,
        };
  const through = group ? ` (it comes through ${visible(e.via.join(' > '), 120)})` : '';
  return {
    severity: 'error',
    message: `${how}; ${list} names ${e.country}${through} but not ${cover}: write ${cover} to allow ${nameOf(e.country)} (it opens ${nameOf(cover)} too), or remove ${e.country}`,
  };
}

const GUARD_LISTS = [
  ['neverDisable', 'never_disable', 'protects messaging only'],
  ['neverEnable', 'never_enable', 'keeps messaging closed, not voice'],
  ['allowHighRisk', 'allow_high_risk', 'acknowledges nothing for voice'],
] as const;

/**
 * A guard naming CA without US cannot reach voice, where Canada is the US entry: said once per guard
 * entry, so a never_enable: [CA] does not read as closing voice to Canada.
 */
export function checkVoiceGuards(guards: Guards, sink: DiagnosticSink): void {
  for (const [key, name, effect] of GUARD_LISTS) {
    const list: Record<string, SourceLocation> = guards[key];
    for (const [iso, location] of Object.entries(list)) {
      const cover = voiceCoveredBy(iso);
      if (!cover || cover in list) continue;
      sink.warning(
        location,
        `guards.${name} names ${iso}, but Twilio's voice list has no ${iso}: ${nameOf(iso)} is dialled through ${entryLabel(cover)}, so for ${nameOf(iso)} this guard ${effect}; add ${cover} to guards.${name} to cover voice too`,
      );
    }
  }
}
