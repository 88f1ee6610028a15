import { DAY_MS, MONITOR_RETENTION_DAYS } from '../model/limits.js';
import { emulatorCountry } from './countries.js';
import { messagingRefusal } from './countries.js';
import type { EmulatorAccount, EmulatorApiKey, EmulatorEvent, EmulatorState, VoiceCell } from './state.js';

/** A Twilio-style refusal: HTTP status plus the body fields {code, message}. */
export class TwilioFault extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Actor {
  /** AC… for API calls, US… for Console users. */
  sid: string;
  type: 'account' | 'user';
  source: 'api' | 'web';
  ip: string;
}

/** A country not named in the state: every voice flag off. */
export const OFF: VoiceCell = { lowRisk: false, highRiskSpecial: false, highRiskTollfraud: false };

export const VOICE_FIELDS = [
  ['lowRisk', 'low_risk_numbers_enabled'],
  ['highRiskSpecial', 'high_risk_special_numbers_enabled'],
  ['highRiskTollfraud', 'high_risk_tollfraud_numbers_enabled'],
] as const;

/** The fleet's rules (accounts, inheritance, 30649, events), apart from HTTP. Mutates `state`. */
export class Fleet {
  private current!: EmulatorState;
  private bySid = new Map<string, EmulatorAccount>();

  constructor(
    state: EmulatorState,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.state = state;
  }

  get state(): EmulatorState {
    return this.current;
  }

  /** Replaces the fleet (PUT /__emulator/state); accounts are indexed for fleets of thousands. */
  set state(state: EmulatorState) {
    this.current = state;
    this.bySid = new Map(state.accounts.map((a) => [a.sid, a]));
    this.eventSids = new Set();
    this.eventsSeen = 0;
  }

  /** The SIDs of the events so far, and how many events they cover. */
  private eventSids = new Set<string>();
  private eventsSeen = 0;

  /**
   * The event SIDs taken, brought up to date with the events added since (by this fleet or pushed onto
   * the state): kept, not rebuilt per write, which made an apply of 10,000 accounts quadratic.
   */
  private takenEventSids(): Set<string> {
    const { events } = this.current;
    if (events.length < this.eventsSeen) {
      this.eventSids = new Set();
      this.eventsSeen = 0;
    }
    for (; this.eventsSeen < events.length; this.eventsSeen++)
      this.eventSids.add(events[this.eventsSeen]!.sid);
    return this.eventSids;
  }

  account(sid: string): EmulatorAccount | undefined {
    return this.bySid.get(sid);
  }

  /**
   * Basic auth: an account SID with its token, or an API key with its secret acting as its owner.
   * A suspended or closed account authenticates as nobody (Twilio's 20003 "The account is suspended
   * or closed"), and so do its keys.
   */
  authenticate(username: string, password: string): EmulatorAccount | null {
    const account = username.startsWith('SK')
      ? this.state.accounts.find((a) => a.apiKeys.some((k) => k.sid === username && k.secret === password))
      : this.account(username);
    if (!account || (!username.startsWith('SK') && account.authToken !== password)) return null;
    return this.status(account) === 'active' ? account : null;
  }

  /** The API key a username names, when it is one (its secret is checked by authenticate). */
  apiKey(username: string): EmulatorApiKey | null {
    if (!username.startsWith('SK')) return null;
    for (const account of this.state.accounts)
      for (const key of account.apiKeys) if (key.sid === username) return key;
    return null;
  }

  /** An account's own status, or its parent's when the parent is not active (Twilio suspends the subaccounts of a suspended parent). */
  status(account: EmulatorAccount): EmulatorAccount['status'] {
    if (account.status !== 'active' || account.ownerAccountSid === null) return account.status;
    const owner = this.account(account.ownerAccountSid);
    return owner && owner.status !== 'active' ? 'suspended' : 'active';
  }

  /** What `GET /2010-04-01/Accounts.json` lists for `caller`: itself first, then the subaccounts it owns. */
  visibleAccounts(caller: EmulatorAccount): EmulatorAccount[] {
    return [caller, ...this.state.accounts.filter((a) => a.ownerAccountSid === caller.sid)];
  }

