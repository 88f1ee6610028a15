import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import type { CountryInfo } from '../catalog/index.js';
import { emulatorCountries, emulatorCountry, highRiskSpecialPrefixes, messagingHint } from './countries.js';
import { FaultTable, parseFaults, type ParsedFault } from './faults.js';
import { TwilioFault, VOICE_FIELDS, type Actor, type Fleet } from './fleet.js';
import { parseEmulatorState, type EmulatorAccount, type EmulatorState, type VoiceCell } from './state.js';

export interface LoggedRequest {
  method: string;
  path: string;
  /** The account the credentials authenticated as (null when they did not). */
  account: string | null;
  /** The account the request is about: the SID in a v2010 path, else the authenticated account. */
  subject: string | null;
  status: number; // 0 when the connection was dropped
  kind: 'read' | 'write';
  fault: ParsedFault['type'] | null;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const HOSTS = {
  voice: 'https://voice.twilio.com',
  accounts: 'https://accounts.twilio.com',
  monitor: 'https://monitor.twilio.com',
  api: 'https://api.twilio.com',
};

const PAGE_SIZE_DEFAULT = 50;
const PAGE_SIZE_MAX = 1000;

/** The emulator's HTTP face: Twilio's paths, auth, faults and the /__emulator/ control API. */
export class EmulatorServer {
  readonly requests: LoggedRequest[] = [];
  readonly faults = new FaultTable();
  /** Twilio requests being handled right now, and the most at once since the log was cleared. */
  private inFlight = 0;
  private peakInFlight = 0;

  constructor(
    readonly fleet: Fleet,
    /** At most this many items per page whatever PageSize asks, to make clients follow next_page_url. */
    private readonly pageSizeCap: number | null = null,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (url.pathname.startsWith('/__emulator/')) return send(res, this.control(method, url.pathname, body));
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    res.once('close', () => this.inFlight--);

    const caller = this.caller(req.headers.authorization);
    const subject =
      url.pathname.match(/^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})/)?.[1] ?? caller?.sid ?? null;
    const entry: LoggedRequest = {
      method,
      path: url.pathname,
      account: caller?.sid ?? null,
      subject,
      status: 0,
      kind: method === 'GET' ? 'read' : 'write',
      fault: null,
    };
    this.requests.push(entry);

    let after: ParsedFault | null = null;
    for (const fault of this.faults.take(method, url.pathname)) {
      entry.fault = fault.type;
      if (fault.type === 'latency') await sleep(fault.ms);
      else if (fault.type === 'drop') {
        req.socket.destroy();
        return;
      } else if (fault.type === 'status') {
        entry.status = fault.status;
        const headers: Record<string, string> =
          fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
        const message = fault.status === 429 ? 'Too Many Requests' : 'Service unavailable (injected fault)';
        return send(res, {
          status: fault.status,
          body: errorBody(fault.status, fault.status === 429 ? 20429 : 20500, message),
          headers,
        });
      } else after = fault;
    }

