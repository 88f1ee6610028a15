import type { AccountIdentity, LiveMessagingCountry, LiveVoiceCountry, VoiceFlags } from './live.js';

/** The three voice flags of one country, all sent together (Twilio may reset omitted flags). */
export interface VoiceCountryUpdate extends VoiceFlags {
  iso: string;
}

export interface MessagingUpdate {
  iso: string;
  enabled: boolean;
}

/** One item of a messaging PATCH answer: Twilio fails per country inside an HTTP 200. */
export interface MessagingUpdateResult {
  iso: string;
  enabled: boolean;
  errorCode: number; // 0 = applied
  errorMessages: string[];
}

/** One changed cell inside a Monitor Event, as far as the payload says. */
export interface GeoEventChange {
  /** ISO code when the payload or a name lookup yields one, else the raw key Twilio used. */
  country: string;
  /** e.g. "low_risk_numbers_enabled" for voice, "enabled" for messaging; null when not stated. */
  field: string | null;
  previous: string | null;
  updated: string | null;
}

export interface GeoEvent {
  sid: string;
  eventType: string; // (voice|sms)-geographic-permissions.(created|updated|deleted)
  eventDate: string; // ISO 8601
  actorSid: string | null;
  actorType: string | null; // user | account | twilio-admin
  source: string | null; // web | api | twilio
  sourceIpAddress: string | null;
  description: string | null;
  changes: GeoEventChange[];
}

/**
 * A sender as `why --from` names it: a phone number (E.164), an IncomingPhoneNumber SID (PN…) or a
 * Messaging Service SID (MG…). Twilio applies the geo permissions of the account that owns it.
 */
export type SenderRef =
  | { kind: 'phone-number'; e164: string }
  | { kind: 'phone-number-sid'; sid: string }
  | { kind: 'messaging-service'; sid: string };

/** A sender an account owns, as Twilio describes it; `accountSid` is Twilio's own `account_sid`. */
export interface OwnedSender {
  kind: 'phone-number' | 'messaging-service';
  sid: string;
  accountSid: string;
  friendlyName: string;
  /** The number in E.164; null for a Messaging Service. */
  phoneNumber: string | null;
  /** What the number can do (v2010 `capabilities`); null for a Messaging Service or when Twilio does not say. */
  capabilities: { voice: boolean; sms: boolean } | null;
  /** A Messaging Service's sender pool (its numbers, E.164); null for a phone number, or when not listed. */
  senders: string[] | null;
  /** Why a Messaging Service's sender pool was not listed (the service is still its owner's). */
  sendersError?: string;
}

/** Every Twilio call the engine makes for one account, acting strictly as that account. */
export interface AccountClient {
  readonly sid: string;
  fetchIdentity(): Promise<AccountIdentity>;
  listVoiceCountries(): Promise<LiveVoiceCountry[]>;
  /** null when the account is not a subaccount. */
  fetchVoiceInheritance(): Promise<boolean | null>;
  fetchMessaging(): Promise<LiveMessagingCountry[]>;
  /** One BulkCountryUpdates request; the caller batches. Answers Twilio's update_count. */
  bulkUpdateVoice(updates: readonly VoiceCountryUpdate[]): Promise<{ updateCount: number }>;
  setVoiceInheritance(inherit: boolean): Promise<void>;
  /** One PATCH; every per-country result is returned, failures included. */
  updateMessaging(updates: readonly MessagingUpdate[]): Promise<MessagingUpdateResult[]>;
  /** Geo-permission Monitor Events since `since`, oldest first. */
  listGeoEvents(since: Date): Promise<GeoEvent[]>;
  /**
   * Optional: the E.164 prefixes (with "+") Twilio counts as high-risk special for one country
   * (`GET voice/v1/DialingPermissions/Countries/{iso}/HighRiskSpecialPrefixes`). `why` uses it; without
   * it `why` says the prefix data is unavailable.
   */
  listHighRiskSpecialPrefixes?(iso: string): Promise<string[]>;
  /**
   * Optional: the subaccounts this account owns (`GET /2010-04-01/Accounts.json`), without the account
   * itself, of the given statuses (default `active`; each status is one filtered listing). `export` uses it to bootstrap a whole family from the main credentials;
   * optional because only that command needs it, and a client without it (a test double, another
   * adapter) still serves everything else; export then covers the credentials' account alone.
   */
  listSubaccounts?(options?: { statuses?: readonly string[] }): Promise<AccountIdentity[]>;
  /**
   * Optional: the sender when this account owns it, else null. A phone number is one
   * `IncomingPhoneNumbers.json?PhoneNumber=` list, a PN SID one `IncomingPhoneNumbers/{Sid}.json` fetch,
   * an MG SID one `messaging/v1/Services/{Sid}` fetch (Twilio's 404 for another account's, then its
   * `PhoneNumbers` list for the owner). `why --from` uses it; without it `why` says the account could
   * not be searched.
   */
  findSender?(sender: SenderRef): Promise<OwnedSender | null>;
}

export interface AccountTarget {
  sid: string;
  /** The parent's SID when the policy declares a subaccount (credentials are derived through it). */
  parentSid: string | null;
}

/** Builds clients that act as exactly the named account; never a parent acting on a subaccount's behalf. */
export interface TwilioGateway {
  forAccount(target: AccountTarget): Promise<AccountClient>;
}
