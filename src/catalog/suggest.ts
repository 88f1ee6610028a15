import { countryInfo } from './countries.js';
import { countryByName, knownNames, normalizeName } from './names.js';
import { CODE_ALIASES } from './twilio-specifics.js';
import { Candidates, SuggestionSearch } from './suggestion-search.js';

let catalogNames: Candidates | undefined;

/**
 * The ISO code someone probably meant: "UK" -> "GB", "gb" -> "GB", "Germany" -> "DE",
 * "Germny" -> "DE". Null when nothing is close; two-letter typos are not guessed (too many neighbours).
 * Aliases and exact names always answer; only the fuzzy search counts against the policy's budget.
 */
export function suggestCountry(input: string, suggestions = new SuggestionSearch()): string | null {
  const trimmed = input.trim();
  const upper = trimmed.toUpperCase();
  if (CODE_ALIASES[upper]) return CODE_ALIASES[upper];
  if (upper.length === 2 && countryInfo(upper)) return upper;
  const byName = countryByName(trimmed);
  if (byName.length === 1) return byName[0] ?? null;
  const normalized = normalizeName(trimmed);
  if (normalized.length < 4) return null;
  catalogNames ??= new Candidates([...knownNames().keys()]);
  // Short words are close to too many names ("core" vs "korea"): allow fewer edits for them.
  const best = suggestions.nearest(normalized, catalogNames, normalized.length >= 6 ? 2 : 1);
  return best ? (knownNames().get(best) ?? null) : null;
}
