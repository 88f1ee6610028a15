// The apply prompt on a real terminal (dist/cli.js under a pseudo-terminal): it counts what it will
// write and approves only `yes`, as Terraform's does.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { PRODUCTION_TOKEN, SID, startCliFleet } from '../support/cli-fleet.js';
import { requestLog } from '../support/emulator-helpers.js';

const CLI = path.resolve(import.meta.dirname, '../../dist/cli.js');
const PTY_RUN = path.resolve(import.meta.dirname, '../support/pty-run.py');
const python = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

/** `apply` on a terminal, answering `keys` at the prompt. */
async function answer(keys: string) {
  const env = {
    PATH: process.env.PATH ?? '',
    TWILIO_ACCOUNT_SID: SID.production,
    TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN,
    TWILIO_API_URL: emulator.url,
    NO_COLOR: '1',
  };
  const child = spawn('python3', [PTY_RUN, 'Enter a value:', keys, '--', process.execPath, CLI, 'apply'], {
    cwd: dir,
    env,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  return JSON.parse(out) as { output: string; code: number | null };
}

const writes = async () => (await requestLog(emulator)).filter((r) => r.kind === 'write').length;

describe.skipIf(!python)('dist/cli.js apply, at the prompt', () => {
  it('counts cells, accounts and what opens by risk, and takes `y` as no', async () => {
    const run = await answer('y\r');
    expect(run.output).toContain(
      'Apply writes 5 cells in 2 accounts to Twilio: opens 3 cells (3 medium) and closes 2 cells, in 2 of 3 accounts.\r\n' +
        'Fingerprint ',
    );
    expect(run.output).toContain("Only 'yes' will be accepted to approve.\r\nEnter a value: ");
    expect(run.output).toContain("Not confirmed (only 'yes' approves); nothing was written.");
    expect(run.code).toBe(1);
    expect(await writes()).toBe(0);
  });

  it('applies on `yes`', async () => {
    const run = await answer('yes\r');
    expect(run.output).toContain('Apply succeeded: 5 verified, 0 failed, 0 manual, 0 skipped');
    expect(run.code).toBe(0);
  });
});
