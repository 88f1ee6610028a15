// src/cli: the geo-permissions command line, each command a thin front end over the same core as the
// action. main.ts picks the command; flags.ts is the one argument reader and args.ts the Twilio commands'
// settings; session.ts holds what the fleet commands share (policy, gateway, report output).
// May import: the core (model, catalog, policy, live, plan, apply, report), twilio/ (the gateway in
// session.ts, the credentials parser in args.ts) and emulator/ (--demo and the emulator command); never
// github/ or action/, and the core never imports cli/. Commands load on demand, so validate stays fast.
import type { CliIO, Command, Interrupt, StopSignal } from './io.js';
import { exitCodeOf, UsageError } from './io.js';
import { createStopLatch } from '../apply/stop.js';
import { nearestName } from './flags.js';
import { packageVersion } from './version.js';
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
  exceptions: {
    load: async () => (await import('./commands/exceptions.js')).exceptionsCommand,
    summary: 'every time-boxed exception: days left, ticket, open live (exit 2 if expired and open)',
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

/** The rows of the usage's command list besides the commands: help and version are answered here. */
const BUILT_IN: ReadonlyArray<[string, string]> = [
  ['help [command]', "this list, or one command's help (the same as `<command> --help`)"],
  ['version', 'the version of geo-permissions (also --version, -V)'],
];

export function usage(): string {
  const rows = [
    ...Object.entries(COMMANDS).map(([name, c]): [string, string] => [name, c.summary]),
    ...BUILT_IN,
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    'Usage: geo-permissions <command> [options]',
    '',
    'Commands:',
    ...rows.map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`),
    '',
    'Run `geo-permissions <command> --help` for the options of one command. Every command takes',
    '--no-color; FORCE_COLOR=1 colours a pipe, NO_COLOR=1 or FORCE_COLOR=0 turns colour off.',
    '',
  ].join('\n');
}

/** `unknown command "plna" (did you mean "plan"?)`, by the policy checker's did-you-mean search. */
function unknownCommand(name: string): string {
  const near = nearestName(name, [...Object.keys(COMMANDS), 'help', 'version']);
  return `error: unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}\n\n${usage()}`;
}

const VERSION = new Set(['version', '--version', '-V']);
const HELP = new Set(['help', '--help', '-h']);

export async function main(argv: string[], io: CliIO): Promise<number> {
  let [name, ...rest] = argv;
  if (name !== undefined && VERSION.has(name)) {
    io.stdout.write(`geo-permissions ${packageVersion()}\n`);
    return 0;
  }
  // `help plan` is `plan --help`; `help` alone the list of commands.
  if (name !== undefined && HELP.has(name) && rest[0] !== undefined && !rest[0].startsWith('-'))
    [name, rest] = [rest[0], ['--help']];
  if (!name || HELP.has(name)) {
    io.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(unknownCommand(name));
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

/** What the handlers use of `process`, injected so they can be tested without signalling the test runner. */
export interface SignalTarget {
  on(event: StopSignal, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: StopSignal, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface Interrupts {
  interrupt: Interrupt;
  /** The first signal received, or null. */
  received(): StopSignal | null;
  remove(): void;
}

const SECOND =
  'stopped at once. Writes in flight were not read back and no report was written; run `geo-permissions plan` to see what is live.';

/**
 * SIGINT (Ctrl-C; a GitHub runner's cancel) and SIGTERM (the runner's, 7.5 s later) for one run:
 * - the first, before the command began writing: stop at once (exit 130 or 143); nothing was written;
 * - the first, once it writes (apply): abort the interrupt's signal; the apply starts no new account,
 *   ends the accounts in flight safely, reads them back and reports (src/apply/apply.ts, CANCELLED);
 *   the process then exits 130 or 143;
 * - the second: stop at once (130 or 143, by that signal), after one line saying what may be incomplete.
 * `emulator` stops itself on either signal, so it gets none.
 */
export function listenForInterrupts(
  argv: readonly string[],
  stderr: CliIO['stderr'],
  target: SignalTarget = process,
): Interrupts | null {
  if (argv[0] === 'emulator') return null;
  const latch = createStopLatch({
    beforeWriting: (signal) => {
      stderr.write(`geo-permissions: ${signal} before any write: stopped; nothing was written to Twilio.\n`);
      target.exit(exitCodeOf(signal));
    },
    whileWriting: (signal) =>
      stderr.write(
        `geo-permissions: ${signal}: starting no new account; finishing the accounts in flight, reading them back and reporting (send it again to stop at once)\n`,
      ),
    again: (signal, first) => {
      stderr.write(`geo-permissions: ${signal} after ${first}: ${SECOND}\n`);
      target.exit(exitCodeOf(signal));
    },
  });
  target.on('SIGINT', latch.onSignal);
  target.on('SIGTERM', latch.onSignal);
  return {
    interrupt: { signal: latch.signal, beginWriting: latch.beginWriting },
    received: latch.received,
    remove() {
      target.off('SIGINT', latch.onSignal);
      target.off('SIGTERM', latch.onSignal);
    },
  };
}
