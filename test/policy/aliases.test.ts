import { Alias } from 'yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPolicy } from '../../src/policy/load.js';
import { MAX_ALIASES } from '../../src/policy/parse.js';

/** `groups:` alternating an anchor and an alias to it, as the hostile review found. */
function anchorsAndAliases(pairs: number): string {
  const lines = ['version: 1', 'groups:'];
  for (let i = 0; i < pairs; i++) lines.push(`  g${2 * i}: &a${i} [US]`, `  g${2 * i + 1}: *a${i}`);
  return [...lines, 'accounts: {}', ''].join('\n');
}

describe('aliases are resolved in one walk of the document', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never asks the yaml library to resolve an alias by walking the whole document', () => {
    // Alias.resolve(doc) without a context walks every node of the document: once per alias, that made
    // a policy of thousands of aliases take minutes. With the library's toJS context it uses a cache.
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    const { diagnostics } = loadPolicy(anchorsAndAliases(MAX_ALIASES), 'p.yml', {
      now: new Date(),
      mode: 'validate',
    });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const walks = resolve.mock.calls.filter(([, ctx]) => ctx === undefined).length;
    expect(walks).toBe(0);
  });

  it('refuses more aliases than a policy needs, at the first one over, before resolving any', () => {
    const resolve = vi.spyOn(Alias.prototype, 'resolve');
    const { desired, diagnostics } = loadPolicy(anchorsAndAliases(MAX_ALIASES + 1), 'p.yml', {
      now: new Date(),
      mode: 'validate',
    });
    expect(desired).toBeNull();
    expect(diagnostics.map((d) => `${d.location.line}: ${d.message}`)).toEqual([
      `${2 * MAX_ALIASES + 4}: more than ${MAX_ALIASES} YAML aliases (this is "*a${MAX_ALIASES}"): a policy may use at most ${MAX_ALIASES}; use groups instead`,
    ]);
    expect(resolve).not.toHaveBeenCalled();
  });

  it('resolves each alias to the last anchor of its name before it, as YAML says', () => {
    const text = [
      'version: 1',
      'groups:',
      '  first: &g [US]',
      '  second: *g',
      '  third: &g [GB]',
      '  fourth: *g',
      'accounts:',
      '  prod:',
      '    sid: AC' + '1'.repeat(32),
      '    messaging: [second, fourth]',
      '',
    ].join('\n');
    const { desired } = loadPolicy(text, 'p.yml', { now: new Date(), mode: 'validate' });
    expect(Object.keys(desired!.accounts[0]!.messaging).sort()).toEqual(['GB', 'US']);
  });
});
