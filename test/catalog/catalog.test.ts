import { describe, expect, it } from 'vitest';
import {
  allCountries,
  CONTINENTS,
  countriesOnContinent,
  countryByName,
  countryInfo,
  isConsoleOnlyMessaging,
  isUnsupportedDestination,
  lookupCountry,
  suggestCountry,
} from '../../src/catalog/index.js';

describe('country catalog', () => {
  it('lists every destination with a name, a continent and E.164 calling codes', () => {
    const all = allCountries();
    expect(all.length).toBeGreaterThanOrEqual(240);
    for (const c of all) {
      expect(c.iso).toMatch(/^[A-Z]{2}$/);
      expect(c.name.length).toBeGreaterThan(0);
      expect(CONTINENTS).toContain(c.continent);
      for (const code of c.callingCodes) expect(code).toMatch(/^\+\d{1,4}$/);
    }
    expect(new Set(all.map((c) => c.iso)).size).toBe(all.length);
  });

  it('answers known facts', () => {
    expect(countryInfo('GB')).toMatchObject({
      name: 'United Kingdom',
      continent: 'EUROPE',
      callingCodes: ['+44'],
    });
    expect(countryInfo('BR')).toMatchObject({ continent: 'SOUTH_AMERICA', callingCodes: ['+55'] });
    expect(countryInfo('UK')).toBeUndefined();
  });

  it('reports unknown codes instead of dropping them', () => {
    expect(lookupCountry('DE')).toMatchObject({ known: true, info: { iso: 'DE' } });
    expect(lookupCountry('ZZ')).toEqual({ known: false, code: 'ZZ' });
  });

  it('maps every continent to its countries', () => {
    expect(countriesOnContinent('EUROPE')).toContain('FR');
    expect(countriesOnContinent('NORTH_AMERICA')).toEqual(expect.arrayContaining(['US', 'CA', 'MX']));
    expect(countriesOnContinent('ANTARCTICA')).toContain('AQ');
    const total = CONTINENTS.reduce((n, c) => n + countriesOnContinent(c).length, 0);
    expect(total).toBe(allCountries().length);
  });

  it('knows the Twilio specifics', () => {
    for (const iso of ['BD', 'IL', 'NG', 'PK', 'PS', 'LK', 'AZ', 'TJ', 'OM', 'TN', 'DZ']) {
      expect(isConsoleOnlyMessaging(iso)).toBe(true);
    }
    expect(isConsoleOnlyMessaging('US')).toBe(false);
    expect(['IR', 'SY', 'CU'].every(isUnsupportedDestination)).toBe(true);
    expect(isUnsupportedDestination('DE')).toBe(false);
  });
});

describe('suggestCountry', () => {
  it.each([
    ['UK', 'GB'],
    ['EL', 'GR'],
    ['gb', 'GB'],
    ['USA', 'US'],
    ['Germany', 'DE'],
    ['germny', 'DE'],
    ['Great Britain', 'GB'],
    ['Holland', 'NL'],
    ["Cote d'Ivoire", 'CI'],
  ])('%s -> %s', (input, expected) => {
    expect(suggestCountry(input)).toBe(expected);
  });

  it('does not guess two-letter typos or short words', () => {
    expect(suggestCountry('QQ')).toBeNull();
    expect(suggestCountry('core')).toBeNull();
  });
});

describe('countryByName (Monitor Event payloads)', () => {
  it('maps English and Twilio names, any case', () => {
    expect(countryByName('United Kingdom')).toEqual(['GB']);
    expect(countryByName('germany')).toEqual(['DE']);
    expect(countryByName('Türkiye')).toEqual(['TR']);
  });

  it('returns every code of a composite region', () => {
    expect(countryByName('guernsey/jersey')).toEqual(['GG', 'JE']);
    expect(countryByName('australia/cocos/christmas island')).toEqual(['AU', 'CC', 'CX']);
    expect(countryByName('United States/Canada')).toEqual(['US', 'CA']);
  });

  it('answers nothing for an unknown name so the caller reports it', () => {
    expect(countryByName('Atlantis')).toEqual([]);
    expect(countryByName('guernsey/atlantis')).toEqual([]);
  });
});
