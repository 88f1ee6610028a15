import { describe, expect, it } from 'vitest';
import {
  CONTINENTS,
  Candidates,
  SuggestionSearch,
  editDistance,
  editDistanceWithin,
} from '../../src/catalog/index.js';

/** Deterministic strings over a small alphabet, so many pairs are within a few edits. */
function strings(count: number, seed: number, alphabet = 'abc'): string[] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) & 0x7fffffff);
  return Array.from({ length: count }, () =>
    Array.from({ length: next() % 9 }, () => alphabet[next() % alphabet.length]).join(''),
  );
}

/** The search over every candidate, as the definition: nearest within max, ties to the first listed. */
function naiveNearest(input: string, names: readonly string[], max: number, exclude?: string): string | null {
  let best: string | null = null;
  let bestDistance = max + 1;
  for (const name of names) {
    if (name === exclude) continue;
    const d = editDistance(input, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

describe('editDistanceWithin', () => {
  it('is the edit distance when within max, else max + 1', () => {
    const words = strings(120, 7);
    for (const a of words) {
      for (const b of words) {
        for (const max of [0, 1, 2, 3, 5]) {
          expect(editDistanceWithin(a, b, max)).toBe(Math.min(editDistance(a, b), max + 1));
        }
      }
    }
  });

  it('handles empty strings and long ones', () => {
    expect(editDistanceWithin('', '', 1)).toBe(0);
    expect(editDistanceWithin('', 'ab', 2)).toBe(2);
    expect(editDistanceWithin('ab', '', 1)).toBe(2);
    const long = 'x'.repeat(300);
    expect(editDistanceWithin(long, 'y' + long.slice(2) + 'y', 2)).toBe(2);
    expect(editDistanceWithin(long, 'y' + long.slice(3) + 'yy', 2)).toBe(3);
    expect(editDistanceWithin(long, 'y'.repeat(300), 10)).toBe(11);
  });
});

describe('SuggestionSearch', () => {
  it('answers exactly what a search over every candidate answers, ties to the first listed', () => {
    const names = strings(80, 11);
    const candidates = new Candidates(names);
    const search = new SuggestionSearch();
    for (const input of strings(200, 13)) {
      for (const max of [1, 2, 3]) {
        expect(search.nearest(input, candidates, max)).toBe(naiveNearest(input, names, max));
        expect(search.nearest(input, names, max, names[0])).toBe(naiveNearest(input, names, max, names[0]));
      }
    }
    expect(search.skipped).toBe(0);
  });

  it('keeps the first listed of equally near names', () => {
    const search = new SuggestionSearch();
    expect(search.nearest('cat', ['bat', 'cut', 'ca'], 1)).toBe('bat');
    expect(search.nearest('cat', ['ca', 'bat', 'cut'], 1)).toBe('ca');
    expect(search.among(['bat', 'cut']).nearest('cat', 1, 'bat')).toBe('cut');
    expect(search.nearest('EURPE', CONTINENTS, 3)).toBe('EUROPE');
  });

  it('charges each search its worst case and skips a search the rest of the budget cannot cover', () => {
    // "abcd" against 3 names of length 3 to 5 within 1 edit: 3 names * 4 characters * 3 cells = 36.
    const names = ['abc', 'abce', 'abcde', 'zzzzzzz'];
    const search = new SuggestionSearch(80);
    expect(search.nearest('abcd', names, 1)).toBe('abc');
    expect(search.spent).toBe(36);
    expect(search.evaluations).toBeLessThanOrEqual(3);
    expect(search.nearest('abcd', names, 1)).toBe('abc');
    expect(search.spent).toBe(72);
    // 36 more would pass 80: skipped, nothing computed, nothing charged.
    const evaluations = search.evaluations;
    expect(search.nearest('abcd', names, 1)).toBeNull();
    expect([search.spent, search.evaluations, search.skipped, search.searches]).toEqual([
      72,
      evaluations,
      1,
      2,
    ]);
    // A later search that fits the 8 cells left still runs: "ab" against "abc" costs 2 * 3 = 6.
    expect(search.nearest('ab', names, 1)).toBe('abc');
    expect([search.spent, search.searches]).toEqual([78, 3]);
  });

  it('costs nothing when no name has a length that could be close', () => {
    const search = new SuggestionSearch(0);
    expect(search.nearest('a'.repeat(40), ['ab', 'abc'], 5)).toBeNull();
    expect([search.spent, search.skipped, search.searches]).toEqual([0, 0, 1]);
  });
});
