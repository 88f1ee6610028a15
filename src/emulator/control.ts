import * as z from 'zod';
import { USER_SID } from '../model/patterns.js';
import { parseFaults, type FaultTable } from './faults.js';
import { OFF, TwilioFault, type Actor, type Fleet } from './fleet.js';
import { knownIso } from './forms.js';
import type { RequestLog } from './request-log.js';
import { matchRoute, pathPattern, type Answer, type Route } from './routes.js';
import { parseEmulatorState } from './state.js';

/** The control API under /__emulator/ (docs/emulator.md): no auth; errors are `{error}`, not Twilio's body. */

/** What the control API reads and changes: the running emulator's parts. */
export interface ControlTarget {
  fleet: Fleet;
  faults: FaultTable;
  log: RequestLog;
}

interface ControlRequest {
  target: ControlTarget;
  body: string;
}

function route(method: string, template: string, handle: (request: ControlRequest) => Answer) {
  return { method, path: pathPattern(template), handle } satisfies Route<ControlRequest>;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

function readState({ target }: ControlRequest): Answer {
  return ok(target.fleet.state);
}

function replaceState({ target, body }: ControlRequest): Answer {
  target.fleet.state = parseEmulatorState(parseJson(body));
  return ok(target.fleet.state);
}

function consoleChange({ target, body }: ControlRequest): Answer {
  return ok(applyConsoleChange(target.fleet, parseJson(body)));
}

function readLog({ target }: ControlRequest): Answer {
  return ok(target.log.snapshot());
}

function clearLog({ target }: ControlRequest): Answer {
  target.log.clear();
  return ok(target.log.snapshot());
}

function listFaults({ target }: ControlRequest): Answer {
  return ok({ faults: target.faults.list() });
}

function addFaults({ target, body }: ControlRequest): Answer {
  target.faults.add(parseFaults(parseJson(body)));
  return listFaults({ target, body });
}

function clearFaults({ target, body }: ControlRequest): Answer {
  target.faults.clear();
  return listFaults({ target, body });
}

/** Every control endpoint; GET first where a path has several methods (a wrong method is told "use GET"). */
const CONTROL_ROUTES = [
  route('GET', '/__emulator/state', readState),
  route('PUT', '/__emulator/state', replaceState),
  route('POST', '/__emulator/console', consoleChange),
  route('GET', '/__emulator/requests', readLog),
  route('DELETE', '/__emulator/requests', clearLog),
  route('GET', '/__emulator/faults', listFaults),
  route('POST', '/__emulator/faults', addFaults),
  route('DELETE', '/__emulator/faults', clearFaults),
];

/** Answers a control request; a refusal is its status (400 for a bad body) with `{error}`. */
export function answerControl(target: ControlTarget, method: string, path: string, body: string): Answer {
  const match = matchRoute(CONTROL_ROUTES, method, path);
  if (match === null) return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
  try {
    if ('allowed' in match) throw new TwilioFault(405, 20004, `Method not allowed: use ${match.allowed}`);
    return match.route.handle({ target, body });
  } catch (err) {
    const status = err instanceof TwilioFault ? err.status : 400;
    return { status, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}

const consoleSchema = z.strictObject({
  account: z.string(),
  actor: z.string().regex(USER_SID, 'a Console user SID: US followed by 32 hex digits'),
  inheritance: z.boolean().optional(),
  voice: z
    .record(
      z.string(),
      z.strictObject({
        lowRisk: z.boolean().optional(),
        highRiskSpecial: z.boolean().optional(),
        highRiskTollfraud: z.boolean().optional(),
      }),
    )
    .optional(),
  messaging: z.record(z.string(), z.boolean()).optional(),
});

/** A change made in the Console by a user (US…): recorded with actor_type user, source web. */
function applyConsoleChange(fleet: Fleet, input: unknown): { events: string[] } {
  const change = consoleSchema.parse(input);
  const account = fleet.account(change.account);
  if (!account) throw new TwilioFault(404, 20404, `unknown account ${change.account}`);
  const actor: Actor = { sid: change.actor, type: 'user', source: 'web', ip: '203.0.113.7' };
  const before = fleet.state.events.length;
  if (change.inheritance !== undefined) fleet.setInheritance(account, change.inheritance, actor);
  if (change.voice) {
    const updates = Object.entries(change.voice).map(([iso, cell]) => ({
      iso: knownIso('voice', iso),
      cell: { ...(account.voice.countries[iso] ?? OFF), ...cell },
    }));
    fleet.bulkUpdateVoice(account, updates, actor);
  }
  if (change.messaging)
    fleet.updateMessaging(
      account,
      Object.entries(change.messaging).map(([iso, enabled]) => ({
        iso: knownIso('messaging', iso),
        enabled,
      })),
      actor,
    );
  return { events: fleet.state.events.slice(before).map((e) => e.sid) };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new Error('the body is not JSON');
  }
}
