import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type * as HttpResponse from 'twilio/lib/http/response.js';
import type { Semaphore } from '../live/concurrency.js';
import type { Agents } from './agents.js';
import { TwilioError } from './errors.js';
import { hintFor, type CredentialOrigin } from './hints.js';
import { regionHint, type TwilioLocation } from './regions.js';
import { decideRetry, type AttemptOutcome, type RetryPolicy } from './retry.js';

/** What every transport of one gateway shares: the request cap, the counter, the policy. */
export interface TransportShared {
  semaphore: Semaphore;
  baseUrl: string | null;
  /** The region and edge the hosts name; only for messages here (twilio-node builds the hosts). */
  location: TwilioLocation;
  /** Keep-alive agents, through the configured proxies (agents.ts). */
  agents: Agents;
  timeoutMs: number;
  retry: RetryPolicy;
  mask(secret: string): void;
  log?(line: string): void;
  /** Called once per HTTP attempt (retries included). */
  countRequest(): void;
  sleep(ms: number): Promise<void>;
  random(): number;
}

type Attempt =
  | { ok: true; status: number; headers: IncomingHttpHeaders; text: string }
  | { ok: false; outcome: AttemptOutcome; detail: string };

/** twilio-node's response type (a CommonJS `export default`). */
type Response<T> = HttpResponse.default<T>;

const TWILIO_HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.twilio\.com$/;

/**
 * The HTTP client handed to twilio-node (its own autoRetry stays off): sends every Twilio host to
 * the base URL when one is set, caps requests in flight across accounts, times out each attempt,
 * retries 429/5xx/resets/timeouts with our policy, and turns failures into TwilioErrors that name
 * the account and never carry a secret. twilio-node only calls `request()`, so this does not extend
 * its RequestClient, whose constructor builds an axios instance and an https.Agent that would go
 * unused: one of each per account is megabytes on a fleet of 1,000.
 */
export class TwilioTransport {
  constructor(
    private readonly shared: TransportShared,
    /** The account every request of this transport acts for; named in errors. */
    private readonly account: string,
    /** Where its credentials came from, for the hint of a refusal. */
    private readonly origin: CredentialOrigin = 'own',
  ) {}

  /** This transport as the `httpClient` option of a twilio-node client. */
  asHttpClient(): RequestClient {
    return this as unknown as RequestClient;
  }

