import { countries, type TContinentCode } from 'countries-list';

/** Continents as the policy writes them (`continent:EUROPE`) and as Twilio's voice API names them. */
export const CONTINENTS = [
  'AFRICA',
  'ANTARCTICA',
  'ASIA',
  'EUROPE',
  'NORTH_AMERICA',
  'OCEANIA',
  'SOUTH_AMERICA',
] as const;
export type Continent = (typeof CONTINENTS)[number];

const CONTINENT_BY_CODE: Record<TContinentCode, Continent> = {
  AF: 'AFRICA',
  AN: 'ANTARCTICA',
  AS: 'ASIA',
  EU: 'EUROPE',
  NA: 'NORTH_AMERICA',
  OC: 'OCEANIA',
  SA: 'SOUTH_AMERICA',
};

export interface CountryInfo {
  /** ISO 3166-1 alpha-2 (plus user-assigned codes Twilio may use, such as XK). */
  iso: string;
  name: string;
  /** The main continent; a transcontinental country belongs to one continent only. */
  continent: Continent;
  /** E.164 calling codes with the plus sign, e.g. "+44". */
  callingCodes: string[];
  /** Former and alternative English names, from countries-list. */
  aliases: string[];
}

// Built once from the maintained countries-list package, never typed by hand.
const CATALOG: readonly CountryInfo[] = Object.entries(countries)
  .map(([iso, c]) => ({
    iso,
    name: c.name,
    continent: CONTINENT_BY_CODE[c.continent],
    callingCodes: c.phone.map((p) => `+${p}`),
    aliases: c.alias ?? [],
  }))
  .sort((a, b) => a.iso.localeCompare(b.iso));

const BY_ISO = new Map(CATALOG.map((c) => [c.iso, c]));

export function allCountries(): readonly CountryInfo[] {
  return CATALOG;
}

export function countryInfo(iso: string): CountryInfo | undefined {
  return BY_ISO.get(iso);
}

/**
 * A code as Twilio or a user wrote it: known, or unknown and kept as written so callers report it
 * instead of dropping it.
 */
export type CountryLookup = { known: true; info: CountryInfo } | { known: false; code: string };

export function lookupCountry(code: string): CountryLookup {
  const info = BY_ISO.get(code);
  return info ? { known: true, info } : { known: false, code };
}

export function countriesOnContinent(continent: Continent): string[] {
  return CATALOG.filter((c) => c.continent === continent).map((c) => c.iso);
}
