import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/action-harness.js';

/**
 * Issue 10, item 5, as reported: a committed geo-permissions.yml that is a symbolic link to a file
 * outside the workspace (there, /proc/self/environ) put the Twilio and GitHub tokens into the job
 * summary and the annotations. The built action (dist/index.js) and CLI (dist/cli.js), run as a runner
 * and a user run them. Run `npm run build` first.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const TWILIO_SECRET = 'e2e-fake-twilio-secret-91c3';
const GITHUB_SECRET = 'ghs_e2eFakeGithubSecret77';
const SECRET_FILE = `TWILIO_AUTH_TOKEN=${TWILIO_SECRET}\nGITHUB_TOKEN=${GITHUB_SECRET}\n`;
const linux = process.platform === 'linux';

let root: string;
let workspace: string;
let outside: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'geo-policy-path-'));
  workspace = path.join(root, 'repo');
  outside = path.join(root, 'secrets.env');
  await mkdir(workspace);
  await writeFile(outside, SECRET_FILE);
});

/** Everything a run leaves for people to read: logs, the summary, the outputs, RUNNER_TEMP's files. */
async function everythingShown(run: ActionRun): Promise<string> {
  const files = await readdir(run.dir);
  const contents = await Promise.all(files.map((f) => readFile(path.join(run.dir, f), 'utf8')));
  return [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs), ...contents].join('\n');
}

function action(policy: string, mode: 'validate' | 'plan') {
  return runAction({
    eventName: 'push',
    event: { ref: 'refs/heads/main', repository: { full_name: 'acme/telephony', default_branch: 'main' } },
    cwd: workspace,
    inputs: {
      policy,
      mode,
      'twilio-account-sid': 'AC00000000000000000000000000000001',
      'twilio-auth-token': 'e2e-input-token',
      // Never reached: the policy is refused before any request.
      'twilio-api-url': 'http://127.0.0.1:9',
      'github-token': '',
    },
  });
}

describe('the action reads only regular files inside the workspace (dist/index.js)', () => {
  it.each(['validate', 'plan'] as const)(
    'a committed symbolic link to a file of secrets outside: refused in %s mode, no secret shown',
    async (mode) => {
      await symlink(outside, path.join(workspace, 'geo-permissions.yml'));
      const run = await action('geo-permissions.yml', mode);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        '::error file=geo-permissions.yml,line=1,col=1::the policy path is a symbolic link or goes through one',
      );
      expect(run.summary).toContain('the policy path is a symbolic link or goes through one');
      const shown = await everythingShown(run);
      expect(shown).not.toContain(TWILIO_SECRET);
      expect(shown).not.toContain(GITHUB_SECRET);
    },
  );

  it.runIf(linux)('the reported case: a link to /proc/self/environ', async () => {
    await symlink('/proc/self/environ', path.join(workspace, 'geo-permissions.yml'));
    const run = await action('geo-permissions.yml', 'validate');
    expect(run.code).toBe(1);
    const shown = await everythingShown(run);
    expect(shown).toContain('the policy path is a symbolic link or goes through one');
    // The runner's variables the harness sets: none of them is quoted (the token's ::add-mask:: line aside).
    expect(shown).not.toMatch(/GITHUB_WORKFLOW=|INPUT_TWILIO-AUTH-TOKEN=|[^:]e2e-input-token/);
  });

  it.each([
    ['an absolute path outside', () => outside],
    ['a ".." escape', () => '../secrets.env'],
  ])('%s: refused, with what to do, no secret shown', async (_, policy) => {
    const run = await action(policy(), 'validate');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::the policy path is outside the workspace (an absolute path or ".."); the action reads only files inside the workspace: set the action input "policy" to its path (relative to the workspace)',
    );
    const shown = await everythingShown(run);
    expect(shown).not.toContain(TWILIO_SECRET);
    expect(shown).not.toContain(GITHUB_SECRET);
  });
});

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }>((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, timeout: 10_000, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr, killed: Boolean(err?.killed) });
      },
    );
  });
}

describe.runIf(linux)('the CLI refuses special files (dist/cli.js)', () => {
  it('a FIFO: refused at once, never waiting for a writer', async () => {
    expect(spawnSync('mkfifo', [path.join(workspace, 'pipe.yml')]).status).toBe(0);
    const run = await cli(['validate', '--policy', 'pipe.yml'], workspace);
    expect(run.killed).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'pipe.yml:1:1: error: this path is a named pipe (FIFO), not a file: pass --policy FILE\n',
    );
  });

  it('/dev/zero: refused as a device', async () => {
    const run = await cli(['validate', '--policy', '/dev/zero'], workspace);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('/dev/zero:1:1: error: this path is a device, not a file: pass --policy FILE\n');
  });

  it('/proc/self/environ, named or behind the default geo-permissions.yml: refused, no secret shown', async () => {
    const env = { TWILIO_AUTH_TOKEN: TWILIO_SECRET, GITHUB_TOKEN: GITHUB_SECRET };
    await symlink('/proc/self/environ', path.join(workspace, 'geo-permissions.yml'));
    for (const args of [
      ['validate', '--policy', '/proc/self/environ'],
      ['validate'],
      ['plan', '--demo', '--policy', 'geo-permissions.yml'],
    ]) {
      const run = await cli(args, workspace, env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^\S+:1:1: error: this path is a file of the system \(under \/proc\), not a policy file: pass --policy FILE/,
      );
      expect(run.stdout + run.stderr).not.toContain(TWILIO_SECRET);
      expect(run.stdout + run.stderr).not.toContain(GITHUB_SECRET);
    }
  });

  it('a symbolic link to a regular policy file is followed', async () => {
    const file = path.join(root, 'real.yml');
    await writeFile(file, 'version: 1\naccounts:\n  prod:\n    sid: AC0123456789abcdef0123456789abcdef\n');
    await symlink(file, path.join(workspace, 'geo-permissions.yml'));
    const run = await cli(['validate'], workspace);
    expect(run).toMatchObject({ code: 0, stdout: 'geo-permissions.yml: valid, 1 account\n', stderr: '' });
  });
});
