// The country catalog: ISO codes, names, continents and calling codes from countries-list, plus the
// few Twilio specifics (Console-only messaging, unsupported destinations) kept in twilio-specifics.ts.
import { CANNOT_WRITE_CODES, CONSOLE_ONLY_MESSAGING, UNSUPPORTED_DESTINATIONS } from './twilio-specifics.js';

export {
  CONTINENTS,
  allCountries,
  countriesOnContinent,
  countryInfo,
  lookupCountry,
  type Continent,
  type CountryInfo,
  type CountryLookup,
} from './countries.js';
export { countryByName } from './names.js';
export {
  entryForNumber,
  messagingCountries,
  voiceCountries,
  voiceCountry,
  voiceCoveredBy,
  type ListedPrefixes,
  type Product,
} from './products.js';
export { suggestCountry } from './suggest.js';
export { editDistance, editDistanceWithin } from './edit-distance.js';
export { Candidates, SUGGESTION_BUDGET, SuggestionSearch, type NameSuggester } from './suggestion-search.js';

export function isConsoleOnlyMessaging(iso: string): boolean {
  return CONSOLE_ONLY_MESSAGING.includes(iso);
}

export function isUnsupportedDestination(iso: string): boolean {
  return UNSUPPORTED_DESTINATIONS.includes(iso);
}

/** Twilio refused a write for the credentials themselves (twilio-specifics.ts CANNOT_WRITE_CODES). */
export function refusesCredentials(code: number | null): boolean {
  return code !== null && CANNOT_WRITE_CODES.includes(code);
}
