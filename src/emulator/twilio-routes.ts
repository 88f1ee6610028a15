import type { CountryInfo } from '../catalog/index.js';
import { emulatorCountries, emulatorCountry, highRiskSpecialPrefixes, messagingHint } from './countries.js';
import type { Actor, Fleet } from './fleet.js';
import { TwilioFault } from './fleet.js';
import { parseBulkUpdate, parsePermissions } from './forms.js';
import { page, v2010Page } from './paging.js';
import { matchRoute, pathPattern, type Answer, type Route } from './routes.js';
import type { EmulatorAccount, EmulatorApiKey, EmulatorEvent, VoiceCell } from './state.js';
import {
  HOSTS,
  accountJson,
  balanceJson,
  eventJson,
  incomingPhoneNumberJson,
  keyJson,
  messagingPermissionJson,
  messagingResultJson,
  messagingServiceJson,
  methodNotAllowed,
  notFound,
  servicePhoneNumberJson,
  settingsJson,
  voiceCountryJson,
  type Product,
} from './wire.js';

/** An authenticated Twilio request, as its handler sees it. */
export interface TwilioRequest {
  fleet: Fleet;
  caller: EmulatorAccount;
  /** The API key the request authenticated with, null for an auth token. */
  key: EmulatorApiKey | null;
  /** The caller as the author of a change (its events). */
  actor: Actor;
  url: URL;
  /** The form-encoded body. */
  form: URLSearchParams;
  /** The path parameters, in the order of the route's template. */
  params: string[];
  /** The real host of the route's product, for the links Twilio writes. */
  host: string;
  pageSizeCap: number | null;
}

interface TwilioRoute extends Route<TwilioRequest> {
  product: Product;
  /** `METHOD /template`: what a restricted key's `permissions` name. */
  permission: string;
  /** The Account and Key resources: only auth tokens and Main keys may call them. */
  mainKeyOnly: boolean;
}

function route(
  product: Product,
  method: string,
  template: string,
  handle: (request: TwilioRequest) => Answer,
  access: 'main-key-only' | 'any-key' = 'any-key',
): TwilioRoute {
  const permission = `${method} ${template}`;
  return {
    product,
    method,
    path: pathPattern(template),
    handle,
    permission,
    mainKeyOnly: access === 'main-key-only',
  };
}

const ok = (body: unknown): Answer => ({ status: 200, body });

// api.twilio.com (v2010): accounts and their API keys.

function listAccounts({ fleet, caller, url, pageSizeCap }: TwilioRequest): Answer {
  const q = url.searchParams;
  const accounts = fleet
    .visibleAccounts(caller)
    .filter((a) => !q.has('FriendlyName') || a.friendlyName === q.get('FriendlyName'))
    .map((a) => ({ ...a, status: fleet.status(a) }))
    .filter((a) => !q.has('Status') || a.status === q.get('Status'))
    .map(accountJson);
  return ok(v2010Page(accounts, url, pageSizeCap, 'accounts'));
}

function fetchAccount({ fleet, caller, key, params: [sid] }: TwilioRequest): Answer {
  const account = fleet.mayRead(caller, sid as string, key);
  // A parent sees its suspended and closed subaccounts, with their status.
  return ok(accountJson({ ...account, status: fleet.status(account) }));
}

function fetchBalance({ fleet, caller, key, params: [sid] }: TwilioRequest): Answer {
  return ok(balanceJson(fleet.mayRead(caller, sid as string, key)));
}

function fetchKey({ fleet, caller, key: callerKey, url, params: [sid, keySid] }: TwilioRequest): Answer {
  const owner = fleet.mayRead(caller, sid as string, callerKey);
  const key = owner.apiKeys.find((k) => k.sid === keySid);
  if (!key) throw notFound(url.pathname);
  return ok(keyJson(key.sid));
}

/**
 * The numbers an account owns (`ListIncomingPhoneNumber`). Filters as twilio-oai describes them:
 * `PhoneNumber` ("You can specify partial numbers and use '*' as a wildcard for any digit"),
 * `FriendlyName` (exact), `Origin` (`twilio` or `hosted`: every emulated number is `twilio`); `Beta`
 * is accepted and changes nothing (no emulated number is new to the platform).
 */
