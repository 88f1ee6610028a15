/** What Twilio says about one account right now. Countries are keyed by the code Twilio returns. */

export interface VoiceFlags {
  low_risk: boolean;
  high_risk_special: boolean;
  high_risk_tollfraud: boolean;
}

export interface LiveVoiceCountry extends VoiceFlags {
  iso: string;
  name: string;
  continent: string | null;
  callingCodes: string[];
}

export interface LiveMessagingCountry {
  iso: string;
  enabled: boolean;
  prefix: string | null;
  /** Twilio's `message` hint, e.g. "High Risk Country": such a country is Console-only. */
  message: string | null;
}

export type AccountType = 'Trial' | 'Full';

/** The Account resource's statuses under which Twilio refuses every request of the account. */
export type InactiveStatus = 'suspended' | 'closed';

export interface AccountIdentity {
  sid: string;
  friendlyName: string;
  /** null when the credentials cannot read the Account resource (a Standard or Restricted API key). */
  type: AccountType | null;
  /** Twilio's `status` (`active`, …); null as for `type`. */
  status: string | null;
  /** The parent; with a Standard or Restricted key, the one the policy names (Twilio cannot be asked). */
  ownerAccountSid: string | null;
}

export interface LiveAccount {
  identity: AccountIdentity;
  /** null for a parent account: the inheritance setting applies to subaccounts only. */
  voiceInheritance: boolean | null;
  voice: Readonly<Record<string, LiveVoiceCountry>>;
  messaging: Readonly<Record<string, LiveMessagingCountry>>;
}

/** Live state of every account the policy names, plus the accounts that could not be read. */
export interface LiveRead {
  accounts: Record<string /* sid */, LiveAccount>;
  errors: Array<{
    account: string;
    sid: string;
    message: string;
    /** Set when Twilio reports the account suspended or closed: it was neither read nor written. */
    status?: InactiveStatus;
  }>;
}

/** The statuses discovery lists (closed subaccounts are ignored: Twilio keeps them 30 days, then deletes them). */
export const DISCOVERED_STATUSES = ['active', 'suspended'] as const;

/** One parent's subaccounts as Twilio lists them, or why they could not be listed. */
export interface ParentDiscovery {
  parent: string; // policy name
  sid: string;
  /** Active and suspended subaccounts; null when the listing failed (`error` says why). */
  subaccounts: AccountIdentity[] | null;
  error: string | null;
  /**
   * True when Twilio refused the listing itself (401/403: credentials that may not list accounts, such as
   * Standard and Restricted API keys); false for any other failure (an outage, a timeout), which leaves
   * a drift scan incomplete.
   */
  refused?: boolean;
}

/** The subaccounts of every parent the policy declares, listed before the plan (live/discover.ts). */
export interface Discovery {
  parents: ParentDiscovery[];
}
