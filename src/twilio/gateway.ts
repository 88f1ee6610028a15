import BaseTwilio from 'twilio/lib/base/BaseTwilio.js';
import Voice from 'twilio/lib/rest/Voice.js';
import Accounts from 'twilio/lib/rest/Accounts.js';
import Monitor from 'twilio/lib/rest/Monitor.js';
import { countryByName } from '../catalog/index.js';
import { Semaphore } from '../live/concurrency.js';
import type { AccountIdentity, LiveMessagingCountry, LiveVoiceCountry } from '../model/live.js';
import type {
  AccountClient,
  AccountTarget,
  GeoEvent,
  MessagingUpdate,
  MessagingUpdateResult,
  OwnedSender,
  SenderRef,
  TwilioGateway,
  VoiceCountryUpdate,
} from '../model/twilio-port.js';
import { InactiveAccountError, TwilioError } from './errors.js';
import type { CredentialOrigin } from './hints.js';
import { GEO_EVENT_TYPES, isGeoEventType, sortEvents, toGeoEvent } from './events.js';
import type { AccountCredentials, Credentials, TwilioOptions } from './options.js';
import {
  accountListPageShape,
  accountShape,
  balanceShape,
  bulkUpdateShape,
  eventShape,
  expectEach,
  expectShape,
  incomingNumberPageShape,
  incomingNumberShape,
  isRawMessagingCountry,
  isRawVoiceCountry,
  keyShape,
  listPageShape,
  messagingCountryShape,
  messagingServiceShape,
  messagingUpdateShape,
  prefixShape,
  serviceNumbersPageShape,
  settingsShape,
  voiceCountryShape,
} from './shapes.js';
import { TwilioTransport, type TransportShared } from './transport.js';
import { agentsFor } from './agents.js';
import { proxySecrets } from './proxy.js';

export interface GatewayHooks {
  /** Registers a secret so no log line shows it (the action passes core.setSecret). */
  mask(secret: string): void;
  log?(line: string): void;
}

/**
 * Only the SDK domains these APIs live on, so the bundle carries no other product. The v2010 API
 * domain alone weighs 0.5 MB bundled for two GETs, so those go through the base client's request().
 */
interface Sdk {
  voice: Voice;
  accounts: Accounts;
  monitor: Monitor;
  v2010(path: string): Promise<unknown>;
  /** A GET of a whole Twilio URL, answered with the parsed body. */
  get(uri: string): Promise<unknown>;
}

const VOICE_COUNTRIES = 'https://voice.twilio.com/v1/DialingPermissions/Countries';
const MESSAGING_SERVICES = 'https://messaging.twilio.com/v1/Services';
const API = 'https://api.twilio.com';

