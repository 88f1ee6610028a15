/**
 * How a run stops on SIGINT (Ctrl-C; a GitHub runner's cancel) and SIGTERM (the runner's, 7.5 s later;
 * docs/hardening.md), shared by the CLI and the action, which install it on `process`:
 * - the first signal before the run began writing: stop at once (nothing was written);
 * - the first once it writes: abort `signal`; the apply starts no new account, ends the accounts in flight
 *   safely and reads them back, and the front end reports (src/apply/apply.ts, CANCELLED);
 * - the second: stop at once, after one line saying what may be incomplete.
 * Pure: the front end says what each stage does.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** 128 + the signal's number, as a shell reports a process that signal ended. */
export const STOP_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface StopStages {
  beforeWriting(signal: StopSignal): void;
  whileWriting(signal: StopSignal): void;
  again(signal: StopSignal, first: StopSignal): void;
}

export interface StopLatch {
  /** Aborted by the first signal. */
  readonly signal: AbortSignal;
  /** From now on a first signal winds the run down instead of stopping it. */
  beginWriting(): void;
  /** The first signal received, or null. */
  received(): StopSignal | null;
  /** The listener to install for SIGINT and SIGTERM. */
  onSignal(received: NodeJS.Signals): void;
}

export function createStopLatch(stages: StopStages): StopLatch {
  const controller = new AbortController();
  let writing = false;
  let first: StopSignal | null = null;
  return {
    signal: controller.signal,
    beginWriting: () => void (writing = true),
    received: () => first,
    onSignal(received) {
      const signal: StopSignal = received === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
      if (first) return stages.again(signal, first);
      first = signal;
      controller.abort(signal);
      if (writing) stages.whileWriting(signal);
      else stages.beforeWriting(signal);
    },
  };
}