  async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const method = opts.method.toUpperCase();
    const url = this.target(opts.uri, opts.params);
    const what = `${method} ${url.pathname} for ${this.account}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [name, value] of Object.entries(opts.headers ?? {}))
      if (typeof value === 'string' && !/^(authorization|connection)$/i.test(name)) headers[name] = value;
    if (opts.username && opts.password) {
      const basic = Buffer.from(`${opts.username}:${opts.password}`).toString('base64');
      this.shared.mask(basic);
      headers.Authorization = `Basic ${basic}`;
    }
    const body = opts.data ? formEncode(opts.data as object) : undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }

    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const result = await this.shared.semaphore.run(() => this.attempt(url, method, headers, body));
      if (result.ok && result.status >= 200 && result.status < 300) return this.parse(result, what);
      const outcome: AttemptOutcome = result.ok
        ? { kind: 'status', status: result.status, retryAfter: headerValue(result.headers['retry-after']) }
        : result.outcome;
      const decision = decideRetry(
        this.shared.retry,
        outcome,
        attempt,
        Date.now() - started,
        Date.now(),
        () => this.shared.random(),
      );
      if (!decision.retry) {
        const refusal = { method, path: url.pathname, credential: credentialKind(opts.username) };
        throw this.failure(result, what, attempt, decision.reason, refusal);
      }
      this.shared.log?.(
        `${what}: ${result.ok ? `HTTP ${result.status}` : result.detail}, retry ${attempt} in ${decision.delayMs} ms`,
      );
      await this.shared.sleep(decision.delayMs);
    }
  }

  /** The real URL of a request: Twilio hosts only, rewritten to the base URL when one is set. */
  private target(uri: string, params: unknown): URL {
    const url = new URL(uri);
    const base = this.shared.baseUrl?.replace(/\/+$/, '') ?? null;
    let resolved: URL;
    if (url.protocol === 'https:' && TWILIO_HOST.test(url.hostname))
      resolved = base ? new URL(base + url.pathname + url.search) : url;
    else if (base && uri.startsWith(base + '/')) resolved = url;
    else
      throw new TwilioError(
        `refusing to send Twilio credentials to ${url.origin}: only *.twilio.com or the configured base URL are allowed`,
        'rejected',
        this.account,
      );
    if (params)
      for (const [key, value] of formPairs(params as object)) resolved.searchParams.append(key, value);
    return resolved;
  }

  /**
   * One HTTP exchange through node:http(s) with keep-alive agents. Not fetch: undici's WHATWG
   * request, response and stream objects cost several times the body they carry, and with 16
   * requests in flight across a fleet they are what the young generation keeps (RSS target).
   */
  private attempt(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Attempt> {
    this.shared.countRequest();
    const timeoutMs = this.shared.timeoutMs;
    const secure = url.protocol === 'https:';
    return new Promise<Attempt>((resolve) => {
      let settled = false;
      const settle = (attempt: Attempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(attempt);
      };
      const request = (secure ? https : http).request(
        url,
        { method, headers, agent: secure ? this.shared.agents.https : this.shared.agents.http },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (err) => settle(networkFailure(err)));
          // A connection that closes before the body's end (a reset mid-answer).
          response.on('close', () => {
            if (!response.complete)
              settle(networkFailure(Object.assign(new Error('closed'), { code: 'ECONNRESET' })));
          });
          response.on('end', () =>
            settle({
              ok: true,
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      const timer = setTimeout(() => {
        settle({ ok: false, outcome: { kind: 'timeout' }, detail: `no answer within ${timeoutMs} ms` });
        request.destroy();
      }, timeoutMs);
      request.on('error', (err) => settle(networkFailure(err, url.hostname)));
      request.end(body);
    });
  }

  private parse<TData>(result: Extract<Attempt, { ok: true }>, what: string): Response<TData> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.text);
    } catch {
      throw new TwilioError(
        `${what}: Twilio answered HTTP ${result.status} with a body that is not JSON (${describeBody(result.text)})`,
        'malformed',
        this.account,
        result.status,
      );
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new TwilioError(
        `${what}: Twilio answered HTTP ${result.status} with JSON that is not an object`,
        'malformed',
        this.account,
        result.status,
      );
    return { statusCode: result.status, body: parsed as TData, headers: result.headers } as Response<TData>;
  }

  private failure(
    result: Attempt,
    what: string,
    attempts: number,
    reason: string,
    request: { method: string; path: string; credential: 'authToken' | 'apiKey' },
  ): TwilioError {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (!result.ok)
      return new TwilioError(`${what}: ${result.detail}${tries} (${reason})`, 'unavailable', this.account);
    const { code, message } = twilioErrorBody(result.text);
    const twilio = code !== null ? ` Twilio error ${code}${message ? `: ${message}` : ''}.` : '';
    const status = result.status;
    const kind =
      status === 401 || status === 403
        ? 'auth'
        : status === 404
          ? 'not-found'
          : status === 429 || status >= 500
            ? 'unavailable'
            : 'rejected';
    const hint = hintFor({ ...request, status, code, account: this.account, origin: this.origin });
    // With a base URL (an emulator) the region names no host, so it explains nothing.
    const regional = this.shared.baseUrl === null ? regionHint(status, this.shared.location) : null;
    const hints = [hint, regional].filter(Boolean).join('; ');
    return new TwilioError(
      `${what}: HTTP ${status}${tries}.${twilio}${hints ? ` ${hints}.` : ''}`,
      kind,
      this.account,
      status,
      code,
    );
  }
}

function credentialKind(username: string | undefined): 'authToken' | 'apiKey' {
  return username?.startsWith('SK') ? 'apiKey' : 'authToken';
}

/** Twilio's form encoding: arrays become repeated fields (qs arrayFormat "repeat"). */
export function formEncode(data: object): string {
  const form = new URLSearchParams();
  for (const [key, value] of formPairs(data)) form.append(key, value);
  return form.toString();
}

function formPairs(data: object): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value])
      pairs.push([
        key,
        typeof item === 'string' ? item : item instanceof Date ? item.toISOString() : String(item),
      ]);
  }
  return pairs;
}

function networkFailure(err: unknown, host?: string): Attempt {
  const code = networkCode(err);
  const refusal = code === 'ERR_PROXY_TUNNEL' ? proxyRefusal(err) : null;
  if (refusal)
    return {
      ok: false,
      // The proxy's own answer decides the retry: a 403 or 407 is its policy, a 502 or 503 may pass.
      outcome: { kind: 'status', status: refusal.status, retryAfter: null },
      detail: `connection failed (${code}: the proxy answered ${refusal.line} to the tunnel to ${host})`,
    };
  const detail = code === 'ENOTFOUND' && host ? `${code}: no address for ${host}` : code;
  return { ok: false, outcome: { kind: 'network', code }, detail: `connection failed (${detail})` };
}

/** The status line that ends node's tunnel error; the proxy URL before it is not repeated (credentials). */
function proxyRefusal(err: unknown): { status: number; line: string } | null {
  const match = (err instanceof Error ? err.message : '').match(/HTTP\/[\d.]+ ((\d{3})[^\r\n]*)$/);
  return match?.[1] && match[2] ? { status: Number(match[2]), line: match[1] } : null;
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function networkCode(err: unknown): string {
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  const code =
    (cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'network error';
}

/**
 * Twilio's error body: the classic {code, message, more_info, status}, or RFC 9457 problem details
 * {type, title, status, code, detail?}, recognised as twilio-node 6 does
 * (TwilioServiceException.isRFC9457Response: type and title strings, status and code numbers).
 * Anything else yields nulls. The message is cut short: it is Twilio's text, shown in reports.
 */
function twilioErrorBody(text: string): { code: number | null; message: string | null } {
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return { code: null, message: null };
    body = parsed as Record<string, unknown>;
  } catch {
    return { code: null, message: null };
  }
  const code = typeof body.code === 'number' ? body.code : null;
  const rfc9457 =
    typeof body.type === 'string' &&
    typeof body.title === 'string' &&
    typeof body.status === 'number' &&
    code !== null;
  const message = rfc9457 ? problemMessage(body) : typeof body.message === 'string' ? body.message : null;
  return { code, message: message === null ? null : message.slice(0, 300) };
}

/** An RFC 9457 body's title, with its detail when it has one. */
function problemMessage(body: Record<string, unknown>): string {
  const title = body.title as string;
  return typeof body.detail === 'string' && body.detail ? `${title} (${body.detail})` : title;
}

/** Size only: a truncated body could hold a secret (an Account resource starts with auth_token). */
function describeBody(text: string): string {
  return text.length === 0 ? 'empty' : `${text.length} bytes`;
}
