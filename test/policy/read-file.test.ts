import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicyFile } from '../../src/action/policy-file.js';

const now = new Date('2026-11-25T00:00:00Z');

describe('loadPolicyFile (action)', () => {
  it('turns a missing file into one error on line 1 that names the action input', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'geo-action-')), 'nope.yml');
    const { desired, diagnostics } = await loadPolicyFile(file, 'validate', now);
    expect(desired).toBeNull();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', location: { file, line: 1, column: 1 } });
    expect(diagnostics[0]!.message).toMatch(
      /^policy file not found \(looked in .*\): create it or set the action input "policy"/,
    );
  });

  it('refuses a directory and a file over 1 MiB before reading them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-action-'));
    expect((await loadPolicyFile(dir, 'plan', now)).diagnostics[0]!.message).toBe(
      'this path is not a file: set the action input "policy" to its path (relative to the workspace)',
    );
    const big = path.join(dir, 'big.yml');
    await writeFile(big, 'version: 1\n' + '#'.repeat(1024 * 1024));
    expect((await loadPolicyFile(big, 'plan', now)).diagnostics[0]!.message).toMatch(/over the 1 MiB/);
  });

  it('loads a valid policy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-action-'));
    const file = path.join(dir, 'p.yml');
    await writeFile(file, 'version: 1\naccounts:\n  prod:\n    sid: AC0123456789abcdef0123456789abcdef\n');
    const { desired, diagnostics } = await loadPolicyFile(file, 'validate', now);
    expect(diagnostics).toEqual([]);
    expect(desired?.accounts.map((a) => a.name)).toEqual(['prod']);
  });
});
