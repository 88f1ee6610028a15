import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_INPUT_HINT } from '../../src/action/flows/shared.js';
import { readAndLoadPolicy, readPolicyFile } from '../../src/policy/read-file.js';

const now = new Date('2026-11-25T00:00:00Z');
const asAction = { pointAt: POLICY_INPUT_HINT, now };

describe('readAndLoadPolicy (as the action calls it)', () => {
  it('turns a missing file into one error on line 1 that names the action input', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'geo-action-')), 'nope.yml');
    const { desired, diagnostics, readable } = await readAndLoadPolicy(file, {
      ...asAction,
      mode: 'validate',
    });
    expect(desired).toBeNull();
    expect(readable).toBe(false);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', location: { file, line: 1, column: 1 } });
    expect(diagnostics[0]!.message).toMatch(
      /^policy file not found \(looked in .*\): create it or set the action input "policy"/,
    );
  });

  it('refuses a directory and a file over 1 MiB before reading them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-action-'));
    expect((await readAndLoadPolicy(dir, { ...asAction, mode: 'plan' })).diagnostics[0]!.message).toBe(
      'this path is not a file: set the action input "policy" to its path (relative to the workspace)',
    );
    const big = path.join(dir, 'big.yml');
    await writeFile(big, 'version: 1\n' + '#'.repeat(1024 * 1024));
    expect((await readAndLoadPolicy(big, { ...asAction, mode: 'plan' })).diagnostics[0]!.message).toMatch(
      /over the 1 MiB/,
    );
  });

  it('loads a valid policy', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-action-'));
    const file = path.join(dir, 'p.yml');
    await writeFile(file, 'version: 1\naccounts:\n  prod:\n    sid: AC0123456789abcdef0123456789abcdef\n');
    const { desired, diagnostics, readable } = await readAndLoadPolicy(file, {
      ...asAction,
      mode: 'validate',
    });
    expect(diagnostics).toEqual([]);
    expect(readable).toBe(true);
    expect(desired?.accounts.map((a) => a.name)).toEqual(['prod']);
  });
});

describe('readAndLoadPolicy (as the CLI calls it)', () => {
  const asCli = { pointAt: 'pass --policy FILE', now, mode: 'plan' as const };

  it('names the file as the user wrote it, in a read failure and in the loaded policy alike', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-cli-'));
    const missing = await readAndLoadPolicy(path.join(dir, 'nope.yml'), { ...asCli, shown: 'nope.yml' });
    expect(missing.diagnostics).toHaveLength(1);
    expect(missing.diagnostics[0]!.location).toEqual({ file: 'nope.yml', line: 1, column: 1 });
    expect(missing.diagnostics[0]!.message).toMatch(/: create it or pass --policy FILE$/);

    await writeFile(path.join(dir, 'bad.yml'), 'version: 1\naccounts:\n  prod:\n    sid: AC1\n');
    const bad = await readAndLoadPolicy(path.join(dir, 'bad.yml'), { ...asCli, shown: 'bad.yml' });
    expect(bad.readable).toBe(true);
    expect(bad.desired).toBeNull();
    expect(bad.diagnostics.map((d) => d.location.file)).toEqual(['bad.yml']);
  });
});

describe('readPolicyFile', () => {
  it('returns the text and the path it was given', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-read-'));
    const file = path.join(dir, 'geo-permissions.yml');
    await writeFile(file, 'version: 1\n');
    expect(await readPolicyFile(file, 'pass --policy FILE')).toEqual({
      file,
      text: expect.stringContaining('version: 1'),
    });
  });

  it('refuses a directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-read-'));
    await expect(readPolicyFile(dir, 'pass --policy FILE')).rejects.toThrow(
      'this path is not a file: pass --policy FILE',
    );
  });
});
