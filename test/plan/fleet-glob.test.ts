import { describe, expect, it } from 'vitest';
import { globMatches } from '../../src/plan/fleet.js';

describe('friendly-name globs', () => {
  it('* and ? are wildcards, case-insensitive, the whole name', () => {
    expect(globMatches('cust-*', 'Cust-42')).toBe(true);
    expect(globMatches('cust-?', 'cust-42')).toBe(false);
    expect(globMatches('cust', 'cust-1')).toBe(false);
  });

  it('a backslash makes the next character literal: \\all is the name "all", \\* a star', () => {
    expect(globMatches('\\all', 'all')).toBe(true);
    expect(globMatches('\\all', 'ball')).toBe(false);
    expect(globMatches('a\\*', 'a*')).toBe(true);
    expect(globMatches('a\\*', 'ab')).toBe(false);
    expect(globMatches('a\\\\b', 'a\\b')).toBe(true);
  });
});
