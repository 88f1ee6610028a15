// Twilio's country lists per product. Messaging lists ISO countries (CA on its own); voice lists the
// +1 countries as Twilio splits them: US "United States/Canada" for +1, the other NANP members under
// their own +1NXX codes. One home for "which entry of which product", used by the policy, the plan,
// `why` and the emulator alike.
import { allCountries, type CountryInfo } from './countries.js';
import { VOICE_COVERED_BY, VOICE_NAMES } from './twilio-specifics.js';

export type Product = 'voice' | 'messaging';

let voiceList: readonly CountryInfo[] | undefined;
let voiceByIso: Map<string, CountryInfo> | undefined;

/** The voice DialingPermissions Countries list: the catalog without the codes voice folds into US. */
export function voiceCountries(): readonly CountryInfo[] {
  voiceList ??= allCountries()
    .filter((c) => !(c.iso in VOICE_COVERED_BY))
    .map((c) => {
      const name = VOICE_NAMES[c.iso];
      // The +1 entry answers the plain calling code only (OpenAPI example: country_codes ["+1"]).
      return name ? { ...c, name, callingCodes: ['+1'] } : c;
    });
  return voiceList;
}

export function voiceCountry(iso: string): CountryInfo | undefined {
  voiceByIso ??= new Map(voiceCountries().map((c) => [c.iso, c]));
  return voiceByIso.get(iso);
}

/** The messaging GeoPermissions list: one entry per ISO country, Canada included. */
export function messagingCountries(): readonly CountryInfo[] {
  return allCountries();
}

/** The voice entry that covers `iso` when voice has no entry of its own for it (CA -> US), else null. */
export function voiceCoveredBy(iso: string): string | null {
  return VOICE_COVERED_BY[iso] ?? null;
}

/** One listed entry as number matching needs it: its code and its E.164 prefixes ("+1", "+1787"). */
export interface ListedPrefixes {
  iso: string;
  prefixes: readonly string[];
}

/**
 * The entry of a product's list that a number falls under: the longest listed prefix wins (+1787…
 * is PR, not the +1 entry). Entries sharing that prefix (messaging lists "+1" for both US and CA;
 * +44 for GB and its Crown Dependencies) are told apart by the number's own region, as
 * libphonenumber places it by area code; otherwise the first in code order. Null when none matches.
 */
export function entryForNumber(
  number: { e164: string; region: string },
  entries: Iterable<ListedPrefixes>,
): string | null {
  let best = 0;
  let matches: string[] = [];
  for (const { iso, prefixes } of entries) {
    const longest = Math.max(0, ...prefixes.filter((p) => number.e164.startsWith(p)).map((p) => p.length));
    if (longest === 0 || longest < best) continue;
    if (longest > best) matches = [];
    best = longest;
    matches.push(iso);
  }
  if (matches.includes(number.region)) return number.region;
  return matches.sort()[0] ?? null;
}
