import { emulatorCountry } from './countries.js';
import { messagingRefusal } from './countries.js';
import type { EmulatorAccount, EmulatorEvent, EmulatorState, VoiceCell } from './state.js';

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
  }

  account(sid: string): EmulatorAccount | undefined {
    return this.bySid.get(sid);
  }

  /** Basic auth: an account SID with its token, or an API key with its secret acting as its owner. */
  authenticate(username: string, password: string): EmulatorAccount | null {
    if (username.startsWith('SK'))
      return (
        this.state.accounts.find((a) => a.apiKeys.some((k) => k.sid === username && k.secret === password)) ??
        null
      );
    const account = this.account(username);
    return account && account.authToken === password && account.status !== 'closed' ? account : null;
  }

  /** What `GET /2010-04-01/Accounts.json` lists for `caller`: itself first, then the subaccounts it owns. */
  visibleAccounts(caller: EmulatorAccount): EmulatorAccount[] {
    return [caller, ...this.state.accounts.filter((a) => a.ownerAccountSid === caller.sid)];
  }

  /** May `caller` read the v2010 resources of `sid`? Itself, or a parent its subaccounts. */
  mayRead(caller: EmulatorAccount, sid: string): EmulatorAccount {
    const target = this.account(sid);
    if (!target || (target.sid !== caller.sid && target.ownerAccountSid !== caller.sid))
      throw new TwilioFault(
        404,
        20404,
        `The requested resource /2010-04-01/Accounts/${sid}.json was not found`,
      );
    return target;
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

  setInheritance(account: EmulatorAccount, inherit: boolean, actor: Actor): void {
    if (account.ownerAccountSid === null)
      throw new TwilioFault(
        400,
        20400,
        `${account.sid} is not a subaccount: only subaccounts inherit dialing permissions`,
      );
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
    const taken = new Set(this.state.events.map((e) => e.sid));
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
