import { describe, expect, it } from 'vitest';
import { messages, yaml } from '../support/policy-helpers.js';
import { MALFORMED_POLICIES as CASES } from '../support/malformed-cases.js';

describe('malformed policies: every message and its exact position', () => {
  it('has at least 50 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  it.each(CASES)('$name', ({ text, expected }) => {
    expect(messages(text)).toEqual(expected);
  });
});

describe('several problems at once', () => {
  it('reports every problem of the file in one run, sorted by position', () => {
    const text = yaml(
      'version: 1',
      'groups:',
      '  core: [US, UK]',
      'accounts:',
      '  production:',
      '    sid: AC123',
      '    messaging: [core, continent:MARS]',
      '    voice:',
      '      low_rsk: [US]',
    );
    expect(messages(text)).toEqual([
      '3:14: error: unknown country code "UK" (did you mean "GB"?)',
      '6:10: error: malformed SID "AC123" in accounts.production.sid: an account SID is "AC" followed by 32 lower-case hex digits (5 characters given, 34 expected); copy it from the Twilio Console',
      '7:23: error: unknown continent "MARS": use one of AFRICA, ANTARCTICA, ASIA, EUROPE, NORTH_AMERICA, OCEANIA, SOUTH_AMERICA',
      '9:7: error: unknown key "low_rsk" in accounts.production.voice (did you mean "low_risk"?)',
    ]);
  });

  it('never hangs or crashes on deeply nested input', () => {
    const text = '['.repeat(100_000);
    const out = messages(text);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((m) => m.includes('error:'))).toBe(true);
  });
});