  /**
   * May `caller` read the v2010 resources of `sid`? Itself, or a parent its subaccounts (with its
   * auth token or a Main key: a parent's Standard or Restricted key does not reach them). A subaccount
   * reaching its parent or a sibling, or a parent's lesser key reaching a subaccount, is Twilio's 401
   * 20003 ("You used subaccount credentials to access the main account or another subaccount, or you
   * used main account API keys against subaccount resources"); an account not in the family is a 404.
   */
  mayRead(caller: EmulatorAccount, sid: string, key: EmulatorApiKey | null = null): EmulatorAccount {
    const target = this.account(sid);
    if (target && target.sid === caller.sid) return target;
    const family =
      target !== undefined &&
      (target.ownerAccountSid === caller.sid ||
        (caller.ownerAccountSid !== null &&
          (target.sid === caller.ownerAccountSid || target.ownerAccountSid === caller.ownerAccountSid)));
    if (!target || !family)
      throw new TwilioFault(
        404,
        20404,
        `The requested resource /2010-04-01/Accounts/${sid}.json was not found`,
      );
    if (target.ownerAccountSid !== caller.sid || (key !== null && (key.type ?? 'main') !== 'main'))
      throw new TwilioFault(401, 20003, 'Authenticate');
    return target;
  }

  /**
   * The oldest moment whose Monitor Events `account` can still read (ms): Twilio keeps 30 days on the
   * free edition, 13 months on the paid editions (`monitorRetentionDays`).
   */
  retainedSince(account: EmulatorAccount): number {
    const days = account.monitorRetentionDays ?? MONITOR_RETENTION_DAYS.free;
    return this.now().getTime() - days * DAY_MS;
  }

  /** The voice cell Twilio reports: an inheriting subaccount shows its parent's values. */
  effectiveVoice(account: EmulatorAccount, iso: string): VoiceCell {
    const source = this.voiceSource(account);
    return source.voice.countries[iso] ?? OFF;
  }

  private voiceSource(account: EmulatorAccount): EmulatorAccount {
    if (account.ownerAccountSid !== null && account.voice.inheritance)
      return this.account(account.ownerAccountSid) ?? account;
    return account;
  }

  bulkUpdateVoice(
    account: EmulatorAccount,
    updates: Array<{ iso: string; cell: VoiceCell }>,
    actor: Actor,
  ): number {
    if (account.ownerAccountSid !== null && account.voice.inheritance && actor.type === 'account')
      throw new TwilioFault(
        400,
        20400,
        `Dialing permissions of ${account.sid} are inherited from its parent; set DialingPermissionsInheritance=false first`,
      );
    for (const { iso, cell } of updates) {
      const before = account.voice.countries[iso] ?? OFF;
      const enablesHighRisk =
        (cell.highRiskSpecial && !before.highRiskSpecial) ||
        (cell.highRiskTollfraud && !before.highRiskTollfraud);
      if (account.type === 'Trial' && enablesHighRisk && actor.type === 'account')
        throw new TwilioFault(
          400,
          20400,
          `Trial accounts can only enable low-risk destinations; upgrade ${account.sid} to enable high-risk numbers for ${iso}`,
        );
    }
    const properties: Record<string, Record<string, { previous: string; updated: string }>> = {};
    for (const { iso, cell } of updates) {
      const before = account.voice.countries[iso] ?? OFF;
      const changed: Record<string, { previous: string; updated: string }> = {};
      for (const [key, wire] of VOICE_FIELDS)
        if (before[key] !== cell[key])
          changed[wire] = { previous: String(before[key]), updated: String(cell[key]) };
      account.voice.countries[iso] = { ...cell };
      if (Object.keys(changed).length > 0) properties[iso] = changed;
    }
    if (Object.keys(properties).length > 0)
      this.record(
        account,
        'voice-geographic-permissions',
        properties,
        actor,
        'Voice dialing geo permissions updated',
      );
    return updates.length;
  }

