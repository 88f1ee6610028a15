import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import type { CliIO } from '../../src/cli/io.js';

const root = path.resolve(import.meta.dirname, '../..');
const example = path.join(root, 'examples/geo-permissions.yml');
const SID = 'AC0123456789abcdef0123456789abcdef';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'geo-validate-'));
  writeFileSync(
    path.join(dir, 'geo-permissions.yml'),
    `version: 1\naccounts:\n  production:\n    sid: ${SID}\n`,
  );
  writeFileSync(
    path.join(dir, 'bad.yml'),
    `version: 1\naccounts:\n  production:\n    sid: ${SID}\n    messaging: [UK]\n`,
  );
  writeFileSync(
    path.join(dir, 'warn.yml'),
    `version: 1\naccounts:\n  production:\n    sid: ${SID}\n    messaging: [PK]\n`,
  );
  writeFileSync(path.join(dir, 'huge.yml'), '#'.repeat(1024 * 1024 + 1));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CliIO & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    env: {},
    cwd: dir,
    stdout: { write: (t: string) => (sink.out += t) },
    stderr: { write: (t: string) => (sink.err += t) },
  };
  return sink;
}

describe('validate command (in process)', () => {
  it('reads geo-permissions.yml from the working directory by default and exits 0', async () => {
    const cli = io();
    expect(await validateCommand([], cli)).toBe(0);
    expect(cli.out).toBe('geo-permissions.yml: valid, 1 account\n');
    expect(cli.err).toBe('');
  });

  it('prints every diagnostic on stderr and exits 1 when invalid', async () => {
    const cli = io();
    expect(await validateCommand(['--policy', 'bad.yml'], cli)).toBe(1);
    expect(cli.err).toBe(
      'bad.yml:5:17: error: unknown country code "UK" (did you mean "GB"?)\nbad.yml: invalid, 1 error\n',
    );
    expect(cli.out).toBe('');
  });

  it('exits 0 with warnings, printed on stderr', async () => {
    const cli = io();
    expect(await validateCommand(['--policy=warn.yml'], cli)).toBe(0);
    expect(cli.err).toContain('warn.yml:5:17: warning: messaging to PK (Pakistan)');
    expect(cli.out).toBe('warn.yml: valid, 1 account, 1 warning\n');
  });

  it('says a missing file is missing and exits 1', async () => {
    const cli = io();
    expect(await validateCommand(['--policy', 'nope.yml'], cli)).toBe(1);
    expect(cli.err).toMatch(
      /^nope\.yml:1:1: error: policy file not found \(looked in .*\): create it or pass --policy FILE\n$/,
    );
  });

  it('refuses a file over 1 MiB before reading it', async () => {
    const cli = io();
    expect(await validateCommand(['--policy', 'huge.yml'], cli)).toBe(1);
    expect(cli.err).toContain(
      'huge.yml:1:1: error: the file is 1048577 bytes, over the 1 MiB (1048576 bytes) limit',
    );
  });

  it('rejects unknown arguments', async () => {
    await expect(validateCommand(['--polcy', 'x'], io())).rejects.toThrow(
      'validate: unexpected argument "--polcy"',
    );
  });
});

describe('dist/cli.js validate (built bundle, as a process)', () => {
  const cli = path.join(root, 'dist/cli.js');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [cli, 'validate', ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });

  it('exists (run `npm run build` first)', () => {
    expect(existsSync(cli)).toBe(true);
  });

  it('validates the shipped example: exit 0, summary on stdout', () => {
    const r = run('--policy', example);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${example}: valid, 3 accounts\n`);
    expect(r.status).toBe(0);
  });

  it('loads neither the Twilio SDK, node:crypto nor the ESM node:util (validate stays fast)', () => {
    // Records every module specifier the process resolves, imports and requires alike.
    const hook = path.join(dir, 'record-modules.mjs');
    writeFileSync(
      hook,
      "import { registerHooks } from 'node:module';\nconst seen = new Set();\n" +
        'registerHooks({ resolve(s, c, next) { seen.add(s); return next(s, c); } });\n' +
        "process.on('exit', () => process.stderr.write(JSON.stringify([...seen])));\n",
    );
    const r = spawnSync(process.execPath, ['--import', hook, cli, 'validate', '--policy', example], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const seen = JSON.parse(r.stderr) as string[];
    // The SDK needs http(s); an ESM import of node:util alone costs about 2 ms (flags.ts avoids it).
    for (const heavy of ['node:crypto', 'crypto', 'node:http', 'node:https', 'http', 'https', 'node:util'])
      expect(seen).not.toContain(heavy);
  });

  it('rejects an invalid policy: exit 1, FILE:LINE:COL messages on stderr', () => {
    const r = run('--policy', 'bad.yml');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      'bad.yml:5:17: error: unknown country code "UK" (did you mean "GB"?)',
    );
  });
});