function listIncomingNumbers({ fleet, caller, key, url, pageSizeCap, params: [sid] }: TwilioRequest): Answer {
  const owner = fleet.mayRead(caller, sid as string, key);
  const q = url.searchParams;
  const wanted = numberFilter(q.get('PhoneNumber'));
  const numbers = (owner.phoneNumbers ?? [])
    .filter((n) => wanted(n.phoneNumber))
    .filter((n) => !q.has('FriendlyName') || (n.friendlyName ?? n.phoneNumber) === q.get('FriendlyName'))
    .filter(() => !q.has('Origin') || q.get('Origin') === 'twilio')
    .map((n) => incomingPhoneNumberJson(owner, n));
  return ok(v2010Page(numbers, url, pageSizeCap, 'incoming_phone_numbers'));
}

/**
 * A partial number with `*` for any digit, matched anywhere in the number's digits. Only digits and `*`
 * count, so a `+` sent unencoded (read back as a space) still matches as its digits would.
 */
function numberFilter(filter: string | null): (phoneNumber: string) => boolean {
  if (filter === null) return () => true;
  const digits = filter.replace(/[^\d*]/g, '');
  const pattern = new RegExp(digits.replace(/\*/g, '\\d'));
  return (phoneNumber) => pattern.test(phoneNumber.replace(/\D/g, ''));
}

/** One number, under the account that owns it; another account's number is a 404, as an unknown one. */
function fetchIncomingNumber({ fleet, caller, key, url, params: [sid, pn] }: TwilioRequest): Answer {
  const owner = fleet.mayRead(caller, sid as string, key);
  const number = owner.phoneNumbers?.find((n) => n.sid === pn);
  if (!number) throw notFound(url.pathname);
  return ok(incomingPhoneNumberJson(owner, number));
}

// voice.twilio.com: dialing permissions and the inheritance setting.

function listVoiceCountries({ fleet, caller, url, host, pageSizeCap }: TwilioRequest): Answer {
  const countries = emulatorCountries('voice')
    .filter((c) => matchesVoiceFilters(c, fleet.effectiveVoice(caller, c.iso), url.searchParams))
    .map((c) => voiceCountryJson(c, fleet.effectiveVoice(caller, c.iso)));
  return ok(page(countries, url, host, pageSizeCap));
}

/** The country a path names; a code the catalog does not know (or lower case) is a 404. */
function pathCountry({ url, params: [iso] }: TwilioRequest): CountryInfo {
  const country = emulatorCountry('voice', iso as string);
  if (!country) throw notFound(url.pathname);
  return country;
}

function fetchVoiceCountry(request: TwilioRequest): Answer {
  const country = pathCountry(request);
  return ok(voiceCountryJson(country, request.fleet.effectiveVoice(request.caller, country.iso)));
}

function listHighRiskPrefixes(request: TwilioRequest): Answer {
  const prefixes = highRiskSpecialPrefixes(pathCountry(request)).map((prefix) => ({ prefix }));
  return ok(page(prefixes, request.url, request.host, request.pageSizeCap));
}

function bulkUpdateCountries({ fleet, caller, actor, form }: TwilioRequest): Answer {
  const updates = parseBulkUpdate(form.get('UpdateRequest'), (iso) => caller.voice.countries[iso]);
  const count = fleet.bulkUpdateVoice(caller, updates, actor);
  return { status: 201, body: { update_count: count, update_request: 'accepted' } };
}

function fetchSettings({ fleet, caller }: TwilioRequest): Answer {
  return ok(settingsJson(fleet.readSettings(caller)));
}

function updateSettings({ fleet, caller, actor, form }: TwilioRequest): Answer {
  const value = form.get('DialingPermissionsInheritance');
  if (value !== 'true' && value !== 'false')
    throw new TwilioFault(400, 20001, 'DialingPermissionsInheritance must be "true" or "false"');
  fleet.requestInheritance(caller, value === 'true', actor);
  // 202 Accepted: the answer echoes the value asked for, which may not be in effect yet (settingsDelay).
  return { status: 202, body: settingsJson(value === 'true') };
}

