/**
 * The Twilio emulator: a real HTTP server that answers the Twilio APIs this project uses as Twilio does
 * (voice, accounts, monitor and v2010 on one base URL), plus the /__emulator/ control API, for the
 * tests, the demo and users' own pipelines (docs/emulator.md). It never talks to Twilio.
 *
 * It is an edge: it may import the model (src/model) and the catalog (src/catalog), and nothing else
 * of the project: never plan, apply, report, cli, action or github, nor the Twilio gateway (src/twilio)
 * or SDK. Others import it through this file only.
 *
 * Inside: server.ts (HTTP, auth, faults) -> twilio-routes.ts (the route table by product) and
 * control.ts (the control API), both matched by routes.ts; fleet.ts holds the rules, state.ts the
 * state format, wire.ts Twilio's JSON, paging.ts its list envelopes, forms.ts the write bodies.
 */
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
export type { EmulatorOptions, RunningEmulator } from './server.js';
export type { LoggedRequest } from './request-log.js';
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