    let answer: Answer;
    try {
      if (!caller) throw new TwilioFault(401, 20003, 'Authenticate');
      answer = this.route(method, url, body, caller, remoteIp(req));
    } catch (err) {
      if (!(err instanceof TwilioFault)) throw err;
      answer = { status: err.status, body: errorBody(err.status, err.code, err.message) };
    }
    entry.status = answer.status;
    if (after?.type === 'malformed') {
      const text =
        after.mode === 'not-json' ? '<html><body>502 Bad Gateway</body></html>' : '{"unexpected":true}';
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(text);
      return;
    }
    if (after?.type === 'slow') {
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      const timer = setTimeout(() => res.end(JSON.stringify(answer.body)), after.ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    send(res, answer);
  }

  private caller(authorization: string | undefined): EmulatorAccount | null {
    const match = authorization?.match(/^Basic\s+(.+)$/i);
    if (!match?.[1]) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return this.fleet.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  private route(method: string, url: URL, body: string, caller: EmulatorAccount, ip: string): Answer {
    const path = url.pathname;
    const actor: Actor = { sid: caller.sid, type: 'account', source: 'api', ip };
    const form = new URLSearchParams(body);
    let m: RegExpMatchArray | null;

    if (path === '/2010-04-01/Accounts.json') {
      allow(method, 'GET');
      const q = url.searchParams;
      const accounts = this.fleet
        .visibleAccounts(caller)
        .filter((a) => !q.has('FriendlyName') || a.friendlyName === q.get('FriendlyName'))
        .filter((a) => !q.has('Status') || a.status === q.get('Status'))
        .map(accountJson);
      return { status: 200, body: v2010Page(accounts, url, this.pageSizeCap, 'accounts') };
    }
    if ((m = path.match(/^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\.json$/))) {
      allow(method, 'GET');
      return { status: 200, body: accountJson(this.fleet.mayRead(caller, m[1] as string)) };
    }
    if ((m = path.match(/^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Keys\/(SK[0-9a-fA-F]{32})\.json$/))) {
      allow(method, 'GET');
      const owner = this.fleet.mayRead(caller, m[1] as string);
      const key = owner.apiKeys.find((k) => k.sid === m?.[2]);
      if (!key) throw new TwilioFault(404, 20404, `The requested resource ${path} was not found`);
      return {
        status: 200,
        body: { sid: key.sid, friendly_name: key.sid, date_created: DATE, date_updated: DATE },
      };
    }
    if (path === '/v1/DialingPermissions/Countries') {
      allow(method, 'GET');
      const countries = emulatorCountries()
        .filter((c) => matchesVoiceFilters(c, this.fleet.effectiveVoice(caller, c.iso), url.searchParams))
        .map((c) => voiceCountryJson(c, this.fleet.effectiveVoice(caller, c.iso)));
      return { status: 200, body: page(countries, url, HOSTS.voice, this.pageSizeCap) };
    }
    if (
      (m = path.match(/^\/v1\/DialingPermissions\/Countries\/([A-Za-z]{2})(\/HighRiskSpecialPrefixes)?$/))
    ) {
      allow(method, 'GET');
      const country = emulatorCountry(m[1] as string);
      if (!country) throw new TwilioFault(404, 20404, `The requested resource ${path} was not found`);
      if (m[2])
        return {
          status: 200,
          body: page(
            highRiskSpecialPrefixes(country).map((prefix) => ({ prefix })),
            url,
            HOSTS.voice,
            this.pageSizeCap,
          ),
        };
      return { status: 200, body: voiceCountryJson(country, this.fleet.effectiveVoice(caller, country.iso)) };
    }
    if (path === '/v1/DialingPermissions/BulkCountryUpdates') {
      allow(method, 'POST');
      const updates = parseBulkUpdate(form.get('UpdateRequest'), (iso) => caller.voice.countries[iso]);
      const count = this.fleet.bulkUpdateVoice(caller, updates, actor);
      return { status: 201, body: { update_count: count, update_request: 'accepted' } };
    }
    if (path === '/v1/Settings') {
      if (method === 'POST') {
        const value = form.get('DialingPermissionsInheritance');
        if (value !== 'true' && value !== 'false')
          throw new TwilioFault(400, 20001, 'DialingPermissionsInheritance must be "true" or "false"');
        this.fleet.setInheritance(caller, value === 'true', actor);
        return { status: 202, body: settingsJson(caller) };
      }
      allow(method, 'GET');
      return { status: 200, body: settingsJson(caller) };
    }
    if (path === '/v1/Messaging/GeoPermissions') {
      if (method === 'PATCH') {
        const results = this.fleet.updateMessaging(
          caller,
          parsePermissions(form.getAll('Permissions')),
          actor,
        );
        return {
          status: 200,
          body: {
            permissions: results.map((r) => ({
              country_code: r.iso,
              type: 'country',
              enabled: r.enabled,
              error_code: r.errorCode,
              error_messages: r.errorMessages,
            })),
          },
        };
      }
      allow(method, 'GET');
      const wanted = url.searchParams
        .get('CountryCode')
        ?.split(',')
        .map((c) => c.trim().toUpperCase());
      const permissions = emulatorCountries()
        .filter((c) => !wanted || wanted.includes(c.iso))
        .map((c) => ({
          country_code: c.iso,
          type: 'country',
          enabled: caller.messaging[c.iso] ?? false,
          prefix: c.callingCodes[0] ?? '',
          message: messagingHint(c.iso),
        }));
      return { status: 200, body: { permissions } };
    }
    if (path === '/v1/Events') {
      allow(method, 'GET');
      return { status: 200, body: this.events(caller, url) };
    }
    throw new TwilioFault(404, 20404, `The requested resource ${path} was not found`);
  }

  private events(caller: EmulatorAccount, url: URL): unknown {
    const q = url.searchParams;
    const filters = (['EventType', 'ResourceSid', 'ActorSid', 'SourceIpAddress'] as const).filter((f) =>
      q.has(f),
    );
    if (filters.length > 1)
      throw new TwilioFault(
        400,
        20001,
        `Filtering on more than one of ${filters.join(', ')} is not supported`,
      );
    const start = dateParam(q, 'StartDate');
    const end = dateParam(q, 'EndDate');
    const events = this.fleet.state.events
      .filter((e) => e.accountSid === caller.sid)
      .filter((e) => !q.has('EventType') || e.eventType === q.get('EventType'))
      .filter((e) => !q.has('ResourceSid') || e.accountSid === q.get('ResourceSid'))
      .filter((e) => !q.has('ActorSid') || e.actorSid === q.get('ActorSid'))
      .filter((e) => !q.has('SourceIpAddress') || e.sourceIpAddress === q.get('SourceIpAddress'))
      .filter(
        (e) =>
          (start === null || Date.parse(e.eventDate) >= start) &&
          (end === null || Date.parse(e.eventDate) <= end),
      )
      .reverse()
      .map((e) => ({
        account_sid: e.accountSid,
        actor_sid: e.actorSid,
        actor_type: e.actorType,
        description: e.description,
        event_data: e.eventData,
        event_date: e.eventDate,
        event_type: e.eventType,
        resource_sid: e.accountSid,
        resource_type: e.resourceType,
        sid: e.sid,
        source: e.source,
        source_ip_address: e.sourceIpAddress,
        url: `${HOSTS.monitor}/v1/Events/${e.sid}`,
        links: { actor: null, resource: null },
      }));
    return page(events, url, HOSTS.monitor, this.pageSizeCap, 'events');
  }

  private control(method: string, path: string, body: string): Answer {
    try {
      if (path === '/__emulator/state') {
        if (method === 'PUT') this.fleet.state = parseEmulatorState(parseJson(body));
        else allow(method, 'GET');
        return { status: 200, body: this.fleet.state };
      }
      if (path === '/__emulator/console') {
        allow(method, 'POST');
        return { status: 200, body: this.console(parseJson(body)) };
      }
      if (path === '/__emulator/requests') {
        if (method === 'DELETE') {
          this.requests.length = 0;
          this.peakInFlight = this.inFlight;
        } else allow(method, 'GET');
        return { status: 200, body: { requests: this.requests, peakConcurrency: this.peakInFlight } };
      }
      if (path === '/__emulator/faults') {
        if (method === 'POST') this.faults.add(parseFaults(parseJson(body)));
        else if (method === 'DELETE') this.faults.clear();
        else allow(method, 'GET');
        return { status: 200, body: { faults: this.faults.list() } };
      }
      return { status: 404, body: { error: `no control endpoint ${method} ${path}` } };
    } catch (err) {
      const status = err instanceof TwilioFault ? err.status : 400;
      return { status, body: { error: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** A change made in the Console by a user (US…): recorded with actor_type user, source web. */
  private console(input: unknown): { events: string[] } {
    const change = consoleSchema.parse(input);
    const account = this.fleet.account(change.account);
    if (!account) throw new TwilioFault(404, 20404, `unknown account ${change.account}`);
    const actor: Actor = { sid: change.actor, type: 'user', source: 'web', ip: '203.0.113.7' };
    const before = this.fleet.state.events.length;
    if (change.inheritance !== undefined) this.fleet.setInheritance(account, change.inheritance, actor);
    if (change.voice) {
      const updates = Object.entries(change.voice).map(([iso, cell]) => ({
        iso: knownIso(iso),
        cell: { ...(account.voice.countries[iso] ?? OFF), ...cell },
      }));
      this.fleet.bulkUpdateVoice(account, updates, actor);
    }
    if (change.messaging)
      this.fleet.updateMessaging(
        account,
        Object.entries(change.messaging).map(([iso, enabled]) => ({ iso: knownIso(iso), enabled })),
        actor,
      );
    return { events: this.fleet.state.events.slice(before).map((e) => e.sid) };
  }
}

const OFF: VoiceCell = { lowRisk: false, highRiskSpecial: false, highRiskTollfraud: false };
const DATE = 'Mon, 01 Jun 2026 00:00:00 +0000';

const consoleSchema = z.strictObject({
  account: z.string(),
  actor: z.string().regex(/^US[0-9a-fA-F]{32}$/, 'a Console user SID: US followed by 32 hex digits'),
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

/** Validates the whole UpdateRequest before anything changes; flags must be the strings "true"/"false". */
function parseBulkUpdate(
  raw: string | null,
  current: (iso: string) => VoiceCell | undefined,
): Array<{ iso: string; cell: VoiceCell }> {
  if (raw === null)
    throw new TwilioFault(400, 20001, 'Missing required parameter UpdateRequest in the post body');
  let items: unknown;
  try {
    items = JSON.parse(raw);
  } catch {
    throw new TwilioFault(400, 20001, 'UpdateRequest must be a JSON array');
  }
  if (!Array.isArray(items) || items.length === 0)
    throw new TwilioFault(400, 20001, 'UpdateRequest must be a non-empty JSON array');
  return items.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null)
      throw new TwilioFault(400, 20001, `UpdateRequest[${index}] must be an object`);
    const record = item as Record<string, unknown>;
    const iso = typeof record.iso_code === 'string' ? record.iso_code.toUpperCase() : '';
    if (!emulatorCountry(iso))
      throw new TwilioFault(400, 20001, `UpdateRequest[${index}].iso_code is not a known country`);
    // Omitted flags keep their value (UNCONFIRMED in Twilio; see docs/emulator.md).
    const cell: VoiceCell = { ...(current(iso) ?? OFF) };
    for (const [key, wire] of VOICE_FIELDS) {
      const value = record[wire];
      if (value === undefined) continue;
      if (typeof value === 'boolean')
        throw new TwilioFault(
          400,
          20001,
          `UpdateRequest[${index}].${wire} must be the string "true" or "false", not the JSON boolean ${value}`,
        );
      if (value !== 'true' && value !== 'false')
        throw new TwilioFault(
          400,
          20001,
          `UpdateRequest[${index}].${wire} must be the string "true" or "false"`,
        );
      cell[key] = value === 'true';
    }
    return { iso, cell };
  });
}

/** Each Permissions field is a JSON object whose `enabled` is a JSON boolean. */
function parsePermissions(values: string[]): Array<{ iso: string; enabled: boolean }> {
  if (values.length === 0) throw new TwilioFault(400, 20001, 'Missing required parameter Permissions');
  return values.map((raw, index) => {
    let item: unknown;
    try {
      item = JSON.parse(raw);
    } catch {
      throw new TwilioFault(400, 20001, `Permissions[${index}] must be a JSON object`);
    }
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const iso = typeof record.country_code === 'string' ? record.country_code.toUpperCase() : '';
    if (!emulatorCountry(iso))
      throw new TwilioFault(400, 20001, `Permissions[${index}].country_code is not a known country`);
    if (record.type !== undefined && record.type !== 'country')
      throw new TwilioFault(400, 20001, `Permissions[${index}].type must be "country"`);
    if (typeof record.enabled !== 'boolean')
      throw new TwilioFault(
        400,
        20001,
        `Permissions[${index}].enabled must be a JSON boolean (true or false)`,
      );
    return { iso, enabled: record.enabled };
  });
}

function knownIso(iso: string): string {
  const upper = iso.toUpperCase();
  if (!emulatorCountry(upper)) throw new TwilioFault(400, 20001, `unknown country ${iso}`);
  return upper;
}

function matchesVoiceFilters(c: CountryInfo, cell: VoiceCell, q: URLSearchParams): boolean {
  if (q.has('IsoCode') && q.get('IsoCode')?.toUpperCase() !== c.iso) return false;
  if (q.has('Continent') && q.get('Continent') !== c.continent) return false;
  if (q.has('CountryCode') && !c.callingCodes.includes(normalizeCallingCode(q.get('CountryCode') ?? '')))
    return false;
  for (const [key, wire] of [
    ['lowRisk', 'LowRiskNumbersEnabled'],
    ['highRiskSpecial', 'HighRiskSpecialNumbersEnabled'],
    ['highRiskTollfraud', 'HighRiskTollfraudNumbersEnabled'],
  ] as const)
    if (q.has(wire) && String(cell[key]) !== q.get(wire)) return false;
  return true;
}

function normalizeCallingCode(code: string): string {
  return code.startsWith('+') ? code : `+${code.trim()}`;
}

function voiceCountryJson(c: CountryInfo, cell: VoiceCell): unknown {
  const url = `${HOSTS.voice}/v1/DialingPermissions/Countries/${c.iso}`;
  return {
    iso_code: c.iso,
    name: c.name,
    continent: c.continent,
    country_codes: c.callingCodes,
    low_risk_numbers_enabled: cell.lowRisk,
    high_risk_special_numbers_enabled: cell.highRiskSpecial,
    high_risk_tollfraud_numbers_enabled: cell.highRiskTollfraud,
    url,
    links: { highrisk_special_prefixes: `${url}/HighRiskSpecialPrefixes` },
  };
}

function settingsJson(account: EmulatorAccount): unknown {
  // A main account does not inherit: it answers false (UNCONFIRMED in Twilio; see docs/emulator.md).
  return {
    dialing_permissions_inheritance: account.ownerAccountSid !== null && account.voice.inheritance,
    url: `${HOSTS.voice}/v1/Settings`,
  };
}

function accountJson(a: EmulatorAccount): unknown {
  const uri = `/2010-04-01/Accounts/${a.sid}.json`;
  return {
    auth_token: a.authToken,
    date_created: DATE,
    date_updated: DATE,
    friendly_name: a.friendlyName,
    // Twilio sets a main account's owner to itself.
    owner_account_sid: a.ownerAccountSid ?? a.sid,
    sid: a.sid,
    status: a.status,
    subresource_uris: { keys: `/2010-04-01/Accounts/${a.sid}/Keys.json` },
    type: a.type,
    uri,
  };
}

/** The page a list request asks for: PageSize 1..1000 (default 50, lowered to `cap`), Page, PageToken. */
function pageWindow(q: URLSearchParams, cap: number | null) {
  const sizeText = q.get('PageSize');
  const asked = sizeText === null ? PAGE_SIZE_DEFAULT : Number(sizeText);
  if (!Number.isInteger(asked) || asked < 1 || asked > PAGE_SIZE_MAX)
    throw new TwilioFault(400, 20001, `PageSize must be between 1 and ${PAGE_SIZE_MAX}`);
  const size = cap === null ? asked : Math.min(asked, cap);
  const pageNumber = Number(q.get('Page') ?? '0');
  const token = q.get('PageToken');
  const offset = token?.startsWith('PT') ? Number(token.slice(2)) : pageNumber * size;
  if (!Number.isInteger(offset) || offset < 0) throw new TwilioFault(400, 20001, 'invalid PageToken');
  return { size, offset, current: Number.isInteger(pageNumber) ? pageNumber : 0 };
}

/** The query of another page of the same list (the other parameters kept). */
function pageQuery(q: URLSearchParams, size: number, p: number, o: number): string {
  const next = new URLSearchParams(q);
  next.set('PageSize', String(size));
  next.set('Page', String(p));
  if (o > 0) next.set('PageToken', `PT${o}`);
  else next.delete('PageToken');
  return next.toString();
}

/**
 * The v2010 list envelope: the items under `key` beside flat paging fields whose links are paths
 * (`next_page_uri`, not the v1 `meta.next_page_url`).
 */
function v2010Page(items: unknown[], url: URL, cap: number | null, key: string): unknown {
  const q = url.searchParams;
  const { size, offset, current } = pageWindow(q, cap);
  const link = (p: number, o: number) => `${url.pathname}?${pageQuery(q, size, p, o)}`;
  const slice = items.slice(offset, offset + size);
  return {
    [key]: slice,
    end: offset + Math.max(0, slice.length - 1),
    first_page_uri: link(0, 0),
    next_page_uri: offset + size < items.length ? link(current + 1, offset + size) : null,
    page: current,
    page_size: size,
    previous_page_uri: offset > 0 ? link(Math.max(0, current - 1), Math.max(0, offset - size)) : null,
    start: offset,
    uri: link(current, offset),
  };
}

/** Twilio's v1 list envelope: `content` (or `key`) plus `meta`. */
function page(items: unknown[], url: URL, host: string, cap: number | null, key = 'content'): unknown {
  const q = url.searchParams;
  const { size, offset, current } = pageWindow(q, cap);
  const link = (p: number, o: number) => `${host}${url.pathname}?${pageQuery(q, size, p, o)}`;
  return {
    [key]: items.slice(offset, offset + size),
    meta: {
      first_page_url: link(0, 0),
      key,
      next_page_url: offset + size < items.length ? link(current + 1, offset + size) : null,
      page: current,
      page_size: size,
      previous_page_url: offset > 0 ? link(Math.max(0, current - 1), Math.max(0, offset - size)) : null,
      url: link(current, offset),
    },
  };
}

function dateParam(q: URLSearchParams, name: string): number | null {
  const value = q.get(name);
  if (value === null) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new TwilioFault(400, 20001, `${name} must be an ISO 8601 date`);
  return time;
}

function allow(method: string, expected: string): void {
  if (method !== expected) throw new TwilioFault(405, 20004, `Method not allowed: use ${expected}`);
}

function errorBody(status: number, code: number, message: string): unknown {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new Error('the body is not JSON');
  }
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
