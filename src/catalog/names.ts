import { allCountries } from './countries.js';
import { EXTRA_NAMES } from './twilio-specifics.js';

/** Lower-case, no diacritics, brackets or punctuation: "Cocos [Keeling] Islands" -> "cocos keeling islands". */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bsaint\b/g, 'st')
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

let index: Map<string, string> | undefined;

function nameIndex(): Map<string, string> {
  if (index) return index;
  index = new Map();
  for (const c of allCountries()) {
    for (const n of [c.name, ...c.aliases]) index.set(normalizeName(n), c.iso);
  }
  for (const [n, iso] of Object.entries(EXTRA_NAMES)) index.set(normalizeName(n), iso);
  return index;
}

/** Every normalized name the catalog knows, for suggestions. */
export function knownNames(): ReadonlyMap<string, string> {
  return nameIndex();
}

/**
 * ISO codes for a region name as Twilio writes it (voice `name`, Monitor Event payload keys).
 * Composites such as "guernsey/jersey" or "United States/Canada" answer every part's code;
 * an unknown name (or part) answers [] so the caller reports it rather than guessing.
 */
export function countryByName(name: string): string[] {
  const parts = name.split('/').map(normalizeName);
  const codes: string[] = [];
  for (const part of parts) {
    const iso = nameIndex().get(part);
    if (!iso) return [];
    if (!codes.includes(iso)) codes.push(iso);
  }
  return codes;
}
