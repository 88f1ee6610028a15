import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseEmulatorState, startEmulator, type EmulatorState } from '../../emulator/index.js';
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
  let port = 4010;
  let host = '127.0.0.1';
  let stateFile: string | null = null;
  let seed: 'demo' | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`emulator: ${flag} needs a value\n\n${HELP}`);
      return v;
    };
    if (flag === '--help' || flag === '-h') {
      io.stdout.write(HELP);
      return 0;
    } else if (flag === '--port') {
      port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`emulator: --port must be a port number, got "${args[i]}"`);
    } else if (flag === '--host') host = value();
    else if (flag === '--state') stateFile = value();
    else if (flag === '--seed') {
      const s = value();
      if (s !== 'demo') throw new UsageError(`emulator: the only seed is "demo", got "${s}"`);
      seed = s;
    } else throw new UsageError(`emulator: unexpected argument "${arg}"\n\n${HELP}`);
  }
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
