// src/cli: the geo-permissions command line, each command a thin front end over the same core as the
// action. main.ts picks the command; flags.ts is the one argument reader and args.ts the Twilio commands'
// settings; session.ts holds what the fleet commands share (policy, gateway, report output).
// May import: the core (model, catalog, policy, live, plan, apply, report), twilio/ (the gateway in
// session.ts, the credentials parser in args.ts) and emulator/ (--demo and the emulator command); never
// github/ or action/, and the core never imports cli/. Commands load on demand, so validate stays fast.
import type { CliIO, Command } from './io.js';
import { UsageError } from './io.js';
// Each command loads on demand, so `validate` never loads the Twilio SDK or the emulator.
const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  validate: {
    load: async () => (await import('./commands/validate.js')).validateCommand,
    summary: 'check the policy file, no network (exit 0 valid, 1 invalid)',
  },
  plan: {
    load: async () => (await import('./commands/plan.js')).planCommand,
    summary: 'compare live Twilio state with the policy (exit 2 with --detailed-exitcode and changes)',
  },
  apply: {
    load: async () => (await import('./commands/apply.js')).applyCommand,
    summary: 'plan, check guards, write in a safe order, read every cell back',
  },
  drift: {
    load: async () => (await import('./commands/drift.js')).driftCommand,
    summary: 'the plan framed as drift, with who changed what (exit 2 on drift)',
  },
  export: {
    load: async () => (await import('./commands/export.js')).exportCommand,
    summary: 'write a policy from live state; planning it yields no changes',
  },
  why: {
    load: async () => (await import('./commands/why.js')).whyCommand,
    summary: 'can this account call or text NUMBER, and which policy line decides it',
  },
  emulator: {
    load: async () => (await import('./commands/emulator.js')).emulatorCommand,
    summary: 'run the Twilio emulator on 127.0.0.1',
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: geo-permissions <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `geo-permissions <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`error: unknown command "${name}"\n\n${usage()}`);
    return 1;
  }
  try {
    return await (
      await command.load()
    )(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    io.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
