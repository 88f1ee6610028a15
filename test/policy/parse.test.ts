import * as yaml from 'yaml';
import { describe, expect, it, vi } from 'vitest';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { parseYaml } from '../../src/policy/parse.js';

// The real parser, with visit replaceable one call at a time (the composer and the conversion are
// spied on their prototypes): the crash paths below (a composer that throws, a walk that throws, a
// conversion that throws) have no input that reaches them.
vi.mock('yaml', async (importOriginal) => {
  const real = await importOriginal<typeof yaml>();
  return { ...real, visit: vi.fn(real.visit) };
});

const messages = (text: string) =>
  parseYaml(text, 'p.yml').diagnostics.map((d) => formatDiagnostic(d).replace(/^p\.yml:/, ''));

describe('parseYaml', () => {
  it('phrases each YAML error as what to fix, at the position the parser gives', () => {
    expect(messages('a:\n  b: 1\n c: 2\n')).toEqual([
      '3:1: error: YAML syntax: bad indentation; align each key under its siblings with spaces',
    ]);
    expect(messages('a: "abc\n')).toEqual([
      '2:1: error: YAML syntax: a closing character is missing; check brackets, braces and quotes',
    ]);
    // No hint of our own: the parser's message, then what to do.
    expect(messages('a: "\\q"\n')).toEqual([
      '1:5: error: YAML syntax: Invalid escape sequence \\q: fix the YAML syntax',
    ]);
  });

  it('reports YAML warnings after the errors, and a file with only warnings still parses', () => {
    expect(messages('%FOO bar\n---\na: "\\q"\n')).toEqual([
      '3:5: error: YAML syntax: Invalid escape sequence \\q: fix the YAML syntax',
      '1:1: warning: YAML: Unknown directive %FOO',
    ]);
    const result = parseYaml('version: 1\nx: !foo bar\n', 'p.yml');
    expect(result.ok).toBe(true);
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'p.yml:2:4: warning: YAML: Unresolved tag: !foo',
    ]);
  });

  it('looks past keys that are not scalars when it finds repeated keys (and refuses those keys)', () => {
    expect(messages('? [x]\n: 1\nb: 2\nb: 3\n')).toEqual([
      '4:1: error: duplicate key "b": each key may appear once in a mapping; merge the two entries (the last one would win)',
      '1:3: error: a list or mapping is used as a key: a key is a name; write it as plain text',
    ]);
  });

  it('keeps the repeated-key errors when aliases then expand too far', () => {
    const bomb = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    expect(messages([...bomb, 'c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'c: 1', ''].join('\n'))).toEqual(
      [
        '4:1: error: duplicate key "c": each key may appear once in a mapping; merge the two entries (the last one would win)',
        '2:8: error: YAML aliases expand to too many nodes (over 100, a resource-exhaustion guard): write the lists out or use groups',
      ],
    );
  });

  it('locates a node through an alias, and at its key when the key has no value node', () => {
    const result = parseYaml('a: &m\n  b: [x, y]\nc: *m\n? sid\n', 'p.yml');
    if (!result.ok) throw new Error('expected the YAML to parse');
    const at = (path: (string | number)[], part?: 'key' | 'value') => {
      const { line, column } = result.parsed.locate(path, part);
      return `${line}:${column}`;
    };
    expect(at(['c', 'b', 1])).toBe('2:10');
    expect(at(['c', 'b'], 'key')).toBe('2:3');
    expect(at(['sid'])).toBe('4:3'); // `? sid`: a key with no value node at all
    expect(at(['c', 'nope'])).toBe('3:4'); // a path that leaves the document: its last node found
  });

  it('ends a parser that throws as one message at the top of the file', () => {
    vi.spyOn(yaml.Composer.prototype, 'compose').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    expect(messages('a: 1\n')).toEqual([
      '1:1: error: the YAML could not be read (Maximum call stack size exceeded): simplify the file',
    ]);
  });

  it('reports a walk over the nodes that throws alone, without the warnings found before it', () => {
    vi.mocked(yaml.visit).mockImplementationOnce(() => {
      throw new RangeError('too deep');
    });
    expect(messages('version: 1\nx: !foo bar\n')).toEqual([
      '1:1: error: the YAML could not be read (too deep): simplify the file',
    ]);
  });

  it('reports a conversion that throws at the first alias, after what was already found', () => {
    vi.spyOn(yaml.Document.prototype, 'toJS').mockImplementationOnce(() => {
      throw new RangeError('too deep');
    });
    expect(messages('a: 1\na: 2\nb: &x [1]\nc: *x\n')).toEqual([
      '2:1: error: duplicate key "a": each key may appear once in a mapping; merge the two entries (the last one would win)',
      '4:4: error: the YAML could not be read (too deep): simplify the file',
    ]);
  });
});
