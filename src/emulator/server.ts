import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SID_FRAGMENT } from '../model/patterns.js';
import { answerControl } from './control.js';
import { FaultTable, type ParsedFault } from './faults.js';
import { TwilioFault, type Fleet } from './fleet.js';
import { RequestLog, type LoggedRequest } from './request-log.js';
import type { Answer } from './routes.js';
import type { EmulatorAccount, EmulatorApiKey, EmulatorState } from './state.js';
import { answerTwilio } from './twilio-routes.js';
import { errorBody, problemBody } from './wire.js';

/** The account a v2010 path is about (any path under it, known or not). */
const ACCOUNT_IN_PATH = new RegExp(`^/2010-04-01/Accounts/(${SID_FRAGMENT('AC')})`);

/** A fault that lets the request be handled and then spoils its answer. */
type AnswerFault = Extract<ParsedFault, { type: 'malformed' | 'slow' | 'lost' }>;

/** The emulator's HTTP face: Twilio's paths, auth, faults and the /__emulator/ control API. */
export class EmulatorServer {
  readonly log = new RequestLog();
  readonly faults = new FaultTable();

  constructor(
    readonly fleet: Fleet,
    /** At most this many items per page whatever PageSize asks, to make clients follow next_page_url. */
    private readonly pageSizeCap: number | null = null,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (url.pathname.startsWith('/__emulator/'))
      return send(res, answerControl(this, method, url.pathname, body));
    const [username, caller] = this.caller(req.headers.authorization);
    const entry = this.log.open(logEntry(method, url, caller), res);
    const firing = this.faults.take(method, url.pathname, caller?.sid ?? null);
    const faulted = await applyFaults(firing, entry, req, res);
    if (faulted.answered) return;
    const key = caller && username ? this.fleet.apiKey(username) : null;
    const answer = this.answer(method, url, body, caller, key, remoteIp(req));
    // A lost answer never reaches the client: logged like a dropped connection, although it was handled.
    entry.status = faulted.after?.type === 'lost' ? 0 : answer.status;
    respond(res, answer, faulted.after);
  }

  /** The Basic-auth username and the account it authenticates as (null: a 401). */
  private caller(authorization: string | undefined): [string | null, EmulatorAccount | null] {
    const match = authorization?.match(/^Basic\s+(.+)$/i);
    if (!match?.[1]) return [null, null];
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return [null, null];
    const username = decoded.slice(0, colon);
    return [username, this.fleet.authenticate(username, decoded.slice(colon + 1))];
  }

  /** The route's answer, or Twilio's error body for a refusal (401 first: no route answers without auth). */
  private answer(
    method: string,
    url: URL,
    body: string,
    caller: EmulatorAccount | null,
    key: EmulatorApiKey | null,
    ip: string,
  ): Answer {
    try {
      if (!caller) throw new TwilioFault(401, 20003, 'Authenticate');
      return answerTwilio(method, {
        fleet: this.fleet,
        caller,
        key,
        actor: { sid: caller.sid, type: 'account', source: 'api', ip },
        url,
        form: new URLSearchParams(body),
        pageSizeCap: this.pageSizeCap,
      });
    } catch (err) {
      if (!(err instanceof TwilioFault)) throw err;
      return { status: err.status, body: errorBody(err.status, err.code, err.message) };
    }
  }
}

function logEntry(method: string, url: URL, caller: EmulatorAccount | null): LoggedRequest {
  const path = url.pathname;
  return {
    method,
    path,
    query: url.search.replace(/^\?/, ''),
    account: caller?.sid ?? null,
    subject: path.match(ACCOUNT_IN_PATH)?.[1] ?? caller?.sid ?? null,
    status: 0,
    kind: method === 'GET' ? 'read' : 'write',
    fault: null,
  };
}

/**
 * Runs the firing faults in order: latency waits; drop and status answer in place of the request
 * (`answered`); malformed, slow and lost are left for the answer (`after`, the last one wins).
 */
async function applyFaults(
  faults: ParsedFault[],
  entry: LoggedRequest,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<{ answered: true } | { answered: false; after: AnswerFault | null }> {
  let after: AnswerFault | null = null;
  for (const fault of faults) {
    entry.fault = fault.type;
    if (fault.type === 'latency') await sleep(fault.ms);
    else if (fault.type === 'drop') {
      req.socket.destroy();
      return { answered: true };
    } else if (fault.type === 'status') {
      entry.status = fault.status;
      send(res, statusFaultAnswer(fault, entry.path));
      return { answered: true };
    } else after = fault;
  }
  return { answered: false, after };
}

function statusFaultAnswer(fault: Extract<ParsedFault, { type: 'status' }>, path: string): Answer {
  const headers: Record<string, string> =
    fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
  const tooMany = fault.status === 429;
  const code = fault.code ?? (tooMany ? 20429 : 20500);
  const message = tooMany ? 'Too Many Requests' : 'Service unavailable (injected fault)';
  if (fault.form === 'rfc9457')
    return {
      status: fault.status,
      body: problemBody(
        fault.status,
        code,
        STATUS_CODES[fault.status] ?? 'Error',
        `Injected fault answering HTTP ${fault.status}`,
        path,
      ),
      headers: { ...headers, 'Content-Type': 'application/problem+json' },
    };
  return { status: fault.status, body: errorBody(fault.status, code, message), headers };
}

/** Sends the answer, spoiled by `after`: a body that is not the answer, the body held back, or nothing. */
function respond(res: ServerResponse, answer: Answer, after: AnswerFault | null): void {
  if (after?.type === 'lost') {
    res.socket?.destroy();
  } else if (after?.type === 'malformed') {
    const text =
      after.mode === 'not-json' ? '<html><body>502 Bad Gateway</body></html>' : '{"unexpected":true}';
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(text);
  } else if (after?.type === 'slow') {
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    const timer = setTimeout(() => res.end(JSON.stringify(answer.body)), after.ms);
    res.on('close', () => clearTimeout(timer));
  } else send(res, answer);
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function remoteIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface EmulatorOptions {
  port?: number;
  host?: string;
  state?: EmulatorState;
  seed?: 'demo';
  /** Serve at most this many items per list page (Twilio allows 1000), to exercise paging. */
  pageSizeCap?: number;
}

export interface RunningEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
  state(): EmulatorState;
}

/** Listens on 127.0.0.1 (an ephemeral port unless `port` is given). */
export async function listen(
  fleet: Fleet,
  options: { port?: number; host?: string; pageSizeCap?: number },
): Promise<RunningEmulator> {
  const emulator = new EmulatorServer(fleet, options.pageSizeCap ?? null);
  const server = createServer((req, res) => {
    emulator.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: errorBody(500, 20500, String(err)) });
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    state: () => fleet.state,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
