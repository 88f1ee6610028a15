/** What a CLI command may touch of the process, injected so commands are testable in-process. */
export interface CliIO {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** A command gets its own arguments (after the command name) and answers an exit code. */
export type Command = (args: string[], io: CliIO) => Promise<number>;

/** A usage error: printed with the command's help, exit 1. */
export class UsageError extends Error {}
