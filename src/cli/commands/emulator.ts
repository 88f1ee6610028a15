import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEmulatorState, startEmulator, type EmulatorState } from '../../emulator/index.js';
import { readArgs, wholeNumber } from '../flags.js';
import type { Command } from '../io.js';
import { UsageError } from '../io.js';

const HELP = `Usage: geo-permissions emulator [--port N] [--host H] [--state FILE] [--seed demo]

Runs a Twilio-compatible emulator (voice dialing permissions, messaging geo permissions,
Monitor events, v2010 accounts) plus a control API under /__emulator/ until stopped.
Point the other commands at it with --twilio-url URL (env TWILIO_API_URL). See docs/emulator.md.

Options:
  --port N        port to listen on (default: 4010; 0 picks a free one)
  --host H        address to bind (default: 127.0.0.1)
  --state FILE    start from this state file (JSON; read once, never written)
  --seed demo     start from the demo fleet (a parent and two subaccounts)
`;

export const emulatorCommand: Command = async (args, io) => {
  const parsed = readArgs('emulator', args, ['port', 'host', 'state', 'seed']);
  if (parsed === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const { values } = parsed;
  const port = wholeNumber('port', values.port, 0, 65535) ?? 4010;
  const host = values.host ?? '127.0.0.1';
  const stateFile = values.state ?? null;
  if (values.seed !== undefined && values.seed !== 'demo')
    throw new UsageError(`emulator: the only seed is "demo", got "${values.seed}"`);
  const seed = values.seed === 'demo' ? 'demo' : undefined;
  if (stateFile && seed) throw new UsageError('emulator: give --state or --seed, not both');

  let state: EmulatorState | undefined;
  if (stateFile) {
    const file = path.resolve(io.cwd, stateFile);
    try {
      state = parseEmulatorState(JSON.parse(await readFile(file, 'utf8')));
    } catch (err) {
      io.stderr.write(`error: ${stateFile}: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  const emulator = await startEmulator({ port, host, state, seed });
  io.stdout.write(
    `Twilio emulator listening on ${emulator.url} (${emulator.state().accounts.length} accounts)\n`,
  );
  io.stdout.write(
    `control API: ${emulator.url}/__emulator/state | console | requests | faults; Ctrl-C stops\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.stop();
  return 0;
};
