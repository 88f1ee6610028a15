import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { POLICY_INPUT_HINT } from '../../src/action/flows/shared.js';
import { readAndLoadPolicy } from '../../src/policy/read-file.js';

/**
 * Issue 10, item 5: the action reads only regular files inside the workspace, through no symbolic
 * link; the CLI follows a link to a regular file but refuses FIFOs, devices and /proc, /sys, /dev.
 */
const now = new Date('2026-11-25T00:00:00Z');
const VALID = 'version: 1\naccounts:\n  prod:\n    sid: AC0123456789abcdef0123456789abcdef\n';
const SECRET = 'TWILIO_AUTH_TOKEN=unit-fake-secret-5d1e';
const linux = process.platform === 'linux';

let root: string;
let workspace: string;
let outside: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'geo-confine-'));
  workspace = path.join(root, 'repo');
  outside = path.join(root, 'outside.env');
  await mkdir(path.join(workspace, 'config'), { recursive: true });
  await writeFile(outside, `${SECRET}\nGITHUB_TOKEN=ghs_unitFakeSecret\n`);
  await writeFile(path.join(workspace, 'config', 'geo.yml'), VALID);
});

const asAction = (file: string) =>
  readAndLoadPolicy(file, { pointAt: POLICY_INPUT_HINT, now, mode: 'validate', confine: { workspace } });
const asCli = (file: string) =>
  readAndLoadPolicy(file, { pointAt: 'pass --policy FILE', now, mode: 'validate' });

/** The one diagnostic of an unreadable file, checked to quote none of the secret. */
async function refusal(result: ReturnType<typeof asAction>): Promise<string> {
  const { readable, diagnostics } = await result;
  expect(readable).toBe(false);
  expect(diagnostics).toHaveLength(1);
  expect(JSON.stringify(diagnostics)).not.toMatch(/fake-secret|FakeSecret/i);
  return diagnostics[0]!.message;
}

describe('the action: only regular files inside the workspace', () => {
  it('reads a file inside, named relative to the workspace or by its absolute path', async () => {
    expect((await asAction('config/geo.yml')).diagnostics).toEqual([]);
    expect((await asAction(path.join(workspace, 'config/geo.yml'))).diagnostics).toEqual([]);
    await writeFile(path.join(workspace, '..name.yml'), VALID); // starts with "..", stays inside
    expect((await asAction('..name.yml')).diagnostics).toEqual([]);
  });

  it('refuses an absolute path outside and a ".." escape', async () => {
    const outsideMessage =
      'the policy path is outside the workspace (an absolute path or ".."); the action reads only files inside the workspace: set the action input "policy" to its path (relative to the workspace)';
    expect(await refusal(asAction(outside))).toBe(outsideMessage);
    expect(await refusal(asAction('../outside.env'))).toBe(outsideMessage);
    expect(await refusal(asAction('config/../../outside.env'))).toBe(outsideMessage);
  });

  it('refuses a symbolic link, to a file outside or inside the workspace, and a linked directory', async () => {
    const linkMessage =
      'the policy path is a symbolic link or goes through one; the action reads only regular files inside the workspace, never through a link: set the action input "policy" to its path (relative to the workspace), naming the file itself';
    await symlink(outside, path.join(workspace, 'geo-permissions.yml'));
    expect(await refusal(asAction('geo-permissions.yml'))).toBe(linkMessage);
    await symlink(path.join(workspace, 'config/geo.yml'), path.join(workspace, 'inside.yml'));
    expect(await refusal(asAction('inside.yml'))).toBe(linkMessage);
    await symlink(root, path.join(workspace, 'up'));
    expect(await refusal(asAction('up/outside.env'))).toBe(linkMessage);
    await symlink('/proc/self/environ', path.join(workspace, 'environ.yml'));
    expect(await refusal(asAction('environ.yml'))).toBe(linkMessage);
  });

  it('reads from a workspace that is itself reached through a link', async () => {
    const alias = path.join(root, 'workspace-link');
    await symlink(workspace, alias);
    const result = await readAndLoadPolicy('config/geo.yml', {
      pointAt: POLICY_INPUT_HINT,
      now,
      mode: 'validate',
      confine: { workspace: alias },
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('reports a missing file as before', async () => {
    expect(await refusal(asAction('nope.yml'))).toMatch(
      /^policy file not found \(looked in .*repo\): create it or set/,
    );
  });
});

describe('the CLI: a link to a regular file is fine, special files are refused', () => {
  it('follows a symbolic link to a regular file', async () => {
    await symlink(path.join(workspace, 'config/geo.yml'), path.join(root, 'link.yml'));
    expect((await asCli(path.join(root, 'link.yml'))).diagnostics).toEqual([]);
  });

  it.runIf(linux)('refuses /proc/self/environ, directly and through a link, without quoting it', async () => {
    const message = 'this path is a file of the system (under /proc), not a policy file: pass --policy FILE';
    expect(await refusal(asCli('/proc/self/environ'))).toBe(message);
    await symlink('/proc/self/environ', path.join(root, 'geo-permissions.yml'));
    expect(await refusal(asCli(path.join(root, 'geo-permissions.yml')))).toBe(message);
  });

  it.runIf(linux)('refuses /dev/zero and a FIFO without blocking on it', async () => {
    expect(await refusal(asCli('/dev/zero'))).toBe('this path is a device, not a file: pass --policy FILE');
    const fifo = path.join(root, 'fifo.yml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(await refusal(asCli(fifo))).toBe(
      'this path is a named pipe (FIFO), not a file: pass --policy FILE',
    );
  });
});