export function createTwilioGateway(
  settings: TwilioOptions,
  hooks: GatewayHooks,
): TwilioGateway & { requestCount(): number } {
  let requests = 0;
  const mask = maskOnce(hooks.mask);
  hooks = { ...hooks, mask };
  const shared: TransportShared = {
    semaphore: new Semaphore(settings.concurrency),
    baseUrl: settings.baseUrl,
    location: settings.location,
    agents: agentsFor(settings.proxy),
    timeoutMs: settings.timeoutMs,
    retry: settings.retry,
    mask,
    log: hooks.log,
    countRequest: () => void requests++,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  maskCredentials(settings.credentials, hooks.mask);
  for (const secret of proxySecrets(settings.proxy)) hooks.mask(secret);
  for (const [accountSid, given] of Object.entries(settings.perAccount))
    maskCredentials(credentialsOf(accountSid, given), hooks.mask);

  const main = sdkFor(settings.credentials, shared, 'own');
  const clients = new Map<string, Promise<AccountClient>>();
  // Subaccounts whose token is derived: what their clients need, not the clients (SDK objects cost
  // about 4 KB an account, and a fleet is opened once to plan, once to apply and once at the end).
  const derived = new Map<string, Promise<Derived>>();
  // Subaccounts the main credentials' own Accounts list answered in this run: the same resource
  // readThroughParent would fetch with the same credentials, so it is not fetched again.
  const listed = new Map<string, ParentView>();
  const onListed = (view: ParentView) => void listed.set(view.identity.sid, view);

  function open(target: AccountTarget): AccountClient {
    const given = settings.perAccount[target.sid];
    if (given) {
      refuseMainKeyGivenFor(target.sid, given, settings.credentials);
      return new SdkAccountClient(target, credentialsOf(target.sid, given), null, shared, hooks, 'given');
    }
    return new SdkAccountClient(target, settings.credentials, null, shared, hooks, 'own', { onListed });
  }

  /**
   * A subaccount without its own credentials: its token comes from the v2010 Account resource, read
   * with the parent's credentials (or listed by them earlier in this run); that same resource answers
   * fetchIdentity (request budget).
   */
  async function derive(sid: string): Promise<Derived> {
    const what = `reading the Account resource of ${sid} with the credentials of ${settings.credentials.accountSid}`;
    const seen = listed.get(sid);
    listed.delete(sid);
    const view = seen ?? viewOf(await readThroughParent(main, sid, what));
    if (view.authToken) hooks.mask(view.authToken);
    // Before the token: a closed account's token is no use, and it is not "missing credentials".
    refuseInactive(view.identity, `read through ${settings.credentials.accountSid}`);
    if (!view.authToken)
      throw new TwilioError(
        `${what}: Twilio returned no auth token, so the subaccount's own credentials cannot be derived; give them in perAccount`,
        'identity',
        sid,
      );
    const credentials: Credentials = { kind: 'authToken', accountSid: sid, authToken: view.authToken };
    return { identity: view.identity, credentials, proof: { accepted: false } };
  }

  function cached<T>(cache: Map<string, Promise<T>>, sid: string, make: () => Promise<T>): Promise<T> {
    let entry = cache.get(sid);
    if (!entry) {
      entry = make();
      entry.catch(() => cache.delete(sid));
      cache.set(sid, entry);
    }
    return entry;
  }

  return {
    async forAccount(target) {
      if (settings.perAccount[target.sid] || settings.credentials.accountSid === target.sid)
        return cached(clients, target.sid, async () => open(target));
      const known = await cached(derived, target.sid, () => derive(target.sid));
      checkParent(target, known.identity);
      // A fresh client each time: it holds nothing the record does not (identity, proven token).
      const { identity, credentials, proof } = known;
      return new SdkAccountClient(target, credentials, identity, shared, hooks, 'derived', { proof });
    },
    requestCount: () => requests,
  };
}

/** A subaccount's Account resource as its parent's credentials read it: who it is, and its token. */
interface ParentView {
  identity: AccountIdentity;
  authToken: string | null;
}

const viewOf = (account: Parameters<typeof identityOf>[0] & { authToken: string | null }): ParentView => ({
  identity: identityOf(account),
  authToken: account.authToken,
});

/** That the token of a derived client was accepted once: shared by every client of that subaccount. */
interface TokenProof {
  accepted: boolean;
}

/** What every client of one subaccount with a derived token is made from. */
interface Derived {
  identity: AccountIdentity;
  credentials: Credentials;
  proof: TokenProof;
}

interface ClientExtras {
  /** Shares the proof that the token was accepted with the other clients of the same subaccount. */
  proof?: TokenProof;
  /** The main credentials' client only: told of every subaccount its Accounts list answers. */
  onListed?: (view: ParentView) => void;
}

/** Every call acts strictly as `target`: its requests authenticate with `credentials`, which belong to it. */
class SdkAccountClient implements AccountClient {
  readonly sid: string;
  private readonly sdk: Sdk;
  private identity: Promise<AccountIdentity> | null;
  private writable: Promise<void> | null = null;

  constructor(
    private readonly target: AccountTarget,
    private readonly credentials: Credentials,
    knownIdentity: AccountIdentity | null,
    shared: TransportShared,
    private readonly hooks: GatewayHooks,
    origin: CredentialOrigin,
    extras: ClientExtras = {},
  ) {
    this.sid = target.sid;
    this.sdk = sdkFor(credentials, shared, origin);
    this.identity = knownIdentity ? Promise.resolve(knownIdentity) : null;
    this.proof = extras.proof ?? { accepted: false };
    this.onListed = extras.onListed ?? null;
  }

  fetchIdentity(): Promise<AccountIdentity> {
    if (!this.identity) {
      // An API key acts as the account that made it, whatever SID is named: a parent's key would read
      // the parent's permissions in this account's name, so its owner is proven before any read.
      const pending =
        this.credentials.kind === 'apiKey'
          ? this.ensureWritable().then(() =>
              this.limitedKey ? this.limitedKeyIdentity() : this.fetchOwnIdentity(),
            )
          : this.fetchOwnIdentity();
      pending.catch(() => (this.identity = null));
      this.identity = pending;
    }
    return this.identity;
  }

  /**
   * Straight from the JSON pages, not through the SDK's list(): that builds an instance per country
   * (with a context and a copy of every field) only for it to be copied again here.
   */
  async listVoiceCountries(): Promise<LiveVoiceCountry[]> {
    const what = 'listing voice dialing permissions';
    const countries: LiveVoiceCountry[] = [];
    let next: string | null = `${VOICE_COUNTRIES}?PageSize=1000`;
    while (next) {
      const uri: string = next;
      const page = expectShape(listPageShape, await this.call(what, () => this.sdk.get(uri)), what, this.sid);
      for (const c of expectEach(voiceCountryShape, isRawVoiceCountry, page.content, what, this.sid))
        countries.push({
          iso: c.iso_code,
          name: c.name,
          continent: c.continent,
          callingCodes: c.country_codes ?? [],
          low_risk: c.low_risk_numbers_enabled,
          high_risk_special: c.high_risk_special_numbers_enabled,
          high_risk_tollfraud: c.high_risk_tollfraud_numbers_enabled,
        });
      next = page.meta.next_page_url ?? null;
    }
    return countries;
  }

  async fetchVoiceInheritance(): Promise<boolean | null> {
    const identity = await this.fetchIdentity();
    if (identity.ownerAccountSid === null) return null;
    const what = 'reading voice dialing permissions inheritance';
    const settings = await this.call(what, () => this.sdk.voice.v1.dialingPermissions.settings().fetch());
    return expectShape(settingsShape, settings, what, this.sid).dialingPermissionsInheritance;
  }

  async fetchMessaging(): Promise<LiveMessagingCountry[]> {
    const what = 'reading messaging geo permissions';
    const answer = await this.call(what, () => this.sdk.accounts.v1.messagingGeopermissions.fetch());
    const permissions = expectEach(
      messagingCountryShape,
      isRawMessagingCountry,
      answer.permissions,
      what,
      this.sid,
    );
    return permissions.map((p) => ({
      iso: p.country_code,
      enabled: p.enabled,
      prefix: p.prefix ?? null,
      message: p.message ? p.message : null,
    }));
  }

  async bulkUpdateVoice(updates: readonly VoiceCountryUpdate[]): Promise<{ updateCount: number }> {
    if (updates.length === 0) return { updateCount: 0 };
    await this.ensureWritable();
    // The flags are the STRINGS "true"/"false" (Twilio's documented form); all three always sent.
    const updateRequest = JSON.stringify(
      updates.map((u) => ({
        iso_code: u.iso,
        low_risk_numbers_enabled: String(u.low_risk),
        high_risk_special_numbers_enabled: String(u.high_risk_special),
        high_risk_tollfraud_numbers_enabled: String(u.high_risk_tollfraud),
      })),
    );
    const what = `updating voice dialing permissions of ${updates.length} countries`;
    const answer = await this.call(what, () =>
      this.sdk.voice.v1.dialingPermissions.bulkCountryUpdates.create({ updateRequest }),
    );
    return { updateCount: expectShape(bulkUpdateShape, answer, what, this.sid).updateCount };
  }

  async setVoiceInheritance(inherit: boolean): Promise<void> {
    await this.ensureWritable();
    const what = `setting voice dialing permissions inheritance to ${inherit}`;
    const answer = await this.call(what, () =>
      this.sdk.voice.v1.dialingPermissions.settings().update({ dialingPermissionsInheritance: inherit }),
    );
    expectShape(settingsShape, answer, what, this.sid);
  }

  async updateMessaging(updates: readonly MessagingUpdate[]): Promise<MessagingUpdateResult[]> {
    if (updates.length === 0) return [];
    await this.ensureWritable();
    // `enabled` is a JSON boolean here, unlike the voice flags.
    const permissions = updates.map((u) => ({ country_code: u.iso, type: 'country', enabled: u.enabled }));
    const what = `updating messaging geo permissions of ${updates.length} countries`;
    const answer = await this.call(what, () =>
      this.sdk.accounts.v1.messagingGeopermissions.update({ permissions }),
    );
    return expectShape(messagingUpdateShape, answer.permissions, what, this.sid).map((r) => ({
      iso: r.country_code,
      enabled: r.enabled,
      errorCode: r.error_code,
      errorMessages: r.error_messages ?? [],
    }));
  }

  async listHighRiskSpecialPrefixes(iso: string): Promise<string[]> {
    const what = `listing high-risk special prefixes of ${iso}`;
    const prefixes = await this.call(what, () =>
      this.sdk.voice.v1.dialingPermissions.countries(iso).highriskSpecialPrefixes.list({ pageSize: 1000 }),
    );
    return prefixes.map((p) => expectShape(prefixShape, p, what, this.sid).prefix);
  }

  /**
   * Twilio lists the authenticated account itself beside its subaccounts, every one with its auth
   * token: each token is masked as soon as it arrives and none is kept (the subaccounts' clients
   * derive theirs through forAccount, as for any subaccount).
   */
  async listSubaccounts(options: { statuses?: readonly string[] } = {}): Promise<AccountIdentity[]> {
    const subaccounts: AccountIdentity[] = [];
    for (const status of options.statuses ?? ['active'])
      subaccounts.push(...(await this.listSubaccountsOf(status)));
    return subaccounts;
  }

  private async listSubaccountsOf(status: string): Promise<AccountIdentity[]> {
    const what = `listing the subaccounts (status ${status})`;
    const subaccounts: AccountIdentity[] = [];
    // Filtered by Twilio (ListAccount's `Status`), so closed subaccounts are not paged through (and
    // their tokens not sent); the status check below stays for an answer that ignores it.
    let next: string | null =
      `https://api.twilio.com/2010-04-01/Accounts.json?Status=${encodeURIComponent(status)}&PageSize=1000`;
    while (next) {
      const uri: string = next;
      const page = expectShape(
        accountListPageShape,
        await this.call(what, () => this.sdk.get(uri)),
        what,
        this.sid,
      );
      for (const raw of page.accounts) {
        const token = (raw as { auth_token?: unknown } | null)?.auth_token;
        if (typeof token === 'string') this.hooks.mask(token);
      }
      for (const [i, raw] of page.accounts.entries()) {
        const account = expectShape(accountShape, raw, `${what} (item ${i})`, this.sid);
        if (account.sid !== this.sid && account.ownerAccountSid === this.sid && account.status === status) {
          const view = viewOf(account);
          this.onListed?.(view);
          subaccounts.push(view.identity);
        }
      }
      next = page.next_page_uri ? `https://api.twilio.com${page.next_page_uri}` : null;
    }
    return subaccounts;
  }

  /** One request for a non-owner: a filtered list, or a fetch Twilio answers 404 for another account's SID. */
  findSender(sender: SenderRef): Promise<OwnedSender | null> {
    if (sender.kind === 'phone-number') return this.findNumber(sender.e164);
    if (sender.kind === 'phone-number-sid') return this.fetchNumber(sender.sid);
    return this.fetchService(sender.sid);
  }

  /**
   * `PhoneNumber` is a partial match for Twilio ("partial numbers … '*' as a wildcard"), so only an
   * item whose `phone_number` is the number itself counts; pages are followed until it appears.
   */
  private async findNumber(e164: string): Promise<OwnedSender | null> {
    const what = `looking up the phone number ${e164}`;
    const query = new URLSearchParams({ PhoneNumber: e164, PageSize: '1000' });
    let next: string | null = `${API}/2010-04-01/Accounts/${this.sid}/IncomingPhoneNumbers.json?${query}`;
    while (next) {
      const uri: string = next;
      const page = expectShape(
        incomingNumberPageShape,
        await this.call(what, () => this.sdk.get(uri)),
        what,
        this.sid,
      );
      for (const [i, raw] of page.incoming_phone_numbers.entries()) {
        const number = expectShape(incomingNumberShape, raw, `${what} (item ${i})`, this.sid);
        if (number.phoneNumber === e164) return number;
      }
      next = page.next_page_uri ? `${API}${page.next_page_uri}` : null;
    }
    return null;
  }

  private async fetchNumber(sid: string): Promise<OwnedSender | null> {
    const what = `reading the IncomingPhoneNumber ${sid}`;
    const path = `/Accounts/${this.sid}/IncomingPhoneNumbers/${sid}.json`;
    const raw = await this.orNull(this.call(what, () => this.sdk.v2010(path)));
    return raw === null ? null : expectShape(incomingNumberShape, raw, what, this.sid);
  }

  /**
   * The service, then (for its owner only) its sender pool, so the answer can name the numbers it sends
   * from. The pool only describes: a failure to list it (a Restricted key without that permission) is
   * said beside the owner, who stays found.
   */
  private async fetchService(sid: string): Promise<OwnedSender | null> {
    const what = `reading the Messaging Service ${sid}`;
    const raw = await this.orNull(this.call(what, () => this.sdk.get(`${MESSAGING_SERVICES}/${sid}`)));
    if (raw === null) return null;
    const service = expectShape(messagingServiceShape, raw, what, this.sid);
    const owned: OwnedSender = {
      kind: 'messaging-service',
      sid: service.sid,
      accountSid: service.account_sid,
      friendlyName: service.friendly_name ?? '',
      phoneNumber: null,
      capabilities: null,
      senders: null,
    };
    try {
      owned.senders = await this.listServiceNumbers(sid);
    } catch (err) {
      if (!(err instanceof TwilioError)) throw err;
      owned.sendersError = err.message;
    }
    return owned;
  }

  private async listServiceNumbers(sid: string): Promise<string[]> {
    const senders: string[] = [];
    const listing = `listing the phone numbers of the Messaging Service ${sid}`;
    let next: string | null = `${MESSAGING_SERVICES}/${sid}/PhoneNumbers?PageSize=1000`;
    while (next) {
      const uri: string = next;
      const page = expectShape(
        serviceNumbersPageShape,
        await this.call(listing, () => this.sdk.get(uri)),
        listing,
        this.sid,
      );
      for (const n of page.phone_numbers) if (n.phone_number) senders.push(n.phone_number);
      next = page.meta.next_page_url ?? null;
    }
    return senders;
  }

  /**
   * Twilio's 404 (20404) for a resource of another account, as "not this account's". An API key acts as
   * the account that made it, and another account's key meets the same 404 (messaging v1 has no account
   * in its path; v2010 answers 404 for an unrelated account's), so a key's 404 counts only once the key
   * is proven to be this account's; a failed proof is the error, never "not found".
   */
  private async orNull<R>(request: Promise<R>): Promise<R | null> {
    try {
      return await request;
    } catch (err) {
      if (!(err instanceof TwilioError && err.kind === 'not-found')) throw err;
      if (this.credentials.kind === 'apiKey') await this.ensureWritable();
      return null;
    }
  }

  /**
   * Every Monitor filter is optional, so one page of the whole window (the dates alone, every event type)
   * answers for an account whose log since `since` fits in 1,000 events: one request instead of one per
   * geo event type. A busier log (a next page) is listed again per type, which Twilio filters for us;
   * both ways keep the same events, as the geo types are matched exactly either way.
   */
  async listGeoEvents(since: Date): Promise<GeoEvent[]> {
    const what = 'listing Monitor events';
    const first = await this.call(what, () =>
      this.sdk.monitor.v1.events.page({ startDate: since, pageSize: 1000 }),
    );
    if (first.nextPageUrl) return this.listGeoEventsByType(since);
    const geo = first.instances.filter((raw) => isGeoEventType(raw.eventType));
    return sortEvents(geo.map((raw) => this.geoEvent(raw, what)));
  }

  /** One listing per geo event type (Monitor takes one EventType per request), each followed to its end. */
  private async listGeoEventsByType(since: Date): Promise<GeoEvent[]> {
    const events: GeoEvent[] = [];
    for (const eventType of GEO_EVENT_TYPES) {
      const what = `listing Monitor events ${eventType}`;
      const page = await this.call(what, () =>
        this.sdk.monitor.v1.events.list({ eventType, startDate: since, pageSize: 1000 }),
      );
      for (const raw of page) events.push(this.geoEvent(raw, what));
    }
    return sortEvents(events);
  }

  private geoEvent(raw: unknown, what: string): GeoEvent {
    return toGeoEvent(expectShape(eventShape, raw, what, this.sid), countryByName);
  }

  private async fetchOwnIdentity(): Promise<AccountIdentity> {
    const what = `reading the Account resource of ${this.sid}`;
    const account = expectShape(
      accountShape,
      await this.call(what, () => this.sdk.v2010(`/Accounts/${this.sid}.json`)),
      what,
      this.sid,
    );
    if (account.authToken) this.hooks.mask(account.authToken);
    const identity = identityOf(account);
    if (identity.sid !== this.sid)
      throw new TwilioError(`${what}: Twilio answered for ${identity.sid} instead`, 'identity', this.sid);
    refuseInactive(identity, 'read with its own credentials');
    checkParent(this.target, identity);
    return identity;
  }

  /**
   * A Standard or Restricted key cannot read the Account resource: the key's owner is proven (by its
   * Balance), but its type, status and name are unknown, and its parent is the one the policy names.
   */
  private limitedKeyIdentity(): AccountIdentity {
    return {
      sid: this.sid,
      friendlyName: '',
      type: null,
      status: null,
      ownerAccountSid: this.target.parentSid,
    };
  }

  /**
   * Proves, once, that this client's requests act on `sid` before anything is written. Voice,
   * messaging and monitor ignore any account SID in the request and act on the account that owns
   * the credentials, so a parent's credential would silently change the parent instead.
   */
  private ensureWritable(): Promise<void> {
    if (!this.writable) {
      const pending = this.proveIdentity();
      pending.catch(() => (this.writable = null));
      this.writable = pending;
    }
    return this.writable;
  }

  private async proveIdentity(): Promise<void> {
    const trap =
      `Twilio's voice, messaging and monitor APIs act on the account that owns the credentials and ignore the account SID ` +
      `you name, so a parent's credentials would silently change the parent instead of ${this.sid}. ` +
      `Give ${this.sid} its own auth token or an API key created inside it, or leave it out of the per-account ` +
      `credentials so its token is derived through its parent.`;
    if (this.credentials.accountSid !== this.sid)
      throw new TwilioError(
        `refusing to act on ${this.sid}: the credentials belong to ${this.credentials.accountSid}. ${trap}`,
        'identity',
        this.sid,
      );
    if (this.credentials.kind === 'authToken') {
      // Basic auth as the account SID itself acts as that account; make sure the token is accepted.
      await this.fetchIdentity();
      if (!this.proof.accepted) {
        await this.fetchOwnIdentity();
        this.proof.accepted = true;
      }
      return;
    }
    const apiKey = this.credentials.apiKey;
    const what = `checking that API key ${apiKey} belongs to ${this.sid}`;
    try {
      const key = await this.call(what, () => this.sdk.v2010(`/Accounts/${this.sid}/Keys/${apiKey}.json`));
      if (expectShape(keyShape, key, what, this.sid).sid === apiKey) return;
    } catch (err) {
      if (!(err instanceof TwilioError)) throw err;
      // Twilio's answer to a Standard or Restricted key on /Keys (or to a wrong secret): prove it otherwise.
      if (err.status === 401 || err.status === 403) return this.proveLimitedKey(apiKey);
      if (err.kind !== 'not-found') throw err;
    }
    throw new TwilioError(
      `refusing to act on ${this.sid}: API key ${apiKey} is not a key of ${this.sid}. ${trap}`,
      'identity',
      this.sid,
    );
  }

  /**
   * A key that may not read /Keys is a Standard or Restricted key (or a wrong secret). Its Balance,
   * read under this account's own path, proves whose it is: a key of another account is refused
   * there (Twilio's 20003 for a parent's key on a subaccount's resources), and voice, messaging and
   * monitor answers carry no account SID to compare. A Main key never gets here: its /Keys read
   * answered 200 (its own) or 404 (another account's, refused above).
   */
  private async proveLimitedKey(apiKey: string): Promise<void> {
    const what = `proving through the Balance of ${this.sid} that API key ${apiKey} (a Standard or Restricted key: Twilio refused it /Keys) belongs to ${this.sid}`;
    const balance = expectShape(
      balanceShape,
      await this.call(what, () => this.sdk.v2010(`/Accounts/${this.sid}/Balance.json`)),
      what,
      this.sid,
    );
    if (balance.accountSid !== this.sid)
      throw new TwilioError(
        `refusing to act on ${this.sid}: ${what}: Twilio answered for ${balance.accountSid}`,
        'identity',
        this.sid,
      );
    this.limitedKey = true;
  }

  /** Set once a Standard or Restricted key is proven to belong to this account. */
  private limitedKey = false;

  /** The token was accepted by a request (of this client, or of another client of the same subaccount). */
  private readonly proof: TokenProof;

  private readonly onListed: ((view: ParentView) => void) | null;

  private call<R>(what: string, request: () => Promise<R>): Promise<R> {
    return guard(what, this.sid, async () => {
      const result = await request();
      if (this.credentials.kind === 'authToken') this.proof.accepted = true;
      return result;
    });
  }
}

function sdkFor(credentials: Credentials, shared: TransportShared, origin: CredentialOrigin): Sdk {
  const [username, password] =
    credentials.kind === 'authToken'
      ? [credentials.accountSid, credentials.authToken]
      : [credentials.apiKey, credentials.apiSecret];
  const client = new BaseTwilio.Client(username, password, {
    accountSid: credentials.accountSid,
    httpClient: new TwilioTransport(shared, credentials.accountSid, origin).asHttpClient(),
    env: {},
  });
  // The location as configured (never TWILIO_EDGE / TWILIO_REGION read behind the settings' back):
  // twilio-node's request() then builds {product}.{edge}.{region}.twilio.com (BaseTwilio.getHostname).
  client.edge = shared.location.edge ?? undefined;
  client.region = shared.location.region ?? undefined;
  // The domain classes are typed against the full client; they only use its request().
  const twilio = client as unknown as ConstructorParameters<typeof Voice>[0];
  return {
    voice: new Voice(twilio),
    accounts: new Accounts(twilio),
    monitor: new Monitor(twilio),
    // The transport answers 2xx only (it throws otherwise), with the body parsed.
    get: async (uri) => (await client.request({ method: 'get', uri })).body,
    v2010: async (path) =>
      (await client.request({ method: 'get', uri: `https://api.twilio.com/2010-04-01${path}` })).body,
  };
}

/**
 * Each secret is registered once: core.setSecret prints a line per call, and the transport meets the
 * same Basic-auth string on every request.
 */
function maskOnce(register: (secret: string) => void): (secret: string) => void {
  const masked = new Set<string>();
  return (secret) => {
    if (secret && !masked.has(secret)) {
      masked.add(secret);
      register(secret);
    }
  };
}

function credentialsOf(accountSid: string, given: AccountCredentials): Credentials {
  return 'authToken' in given
    ? { kind: 'authToken', accountSid, authToken: given.authToken }
    : { kind: 'apiKey', accountSid, apiKey: given.apiKey, apiSecret: given.apiSecret };
}

function maskCredentials(credentials: Credentials, mask: (secret: string) => void): void {
  if (credentials.kind === 'authToken') mask(credentials.authToken);
  else mask(credentials.apiSecret);
}

function identityOf(account: {
  sid: string;
  friendlyName: string | null;
  type: 'Trial' | 'Full';
  status: string;
  ownerAccountSid: string | null;
}): AccountIdentity {
  return {
    sid: account.sid,
    friendlyName: account.friendlyName ?? '',
    type: account.type,
    status: account.status,
    // Twilio sets owner_account_sid to the account itself for a main account.
    ownerAccountSid:
      account.ownerAccountSid && account.ownerAccountSid !== account.sid ? account.ownerAccountSid : null,
  };
}

/** The Account resource of `sid` read with its parent's client; errors name `sid`, the account being opened. */
async function readThroughParent(parent: Sdk, sid: string, what: string) {
  const answer = await guard(what, sid, () => parent.v2010(`/Accounts/${sid}.json`)).catch((err: unknown) => {
    if (err instanceof TwilioError) throw new TwilioError(err.message, err.kind, sid, err.status, err.code);
    throw err;
  });
  return expectShape(accountShape, answer, what, sid);
}

/** Suspended and closed accounts are reported as such, and nothing is read or written there. */
function refuseInactive(identity: AccountIdentity, how: string): void {
  const status = identity.status;
  if (status !== 'suspended' && status !== 'closed') return;
  const why =
    status === 'closed'
      ? 'a closed account can never be read or changed again (Twilio deletes closed subaccounts 30 days after closure); remove it from the policy'
      : 'Twilio refuses every request of a suspended account (error 20003); reactivate it (in the Console, or through its parent) or remove it from the policy';
  throw new InactiveAccountError(
    `${identity.sid} is ${status} (its Account resource, ${how}): nothing was read or written; ${why}`,
    identity.sid,
    status,
  );
}

/**
 * The main credentials' API key given again for another account: a key belongs to one account, so
 * it cannot be that account's own; refused before any request.
 */
function refuseMainKeyGivenFor(sid: string, given: AccountCredentials, main: Credentials): void {
  if (!('apiKey' in given) || main.kind !== 'apiKey' || given.apiKey !== main.apiKey) return;
  if (sid === main.accountSid) return;
  throw new TwilioError(
    `refusing to act on ${sid}: API key ${given.apiKey} is the key of ${main.accountSid} (the main credentials); ${sid} needs its own auth token or an API key created inside it`,
    'identity',
    sid,
  );
}

function checkParent(target: AccountTarget, identity: AccountIdentity): void {
  if (target.parentSid !== null && identity.ownerAccountSid !== target.parentSid)
    throw new TwilioError(
      `the policy names ${target.parentSid} as the parent of ${target.sid}, but Twilio says its owner is ${identity.ownerAccountSid ?? 'nobody (it is a main account)'}`,
      'identity',
      target.sid,
    );
}

/** SDK failures that are not ours (a TypeError on an unexpected body) become a named error. */
async function guard<R>(what: string, account: string, request: () => Promise<R>): Promise<R> {
  try {
    return await request();
  } catch (err) {
    if (err instanceof TwilioError) throw err;
    const name = err instanceof Error ? err.name : 'error';
    throw new TwilioError(
      `${what} for ${account}: Twilio's answer could not be read (${name})`,
      'malformed',
      account,
    );
  }
}