// accounts.twilio.com: messaging geo permissions (not paginated).

function listMessagingPermissions({ caller, url }: TwilioRequest): Answer {
  const wanted = url.searchParams
    .get('CountryCode')
    ?.split(',')
    .map((c) => c.trim().toUpperCase());
  const permissions = emulatorCountries('messaging')
    .filter((c) => !wanted || wanted.includes(c.iso))
    .map((c) => messagingPermissionJson(c, caller.messaging[c.iso] ?? false, messagingHint(c.iso)));
  return ok({ permissions });
}

function updateMessagingPermissions({ fleet, caller, actor, form }: TwilioRequest): Answer {
  const results = fleet.updateMessaging(caller, parsePermissions(form.getAll('Permissions')), actor);
  return ok({ permissions: results.map(messagingResultJson) });
}

// messaging.twilio.com: Messaging Services, each the caller's own (no account in the path).

/** The caller's service named in the path; a service of any other account is Twilio's 404 (20404). */
function ownService({ caller, url, params: [mg] }: TwilioRequest) {
  const service = caller.messagingServices?.find((s) => s.sid === mg);
  if (!service) throw notFound(url.pathname);
  return service;
}

function fetchMessagingService(request: TwilioRequest): Answer {
  return ok(messagingServiceJson(request.caller, ownService(request)));
}

/** A service's sender pool, as `ListPhoneNumber` pages it (key `phone_numbers`). */
function listServiceNumbers(request: TwilioRequest): Answer {
  const { caller, url, host, pageSizeCap } = request;
  const service = ownService(request);
  const numbers = service.phoneNumbers.flatMap((pn) => {
    const number = caller.phoneNumbers?.find((n) => n.sid === pn);
    return number ? [servicePhoneNumberJson(caller, service, number)] : [];
  });
  return ok(page(numbers, url, host, pageSizeCap, 'phone_numbers'));
}

// monitor.twilio.com: the events every change records, newest first.

function listEvents({ fleet, caller, url, host, pageSizeCap }: TwilioRequest): Answer {
  const wanted = eventFilter(url.searchParams);
  const retained = fleet.retainedSince(caller);
  const events = fleet.state.events
    .filter((e) => e.accountSid === caller.sid && Date.parse(e.eventDate) >= retained && wanted(e))
    .reverse()
    .map(eventJson);
  return ok(page(events, url, host, pageSizeCap, 'events'));
}

/** Every Twilio route. Where a path has several methods GET comes first: a wrong method is told "use GET". */
const TWILIO_ROUTES: readonly TwilioRoute[] = [
  route('api', 'GET', '/2010-04-01/Accounts.json', listAccounts, 'main-key-only'),
  route('api', 'GET', '/2010-04-01/Accounts/{AC}.json', fetchAccount, 'main-key-only'),
  route('api', 'GET', '/2010-04-01/Accounts/{AC}/Keys/{SK}.json', fetchKey, 'main-key-only'),
  route('api', 'GET', '/2010-04-01/Accounts/{AC}/Balance.json', fetchBalance),
  route('api', 'GET', '/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json', listIncomingNumbers),
  route('api', 'GET', '/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers/{PN}.json', fetchIncomingNumber),
  route('voice', 'GET', '/v1/DialingPermissions/Countries', listVoiceCountries),
  route('voice', 'GET', '/v1/DialingPermissions/Countries/{Iso}', fetchVoiceCountry),
  route(
    'voice',
    'GET',
    '/v1/DialingPermissions/Countries/{Iso}/HighRiskSpecialPrefixes',
    listHighRiskPrefixes,
  ),
  route('voice', 'POST', '/v1/DialingPermissions/BulkCountryUpdates', bulkUpdateCountries),
  route('voice', 'GET', '/v1/Settings', fetchSettings),
  route('voice', 'POST', '/v1/Settings', updateSettings),
  route('accounts', 'GET', '/v1/Messaging/GeoPermissions', listMessagingPermissions),
  route('accounts', 'PATCH', '/v1/Messaging/GeoPermissions', updateMessagingPermissions),
  route('messaging', 'GET', '/v1/Services/{MG}', fetchMessagingService),
  route('messaging', 'GET', '/v1/Services/{MG}/PhoneNumbers', listServiceNumbers),
  route('monitor', 'GET', '/v1/Events', listEvents),
];

