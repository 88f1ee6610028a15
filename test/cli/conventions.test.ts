// The conventions users bring from Terraform, gh and the like, driven through the built CLI as a
// process: --version, help CMD, did-you-mean, colour switches; and every flag a command's help lists is
// one it accepts (walked in-process over every command, since that is ~50 runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorOf } from '../../src/cli/color.js';
import { main } from '../../src/cli/main.js';
import { runCliWithEnv } from '../support/cli-fleet.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli.js');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
const empty = mkdtempSync(path.join(tmpdir(), 'geo-conventions-'));

/** dist/cli.js (run `npm run build` first) with only PATH and `env` in its environment. */
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [cli, ...args], {
    cwd: empty,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '', ...env },
  });

describe('dist/cli.js conventions', () => {
  it('prints the package version for --version, -V and version', () => {
    for (const flag of ['--version', '-V', 'version']) {
      const r = run([flag]);
      expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({
        stdout: `geo-permissions ${version}\n`,
        stderr: '',
        status: 0,
      });
    }
  });

  it('`help CMD` prints what `CMD --help` prints', () => {
    for (const command of ['validate', 'plan', 'apply', 'drift', 'export', 'why', 'emulator']) {
      const viaHelp = run(['help', command]);
      const viaFlag = run([command, '--help']);
      expect(viaHelp.status).toBe(0);
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: geo-permissions ${command}`));
    }
    expect(run(['help']).stdout).toContain('help [command]');
  });

  it('suggests the command or flag meant', () => {
    const command = run(['plna']);
    expect(command.status).toBe(1);
    expect(command.stderr.split('\n')[0]).toBe('error: unknown command "plna" (did you mean "plan"?)');
    expect(run(['help', 'exprot']).stderr).toContain('unknown command "exprot" (did you mean "export"?)');
    expect(run(['frobnicate']).stderr.split('\n')[0]).toBe('error: unknown command "frobnicate"');

    const flag = run(['plan', '--polcy', 'x.yml']);
    expect(flag.status).toBe(1);
    expect(flag.stderr).toBe(
      'error: plan: unexpected argument "--polcy": Unknown option \'--polcy\' (did you mean "--policy"?); see `geo-permissions plan --help`\n',
    );
    expect(run(['apply', '--dry-run']).stderr).not.toContain('did you mean');
    expect(run(['drift', '--lookback', '3']).stderr).toContain('(did you mean "--lookback-days"?)');
    expect(run(['validate', '--no-colour']).stderr).toContain('(did you mean "--no-color"?)');
  });

  it('colours a pipe with FORCE_COLOR, and never with --no-color or FORCE_COLOR=0', () => {
    const ESC = '\u001b[';
    expect(run(['plan', '--demo']).stdout).not.toContain(ESC);
    expect(run(['plan', '--demo'], { FORCE_COLOR: '1' }).stdout).toContain(ESC);
    // FORCE_COLOR wins over NO_COLOR, as in Node.
    expect(run(['plan', '--demo'], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).toContain(ESC);
    expect(run(['plan', '--demo', '--no-color'], { FORCE_COLOR: '1' }).stdout).not.toContain(ESC);
    expect(run(['plan', '--demo'], { FORCE_COLOR: '0' }).stdout).not.toContain(ESC);
    const plain = run(['plan', '--demo', '--no-color']);
    expect(plain.status).toBe(0);
    expect(plain.stdout.split('\n')[0]).toMatch(/^Plan: opens /);
  });
});

describe('colorOf', () => {
  it('on a terminal: colour unless --no-color, NO_COLOR, FORCE_COLOR=0/false or TERM=dumb', () => {
    expect(colorOf(false, {}, true)).toBe(true);
    expect(colorOf(true, {}, true)).toBe(false);
    expect(colorOf(false, { NO_COLOR: '1' }, true)).toBe(false);
    expect(colorOf(false, { NO_COLOR: '' }, true)).toBe(true);
    expect(colorOf(false, { FORCE_COLOR: 'false' }, true)).toBe(false);
    expect(colorOf(false, { TERM: 'dumb' }, true)).toBe(false);
    expect(colorOf(false, { TERM: 'dumb', FORCE_COLOR: '' }, false)).toBe(true);
  });
});

/** A value for each valued flag; a flag not here is a switch. */
const VALUES: Record<string, string> = {
  policy: 'missing.yml',
  format: 'json',
  out: 'out.txt',
  concurrency: '2',
  'max-changes': '3',
  'twilio-url': 'http://127.0.0.1:9',
  'twilio-region': 'ie1',
  'twilio-edge': 'dublin',
  account: 'AC00000000000000000000000000000001',
  from: '+14155550100',
  'lookback-days': '7',
  shard: '1/2',
  port: '0',
  host: '127.0.0.1',
  state: 'missing.json',
  seed: 'demo',
  plan: 'missing.json',
};

/** What every run of a command needs so it stops soon after reading its flags (no emulator left running). */
const BASE: Record<string, string[]> = { why: ['+442079460123'], emulator: ['--state', 'missing.json'] };

/** The long flags of a help: its usage line and its option lines (prose may name other commands' flags). */
function helpFlags(help: string): string[] {
  const lines = help.split('\n').filter((l) => l.startsWith('Usage:') || /^ {2}--/.test(l));
  const flags = lines.flatMap((l) => [...l.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] ?? ''));
  return [...new Set(flags)].filter((f) => f !== 'help');
}

describe('every flag a command help lists is accepted by it', () => {
  const commands = ['validate', 'plan', 'apply', 'drift', 'export', 'why', 'emulator'];
  it.each(commands)('%s', async (command) => {
    let help = '';
    await main([command, '--help'], {
      stdout: { write: (t: string) => (help += t) },
      stderr: { write: () => true },
      env: {},
      cwd: empty,
    });
    const flags = helpFlags(help);
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) {
      const value = VALUES[flag];
      const args = [command, ...(BASE[command] ?? []), `--${flag}`, ...(value === undefined ? [] : [value])];
      const r = await runCliWithEnv({}, empty, args);
      expect(r.stderr, args.join(' ')).not.toMatch(/is not an option|Unknown option/);
    }
  });
});
