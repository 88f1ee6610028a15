/** The Twilio emulator: a real HTTP server for tests, the demo and users' own pipelines (docs/emulator.md). */
import { demoState } from './demo.js';
import { Fleet } from './fleet.js';
import { listen, type EmulatorOptions, type RunningEmulator } from './server.js';
import { parseEmulatorState } from './state.js';

export { demoState, DEMO } from './demo.js';
export {
  parseEmulatorState,
  type EmulatorState,
  type EmulatorStateInput,
  type EmulatorAccount,
} from './state.js';
export type { EmulatorOptions, LoggedRequest, RunningEmulator } from './server.js';
export type { Fault } from './faults.js';

/** Starts the emulator with `state` (validated), the demo fleet (`seed: 'demo'`), or an empty fleet. */
export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = options.state
    ? parseEmulatorState(structuredClone(options.state))
    : options.seed === 'demo'
      ? demoState()
      : { accounts: [], events: [] };
  return listen(new Fleet(state), {
    port: options.port,
    host: options.host,
    pageSizeCap: options.pageSizeCap,
  });
}
