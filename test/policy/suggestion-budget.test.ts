import { describe, expect, it } from 'vitest';
import * as catalog from '../../src/catalog/index.js';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { loadPolicy } from '../../src/policy/load.js';
import { NOW, SID1, yaml } from '../support/policy-helpers.js';

/**
 * Thousands of mistakes that each ask for a "did you mean" among names that grow with the policy: an
 * unbounded search compares every mistake with every name (n² edit distances, minutes at 1 MiB).
 */
const N = 2000;

/** Group i refers to "grup-i", one edit from "group-i". */
function misspeltGroups(n: number): string {
  const groups = Array.from({ length: n }, (_, i) => `  group-${i}: [US, grup-${i}]`);
  return yaml('version: 1', 'groups:', ...groups, 'accounts:', `  production: {sid: ${SID1}}`);
}

/** Child i names "parnet-i" as its parent, two edits from the account "parent-i". */
function misspeltParents(n: number): string {
  const sid = (i: number) => 'AC' + i.toString(16).padStart(32, '0');
  const accounts = Array.from({ length: n }, (_, i) => [
    `  parent-${i}: {sid: ${sid(2 * i + 1)}}`,
    `  child-${i}: {sid: ${sid(2 * i + 2)}, parent: parnet-${i}}`,
  ]).flat();
  return yaml('version: 1', 'accounts:', ...accounts);
}

/** One list of misspelt country names: each asks the catalog (332 names) for the nearest one. */
function misspeltCountries(n: number): string {
  const entries = Array.from({ length: n }, () => '    - Frnace');
  return yaml('version: 1', 'accounts:', `  production:`, `    sid: ${SID1}`, '    messaging:', ...entries);
}

function validate(text: string) {
  const suggestions = new catalog.SuggestionSearch();
  const { diagnostics } = loadPolicy(text, 'p.yml', { now: NOW, mode: 'validate', suggestions });
  return { messages: diagnostics.map((d) => formatDiagnostic(d).replace(/^p\.yml:/, '')), suggestions };
}

/**
 * The work is bounded by a constant, whatever the policy: every edit distance is charged at least one
 * cell, and the cells charged never pass the budget. An unbounded search makes N² = 4,000,000 here.
 */
function expectBounded(suggestions: catalog.SuggestionSearch): void {
  expect(suggestions.spent).toBeLessThanOrEqual(catalog.SUGGESTION_BUDGET);
  expect(suggestions.evaluations).toBeLessThanOrEqual(suggestions.spent);
  expect(suggestions.evaluations).toBeLessThan((N * N) / 10);
  expect(suggestions.skipped).toBeGreaterThan(0);
}

