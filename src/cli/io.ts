import { formatDiagnostic, type Diagnostic } from '../model/diagnostics.js';
import { STOP_EXIT_CODE, type StopSignal } from '../apply/stop.js';

/** What a CLI command may touch of the process, injected so commands are testable in-process. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The process's SIGINT/SIGTERM, when it listens for them (index.ts; main.ts says what they do). */
  interrupt?: Interrupt;
}

/** A first SIGINT or SIGTERM, as a command sees it. */
export interface Interrupt {
  /** Aborted by the first signal once writing began; before that the process stops at once. */
  signal: AbortSignal;
  /** Writes begin: from now on a first signal lets the command end its writes safely and report. */
  beginWriting(): void;
}

export type { StopSignal };

/** 128 + the signal's number, as a shell reports a process that signal ended: 130 SIGINT, 143 SIGTERM. */
export const exitCodeOf = (signal: StopSignal): number => STOP_EXIT_CODE[signal];

/** Every diagnostic of the policy on stderr, one `FILE:LINE:COL: ...` line each. */
export function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) io.stderr.write(formatDiagnostic(d) + '\n');
}

/** A command gets its own arguments (after the command name) and answers an exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** A usage error: printed with the command's help, exit 1. */
export class UsageError extends Error {}