  /**
   * `POST /v1/Settings` (202 Accepted): in effect at once, or with `voice.settingsDelay` N only after
   * the account's next N reads of the setting (readSettings). A new request replaces one still pending;
   * asking for the value already in effect just drops the pending one.
   */
  requestInheritance(account: EmulatorAccount, inherit: boolean, actor: Actor): void {
    this.subaccountOnly(account);
    const delay = account.voice.settingsDelay ?? 0;
    delete account.voice.pendingInheritance;
    if (delay === 0) this.setInheritance(account, inherit, actor);
    else if (inherit !== account.voice.inheritance)
      account.voice.pendingInheritance = { inheritance: inherit, readsLeft: delay, actor };
  }

  /** One `GET /v1/Settings`: the value in effect; a pending change counts the read and may take effect. */
  readSettings(account: EmulatorAccount): boolean {
    const shown = account.ownerAccountSid !== null && account.voice.inheritance;
    const pending = account.voice.pendingInheritance;
    if (pending && --pending.readsLeft === 0) {
      delete account.voice.pendingInheritance;
      this.setInheritance(account, pending.inheritance, pending.actor);
    }
    return shown;
  }

  private subaccountOnly(account: EmulatorAccount): void {
    if (account.ownerAccountSid === null)
      throw new TwilioFault(
        400,
        20400,
        `${account.sid} is not a subaccount: only subaccounts inherit dialing permissions`,
      );
  }

  setInheritance(account: EmulatorAccount, inherit: boolean, actor: Actor): void {
    this.subaccountOnly(account);
    const before = account.voice.inheritance;
    account.voice.inheritance = inherit;
    if (before !== inherit)
      this.record(
        account,
        'voice-geographic-permissions',
        { dialing_permissions_inheritance: { previous: String(before), updated: String(inherit) } },
        actor,
        'Voice dialing geo permissions inheritance updated',
      );
  }

  /** Applies what it may; Console-only and unsupported countries answer 30649 per item (API only). */
  updateMessaging(
    account: EmulatorAccount,
    updates: Array<{ iso: string; enabled: boolean }>,
    actor: Actor,
  ): Array<{ iso: string; enabled: boolean; errorCode: number; errorMessages: string[] }> {
    const properties: Record<string, { previous: string; updated: string }> = {};
    const results = updates.map(({ iso, enabled }) => {
      const refusal = actor.type === 'account' ? messagingRefusal(iso) : null;
      if (refusal) return { iso, enabled, errorCode: 30649, errorMessages: [refusal] };
      const before = account.messaging[iso] ?? false;
      account.messaging[iso] = enabled;
      if (before !== enabled)
        properties[emulatorCountry('messaging', iso)?.name ?? iso] = {
          previous: onOff(before),
          updated: onOff(enabled),
        };
      return { iso, enabled, errorCode: 0, errorMessages: [] };
    });
    if (Object.keys(properties).length > 0)
      this.record(account, 'sms-geographic-permissions', properties, actor, 'SMS geo permissions updated');
    return results;
  }

  private record(
    account: EmulatorAccount,
    resourceType: string,
    properties: Record<string, unknown>,
    actor: Actor,
    description: string,
  ): void {
    const taken = this.takenEventSids();
    let n = this.state.events.length + 1;
    while (taken.has(eventSid(n))) n++;
    const event: EmulatorEvent = {
      sid: eventSid(n),
      accountSid: account.sid,
      eventType: `${resourceType}.updated`,
      resourceType,
      eventDate: this.now().toISOString(),
      actorSid: actor.sid,
      actorType: actor.type,
      source: actor.source,
      sourceIpAddress: actor.ip,
      description,
      eventData: { resource_properties: properties },
    };
    this.state.events.push(event);
  }
}

function eventSid(n: number): string {
  return 'AE' + n.toString(16).padStart(32, '0');
}

function onOff(enabled: boolean): string {
  return enabled ? 'enabled' : 'disabled';
}