describe('did-you-mean searches share one bounded budget per policy', () => {
  it('reports every misspelt group, suggests the right one for the first, and stops suggesting at the budget', () => {
    const { messages, suggestions } = validate(misspeltGroups(N));
    expect(messages).toHaveLength(N);
    const suggested = messages.filter((m) => m.includes('did you mean'));
    const plain = messages.filter((m) => m.includes('define it under "groups:"'));
    expect(suggested.length + plain.length).toBe(N);
    // The first mistakes keep their exact suggestion...
    for (let i = 0; i < 50; i++) {
      const column = `  group-${i}: [US, `.length + 1;
      expect(messages[i]).toBe(
        `${i + 3}:${column}: error: unknown group "grup-${i}" (did you mean "group-${i}"?)`,
      );
    }
    // ...every suggestion given is the right one...
    for (const m of suggested) expect(m).toMatch(/unknown group "grup-(\d+)" \(did you mean "group-\1"\?\)/);
    // ...and past the budget the error stays, only the "did you mean" is dropped.
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.at(-1)).toMatch(
      new RegExp(
        `error: unknown group or country code "grup-${N - 1}": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"$`,
      ),
    );
    expectBounded(suggestions);
  });

  it('bounds the search among account names for misspelt parents the same way', () => {
    const { messages, suggestions } = validate(misspeltParents(N));
    expect(messages).toHaveLength(N);
    const line4 = misspeltParents(1).split('\n')[3] ?? '';
    expect(messages[0]).toBe(
      `4:${line4.indexOf('parnet-0') + 1}: error: unknown parent account "parnet-0" (did you mean "parent-0"?)`,
    );
    const suggested = messages.filter((m) => m.includes('did you mean'));
    for (const m of suggested) expect(m).toMatch(/"parnet-(\d+)" \(did you mean "parent-\1"\?\)/);
    expect(suggested.length).toBeGreaterThanOrEqual(20);
    expect(suggested.length).toBeLessThan(N);
    expect(messages.at(-1)).toMatch(
      new RegExp(`unknown parent account "parnet-${N - 1}": name another account under "accounts:"$`),
    );
    expectBounded(suggestions);
  });

  it('bounds the catalog search for misspelt country names, and still names the country for the first ones', () => {
    const n = 20_000;
    const { messages, suggestions } = validate(misspeltCountries(n));
    expect(messages).toHaveLength(n);
    expect(messages[0]).toBe('6:7: error: unknown country code or group "Frnace" (did you mean "FR"?)');
    const suggested = messages.filter((m) => m.endsWith('(did you mean "FR"?)'));
    expect(suggested.length).toBeGreaterThanOrEqual(1000);
    expect(suggested.length).toBeLessThan(n);
    expect(messages.at(-1)).toBe(
      `${n + 5}:7: error: unknown group or country code "Frnace": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"`,
    );
    expectBounded(suggestions);
  });
});

describe('a policy of a normal size', () => {
  it('keeps every suggestion: a fresh budget per load, far from spent', () => {
    const text = yaml(
      'version: 1',
      'groups:',
      '  core: [US, Germny]',
      'accounts:',
      '  production:',
      `    sid: ${SID1}`,
      '    messaging: [cor, continent:EURPE]',
      '    voice: {low_rsk: [US]}',
    );
    const first = validate(text);
    expect(first.messages).toEqual([
      '3:14: error: unknown country code or group "Germny" (did you mean "DE"?)',
      '7:17: error: unknown group "cor" (did you mean "core"?)',
      '7:22: error: unknown continent "EURPE" (did you mean "continent:EUROPE"?)',
      '8:13: error: unknown key "low_rsk" in accounts.production.voice (did you mean "low_risk"?)',
    ]);
    expect(first.suggestions.skipped).toBe(0);
    expect(first.suggestions.spent).toBeLessThan(catalog.SUGGESTION_BUDGET / 100);
    // A spent budget drops the policy's suggestions, not its errors (an unknown key is searched among
    // its schema's few keys, outside the budget); without an injected search each load gets a fresh one.
    const spent = new catalog.SuggestionSearch(0);
    const starved = loadPolicy(text, 'p.yml', { now: NOW, mode: 'validate', suggestions: spent });
    expect(starved.diagnostics.map((d) => formatDiagnostic(d).replace(/^p\.yml:/, ''))).toEqual([
      '3:14: error: unknown group or country code "Germny": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"',
      '7:17: error: unknown group or country code "cor": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"',
      '7:22: error: unknown continent "EURPE": use one of AFRICA, ANTARCTICA, ASIA, EUROPE, NORTH_AMERICA, OCEANIA, SOUTH_AMERICA',
      '8:13: error: unknown key "low_rsk" in accounts.production.voice (did you mean "low_risk"?)',
    ]);
    expect(spent.skipped).toBe(4); // "Germny" asked twice: as a country name, then as a group
    const again = loadPolicy(text, 'p.yml', { now: NOW, mode: 'validate' });
    expect(again.diagnostics.map((d) => formatDiagnostic(d).replace(/^p\.yml:/, ''))).toEqual(first.messages);
  });
});
