import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { emulatorCommand } from '../../src/cli/commands/emulator.js';
import { UsageError, type CliIO } from '../../src/cli/io.js';

function io(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    stdout: { write: (t) => out.push(t) },
    stderr: { write: (t) => err.push(t) },
    env: {},
    cwd,
  };
  return { cli, out, err };
}

it('prints its help', async () => {
  const { cli, out } = io();
  expect(await emulatorCommand(['--help'], cli)).toBe(0);
  expect(out.join('')).toMatch(/--port N.*\n.*--host H.*\n.*--state FILE.*\n.*--seed demo/s);
});

it('rejects bad arguments before listening', async () => {
  const { cli } = io();
  await expect(emulatorCommand(['--port', 'x'], cli)).rejects.toThrow(UsageError);
  await expect(emulatorCommand(['--seed', 'prod'], cli)).rejects.toThrow(/only seed is "demo"/);
  await expect(emulatorCommand(['--state', 'a.json', '--seed', 'demo'], cli)).rejects.toThrow(/not both/);
  await expect(emulatorCommand(['--verbose'], cli)).rejects.toThrow(/unexpected argument/);
});

it('refuses an invalid state file with the path at fault', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'emu-'));
  await writeFile(
    path.join(dir, 'state.json'),
    JSON.stringify({ accounts: [{ sid: 'AC1', authToken: 't' }] }),
  );
  const { cli, err } = io(dir);
  expect(await emulatorCommand(['--state', 'state.json'], cli)).toBe(1);
  expect(err.join('')).toMatch(/state\.json: invalid emulator state at accounts\.0\.sid/);
});
