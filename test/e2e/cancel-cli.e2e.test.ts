import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import {
  accountOf,
  cancelFleet,
  CHILDREN,
  NAMES,
  PARENT,
  PARENT_TOKEN,
  signalAtFirstWrite,
  slowWrites,
  startCancelFleet,
  wantedCells,
  widerThanBoth,
} from '../support/cancel-fleet.js';
import { control, requestLog } from '../support/emulator-helpers.js';

/** The built CLI (run `npm run build` first), as a user runs it, interrupted mid-apply. */
const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  ({ emulator, dir } = await startCancelFleet());
});
afterEach(async () => {
  await emulator.stop();
});

const env = () => ({
  PATH: process.env.PATH ?? '',
  TWILIO_ACCOUNT_SID: PARENT,
  TWILIO_AUTH_TOKEN: PARENT_TOKEN,
  TWILIO_API_URL: emulator.url,
});

/** `apply --yes` one account at a time, sent `signals` when the emulator receives the first write. */
async function interruptedApply(signals: NodeJS.Signals[], gapMs?: number) {
  const child = spawn(process.execPath, [CLI, 'apply', '--yes', '--concurrency', '1'], {
    cwd: dir,
    env: env(),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const signalledAt = await signalAtFirstWrite(emulator, child, signals, gapMs);
  const { code, signal } = await closed;
  return { code, signal, stdout, stderr, afterLastSignalMs: Date.now() - signalledAt };
}

describe('dist/cli.js apply, interrupted', () => {
  it('on SIGINT: finishes the account in flight, reports every cell, exits 130', async () => {
    await slowWrites(emulator, 300);
    const run = await interruptedApply(['SIGINT']);
    const before = cancelFleet();
    const after = emulator.state();

    expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
    expect(run.stderr).toContain('SIGINT: starting no new account');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Apply CANCELLED: 2 verified, 0 failed, 0 manual, 14 skipped; 2 write requests.');
    const rowsOf = (name: string) =>
      lines.filter((l) => l.includes(` ${name} `)).map((l) => l.replace(/\s+/g, ' ').trim());
    // team-1 was in flight: its disables went out and were read back, its enables were never sent.
    expect(rowsOf(NAMES[0]!)).toEqual([
      'skipped team-1 voice low-risk GB United Kingdom off -> on cancelled: not sent, because a cancelled apply starts no step that widens',
      'skipped team-1 messaging GB United Kingdom off -> on cancelled: not sent, because a cancelled apply starts no step that widens',
      'verified team-1 voice low-risk MX Mexico on -> off',
      'verified team-1 messaging MX Mexico on -> off',
    ]);
    for (const name of NAMES.slice(1)) {
      expect(rowsOf(name)).toHaveLength(4);
      for (const row of rowsOf(name)) expect(row).toMatch(/^skipped .* cancelled before it started$/);
    }
    expect(accountOf(after, CHILDREN[0]!).voice.countries.MX?.lowRisk).toBe(false);
    expect(accountOf(after, CHILDREN[0]!).messaging.MX).toBe(false);
    for (const sid of CHILDREN.slice(1)) expect(accountOf(after, sid)).toEqual(accountOf(before, sid));
    for (const sid of CHILDREN)
      expect(widerThanBoth(accountOf(before, sid), accountOf(after, sid), wantedCells())).toEqual([]);
  });

  it('on SIGINT then SIGTERM: exits 143 at once, with one line saying what may be incomplete', async () => {
    // The write in flight answers after 5 s: an exit before that did not wait for it.
    await slowWrites(emulator, 5_000);
    const run = await interruptedApply(['SIGINT', 'SIGTERM'], 200);

    expect({ code: run.code, signal: run.signal }).toEqual({ code: 143, signal: null });
    expect(run.afterLastSignalMs).toBeLessThan(4_000);
    expect(run.stdout).toBe('');
    const stopped = run.stderr.split('\n').filter((l) => l.includes('stopped at once'));
    expect(stopped).toEqual([
      'geo-permissions: SIGTERM after SIGINT: stopped at once. Writes in flight were not read back and no report was written; run `geo-permissions plan` to see what is live.',
    ]);
  });

  it('on SIGINT before any write (still reading): stops at once, writes nothing, exits 130', async () => {
    await control(emulator, 'POST', 'faults', { type: 'latency', ms: 300, method: 'GET' });
    const child = spawn(process.execPath, [CLI, 'apply', '--yes'], { cwd: dir, env: env() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    while ((await requestLog(emulator)).length === 0) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');

    expect(await closed).toBe(130);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'geo-permissions: SIGINT before any write: stopped; nothing was written to Twilio.\n',
    );
    expect((await requestLog(emulator)).filter((r) => r.kind === 'write')).toEqual([]);
  });

  const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!python)(
    'Ctrl-C at the confirmation prompt (on a terminal): nothing written, exit 130',
    async () => {
      const ptyRun = path.resolve(import.meta.dirname, '../support/pty-run.py');
      const args = [ptyRun, 'Enter a value:', '\\x03', '--', process.execPath, CLI, 'apply'];
      const child = spawn('python3', args, { cwd: dir, env: env() });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise((resolve) => child.on('close', resolve));
      const run = JSON.parse(out) as { output: string; code: number | null; signal: number | null };

      expect({ code: run.code, signal: run.signal }).toEqual({ code: 130, signal: null });
      expect(run.output).toContain('Interrupted; nothing was written.');
      expect(run.output).not.toContain('error:');
      expect((await requestLog(emulator)).filter((r) => r.kind === 'write')).toEqual([]);
    },
  );
});
