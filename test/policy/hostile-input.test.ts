import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { excerpt, formatDiagnostic, visible } from '../../src/model/diagnostics.js';
import { MAX_NESTING } from '../../src/policy/parse.js';
import { load, messages, SID1, yaml } from '../support/policy-helpers.js';
import { UNPRINTABLE } from '../support/fuzz-checks.js';

/**
 * Issue 10, items 5 and 11e: what fuzzing `validate` found. Each message is one printable line that
 * names the user's text as a short escaped excerpt, never JS internals, and nothing reaches Node's
 * warnings or overflows the stack.
 */
const HEAD = ['version: 1', 'accounts:', '  production:'];

let warnings: unknown[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(process, 'emitWarning').mockImplementation((w: unknown) => void warnings.push(w));
});
afterEach(() => {
  expect(warnings).toEqual([]);
});

/** Every line one printable diagnostic; answers the lines. */
function lines(text: string): string[] {
  const out = load(text).diagnostics.map(formatDiagnostic);
  for (const line of out) {
    expect(line).toMatch(/^p\.yml:\d+:\d+: (error|warning): \S/);
    expect(line).not.toMatch(UNPRINTABLE);
    expect(line).not.toMatch(/undefined|Symbol\(|\[object |NaN|Maximum call stack|RangeError/);
  }
  return out.map((l) => l.replace(/^p\.yml:/, ''));
}

describe('nesting is refused before anything recursive runs', () => {
  it.each([65, 770, 5_000, 200_000])('%i levels of flow lists: one error, no stack overflow', (depth) => {
    const text = yaml('version: 1', `accounts: ${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(lines(text)).toEqual([
      `2:${11 + MAX_NESTING - 1}: error: lists and mappings nest deeper than 64 levels (a policy needs 6): flatten the file`,
    ]);
  });

  it('block lists nested 3,000 deep ("- - - … x") and block mappings 100 deep', () => {
    expect(lines(yaml('version: 1', 'accounts:', `  ${'- '.repeat(3000)}x`))).toEqual([
      expect.stringMatching(/: error: lists and mappings nest deeper than 64 levels/),
    ]);
    const text = yaml(
      'version: 1',
      'accounts:',
      ...Array.from({ length: 100 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`),
    );
    expect(lines(text)).toEqual([
      expect.stringMatching(/: error: lists and mappings nest deeper than 64 levels/),
    ]);
  });

  it('63 levels under the root still parse (the schema then says what is wrong)', () => {
    const text = yaml('version: 1', `accounts: ${'['.repeat(63)}${']'.repeat(63)}`);
    expect(lines(text)).toEqual([
      '2:11: error: accounts must be a mapping (key: value), not a list: write e.g. "accounts: {production: {sid: AC…}}"',
    ]);
  });

  it('nesting that only aliases build up', () => {
    const anchors = ['x:', `  a0: &a0 ${'['.repeat(30)}US${']'.repeat(30)}`];
    for (let k = 1; k < 4; k++) anchors.push(`  a${k}: &a${k} ${'['.repeat(30)}*a${k - 1}${']'.repeat(30)}`);
    expect(lines(yaml('version: 1', ...anchors))).toEqual([
      expect.stringMatching(
        /: error: once aliases are expanded, lists and mappings nest deeper than 64 levels/,
      ),
    ]);
  });

  it('an alias inside the node it names (an endless loop)', () => {
    expect(lines(yaml('version: 1', 'accounts: &a {p: {voice: *a}}'))).toEqual([
      '2:26: error: the alias "*a" is inside the node its anchor "&a" names, an endless loop: write the value out instead',
    ]);
  });
});

describe("YAML features are named in the policy's words", () => {
  it('a repeated YAML 1.1 merge key is "<<", not Symbol(<<)', () => {
    const text = yaml('%YAML 1.1', '---', 'version: 1', 'x: &d {y: 1}', '<<: *d', '<<: *d', 'accounts: {}');
    expect(lines(text)).toContain(
      '6:1: error: duplicate key "<<": each key may appear once in a mapping; merge the two entries (the last one would win)',
    );
  });

  it('a merge key with something else than a mapping', () => {
    expect(lines(yaml('%YAML 1.1', '---', 'version: 1', 'accounts:', '  <<: [x]'))).toEqual([
      '5:3: error: a "<<" merge key takes a mapping or an alias of one (<<: *name), or a list of them: write the keys out instead',
    ]);
  });

  it('a list, a mapping, binary data or nothing as a key: an error, and no Node warning', () => {
    expect(lines(yaml('version: 1', '? [US, GB]', ': x', 'accounts: {}'))).toEqual([
      '2:3: error: a list or mapping is used as a key: a key is a name; write it as plain text',
    ]);
    expect(lines(yaml('version: 1', 'accounts: {{a: 1}: 2}'))).toEqual([
      '2:12: error: a list or mapping is used as a key: a key is a name; write it as plain text',
    ]);
    expect(lines(yaml('version: 1', 'accounts:', '  ~: {sid: x}'))).toEqual([
      '3:3: error: a key is empty: write a name before the ":"',
    ]);
    // A tagged scalar key converts to bytes: the library stringifies it, quietly now.
    expect(lines(yaml('version: 1', 'accounts:', '  !!binary aGVsbG8=: {}'))[0]).toMatch(/sid/);
  });

  it('an alias to no anchor is not mistaken for an alias bomb', () => {
    expect(lines(yaml(...HEAD, '    sid: *nowhere'))).toEqual([
      '4:10: error: unknown alias "*nowhere": define the anchor "&nowhere" before the alias uses it',
    ]);
  });

  it('tagged values by their tag, and .nan and .inf as YAML writes them', () => {
    const site = (value: string) =>
      lines(yaml(...HEAD, `    sid: ${value}`))[0]!.replace(/: write the account SID.*/, '');
    expect(site('!!binary aGVsbG8=')).toMatch(
      /accounts\.production\.sid must be a string, not binary data \(!!binary\)$/,
    );
    expect(site('!!timestamp 2001-12-14')).toMatch(
      /not a timestamp \(!!timestamp; quote a date to keep it text\)$/,
    );
    expect(site('!!set {a}')).toMatch(/not a set \(!!set\)$/);
    expect(site('.nan')).toMatch(/not the number \.nan$/);
    expect(site('-.inf')).toMatch(/not the number -\.inf$/);
    expect(lines(yaml('version: 1', 'accounts: !!set {a}'))[0]).toMatch(
      /accounts must be a mapping \(key: value\), not a set/,
    );
  });
});

describe("the user's text: one line, escaped, at most a short excerpt", () => {
  it('control characters, a terminal escape, a bidirectional override and a newline are made visible', () => {
    expect(lines(yaml(...HEAD, '    sid: "\\e[2J\\u202eAC\\n\\r\\t\\u0000"'))).toEqual([
      '4:10: error: malformed SID "\\u001b[2J\\u202eAC\\n\\r\\t\\u0000" in accounts.production.sid: an account SID is "AC" followed by 32 lower-case hex digits (11 characters given, 34 expected); copy it from the Twilio Console',
    ]);
  });

  it('quotes and backslashes in the text are escaped, so the quoted excerpt ends where it seems to', () => {
    expect(lines(yaml(...HEAD, `    sid: ${SID1}`, "    messaging: ['a\"b\\c']"))).toEqual([
      '5:17: error: unknown group or country code "a\\"b\\\\c": define it under "groups:", or use an ISO code such as "US" or "continent:EUROPE"',
    ]);
  });

  it('a long value is cut to 80 characters, whatever the file holds after', () => {
    const secret = 'TWILIO_AUTH_TOKEN=' + 'x'.repeat(100) + '-tail-secret';
    const [line] = lines(yaml(secret));
    expect(line).toContain(`not the string "${secret.slice(0, 79)}…"`);
    expect(line).not.toContain('tail-secret');
  });

  it('a multi-line value stays on one line', () => {
    const [line] = lines(yaml('version: 1', 'accounts: |', '  first', '  second'));
    expect(line).toContain('not the string "first\\nsecond\\n"');
  });

  it('long names in a path are cut to 40 characters each', () => {
    const name = 'n'.repeat(300);
    const [line] = lines(yaml('version: 1', 'accounts:', `  ${name}:`, '    sid: AC1'));
    expect(line).toContain(` in accounts.${'n'.repeat(39)}….sid: `);
  });

  it("the YAML library's own message quotes at most an excerpt of the line", () => {
    const [line] = lines(yaml('version: 1', `accounts: |${'x'.repeat(500)}secret`));
    expect(line).toMatch(/YAML syntax: .*…: fix the YAML syntax$/);
    expect(line).not.toContain('secret');
    expect(line!.length).toBeLessThan(160);
  });

  it('a UTF-16 file (or binary) is refused as not UTF-8 text, without quoting it', () => {
    const utf16 = Buffer.from(yaml(...HEAD, `    sid: ${SID1}`), 'utf16le').toString('utf8');
    expect(lines(utf16)).toEqual([
      '1:2: error: the file holds a NUL character, so it is not UTF-8 text (UTF-16, or binary): save the policy as UTF-8',
    ]);
  });

  it('the corpus of malformed policies keeps its exact messages', () => {
    // (test/policy/malformed.test.ts checks every one; this is the shape the escaping keeps.)
    expect(messages(yaml(...HEAD, '    sid: AC123'))).toEqual([
      '4:10: error: malformed SID "AC123" in accounts.production.sid: an account SID is "AC" followed by 32 lower-case hex digits (5 characters given, 34 expected); copy it from the Twilio Console',
    ]);
  });
});

describe('excerpt and visible (src/model/diagnostics.ts)', () => {
  it('escape as JSON does, cut with an ellipsis within the limit, and leave plain text as it is', () => {
    expect(excerpt('plain text, é漢🙂')).toBe('plain text, é漢🙂');
    expect(excerpt('a"b\\c\n\u0007\u202e\ufeff\u{e0041}\ud800')).toBe(
      'a\\"b\\\\c\\n\\u0007\\u202e\\ufeff\\u{e0041}\\ud800',
    );
    expect(visible('a"b\\c\n')).toBe('a"b\\c\\n');
    expect(excerpt('x'.repeat(80))).toBe('x'.repeat(80));
    expect(excerpt('x'.repeat(81))).toBe('x'.repeat(79) + '…');
    // An escape is never cut in half.
    expect(excerpt('x'.repeat(76) + '\u0000', 80)).toBe('x'.repeat(76) + '…');
    expect(visible('y'.repeat(10), 5)).toBe('yyyy…');
  });
});