/** Answers an authenticated request: its route's answer, 405 for a wrong method, 404 for an unknown path. */
export function answerTwilio(method: string, request: Omit<TwilioRequest, 'params' | 'host'>): Answer {
  const match = matchRoute(TWILIO_ROUTES, method, request.url.pathname);
  if (match === null) throw notFound(request.url.pathname);
  if ('allowed' in match) throw methodNotAllowed(match.allowed);
  checkKeyType(request.key, match.route);
  return match.route.handle({ ...request, params: match.params, host: HOSTS[match.route.product] });
}

/**
 * Twilio's key types: a Standard or Restricted key on /Accounts or /Keys is a 401 with 20003
 * "Authentication Error - invalid username" (Twilio support article 50301225354651); a Restricted key
 * without the route's permission is a 403 (docs/api/errors/403; code 70051, see docs/emulator.md).
 */
function checkKeyType(key: EmulatorApiKey | null, route: TwilioRoute): void {
  const type = key?.type ?? 'main';
  if (type === 'main') return;
  if (route.mainKeyOnly) throw new TwilioFault(401, 20003, 'Authentication Error - invalid username');
  if (type === 'restricted' && !key?.permissions?.includes(route.permission))
    throw new TwilioFault(403, 70051, `The API key is not authorized for ${route.permission}`);
}

const VOICE_FLAG_FILTERS = [
  ['lowRisk', 'LowRiskNumbersEnabled'],
  ['highRiskSpecial', 'HighRiskSpecialNumbersEnabled'],
  ['highRiskTollfraud', 'HighRiskTollfraudNumbersEnabled'],
] as const;

function matchesVoiceFilters(c: CountryInfo, cell: VoiceCell, q: URLSearchParams): boolean {
  if (q.has('IsoCode') && q.get('IsoCode')?.toUpperCase() !== c.iso) return false;
  if (q.has('Continent') && q.get('Continent') !== c.continent) return false;
  if (q.has('CountryCode') && !c.callingCodes.includes(normalizeCallingCode(q.get('CountryCode') ?? '')))
    return false;
  return VOICE_FLAG_FILTERS.every(([key, wire]) => !q.has(wire) || String(cell[key]) === q.get(wire));
}

function normalizeCallingCode(code: string): string {
  return code.startsWith('+') ? code : `+${code.trim()}`;
}

const EVENT_FILTERS = ['EventType', 'ResourceSid', 'ActorSid', 'SourceIpAddress'] as const;

/** Which events the query keeps: at most one of EVENT_FILTERS, and a StartDate..EndDate window. */
function eventFilter(q: URLSearchParams): (e: EmulatorEvent) => boolean {
  const filters = EVENT_FILTERS.filter((f) => q.has(f));
  if (filters.length > 1)
    throw new TwilioFault(400, 20001, `Filtering on more than one of ${filters.join(', ')} is not supported`);
  const start = dateParam(q, 'StartDate');
  const end = dateParam(q, 'EndDate');
  const value = (name: (typeof EVENT_FILTERS)[number], actual: string | null) =>
    !q.has(name) || actual === q.get(name);
  return (e) =>
    value('EventType', e.eventType) &&
    value('ResourceSid', e.accountSid) &&
    value('ActorSid', e.actorSid) &&
    value('SourceIpAddress', e.sourceIpAddress) &&
    (start === null || Date.parse(e.eventDate) >= start) &&
    (end === null || Date.parse(e.eventDate) <= end);
}

function dateParam(q: URLSearchParams, name: string): number | null {
  const value = q.get(name);
  if (value === null) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new TwilioFault(400, 20001, `${name} must be an ISO 8601 date`);
  return time;
}
