import type { Diagnostic, SourceLocation } from './diagnostics.js';

/** The three voice dialing permission categories, in the order Twilio lists them. */
export const VOICE_CATEGORIES = ['low_risk', 'high_risk_special', 'high_risk_tollfraud'] as const;
export type VoiceCategory = (typeof VOICE_CATEGORIES)[number];

/** A time-boxed entry: it counts until the end of `expires` (UTC). */
export interface ExceptionInfo {
  expires: string; // YYYY-MM-DD
  reason: string | null;
  ticket: string | null;
}

/** Why one country is allowed in one list: the policy node that granted it and the path it came through. */
export interface Grant {
  country: string;
  location: SourceLocation;
  /** How the entry reached the list, outermost first, e.g. ["defaults.voice.low_risk", "group:core"]. */
  via: string[];
  exception: ExceptionInfo | null;
}

/** Allowed countries of one list, keyed by ISO code. Countries absent are disabled (allow-list). */
export type GrantSet = Readonly<Record<string, Grant>>;

export type DesiredVoice =
  | { inherit: true; location: SourceLocation }
  | ({ inherit: false; location: SourceLocation } & Record<VoiceCategory, GrantSet>);

export interface DesiredAccount {
  /** The key under `accounts:` in the policy. */
  name: string;
  sid: string;
  /** Name of the parent account when this is a subaccount. */
  parent: string | null;
  parentSid: string | null;
  location: SourceLocation;
  /** For a parent account `inherit` is always false and is never written (Settings is per subaccount). */
  voice: DesiredVoice;
  messaging: GrantSet;
  /** Only on a subaccount a `fleets:` template governs (its name is then the friendly name, unique). */
  fleet?: FleetMembership;
}

export interface Guards {
  /** Cells changed per apply before it refuses without an override; null = no limit. */
  maxChanges: number | null;
  maxChangesLocation: SourceLocation | null;
  /** Countries no policy edit may switch off, in any category they are enabled live. */
  neverDisable: Readonly<Record<string, SourceLocation>>;
  /** Countries no account may have open in any category: an allow-list naming one is invalid; open live is critical drift. */
  neverEnable: Readonly<Record<string, SourceLocation>>;
  /** Countries whose high-risk voice enables the policy acknowledges (reviewed with it), so the high-risk guard passes them. */
  allowHighRisk: Readonly<Record<string, SourceLocation>>;
}

/**
 * A time-boxed exception of the policy: every one, in effect (with its days left) or expired (then it is
 * not in any GrantSet). Reports filter them by `daysLeft` against the policy's warning horizon.
 */
export interface ExpiringException {
  /** The account's name, or `fleets.NAME` for an exception of a template's profile. */
  account: string;
  /** Only on an exception of a `fleets:` template's profile: the template (it applies to each member). */
  fleet?: string;
  list: string; // e.g. "voice.low_risk" or "messaging"
  country: string;
  expires: string;
  daysLeft: number; // negative when expired
  reason: string | null;
  ticket: string | null;
  location: SourceLocation;
}

/**
 * What the policy says about time-boxed exceptions: `expired:` (`enforce`, the default: the scheduled
 * drift run disables each cell only an expired exception opened; `report`: drift reports it and leaves
 * it open) and `expiry_warning_days:` (the horizon within which an exception is listed as expiring soon).
 */
export interface ExpiryRule {
  expired: 'enforce' | 'report';
  warningDays: number;
  /** Where `expired:` is written; null when absent (the default). */
  location: SourceLocation | null;
}

/** The whole policy, normalized: one desired state per account. */
export interface DesiredState {
  file: string;
  accounts: DesiredAccount[];
  guards: Guards;
  /** Every time-boxed exception, in effect or expired, in policy order. */
  expiring: ExpiringException[];
  /** The policy's `expired:` and `expiry_warning_days:`, defaults filled in. */
  expiry: ExpiryRule;
  /** Warnings found while normalizing (expired exceptions treated as absent, console-only countries, ...). */
  warnings: Diagnostic[];
  /** The `fleets:` templates; absent or empty when the policy has none. */
  fleets?: FleetTemplate[];
  /** The `unmanaged:` rule; absent means `report`. */
  unmanaged?: UnmanagedRule;
  /** Only on a sharded run's desired state, narrowed to one shard (plan/shard.ts). */
  shard?: DesiredShard;
}

/** Shard `index` (1-based) of `count`, as written `--shard 2/4` or the action's `shard: 2/4`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * What a sharded run knows of the accounts other shards govern: the subaccounts of this shard's parents
 * that keep their own voice lists (`inherit: false`). One of them that still inherits would take on the
 * parent's voice enables, so a sharded apply checks them before those (apply/shard-followers.ts).
 */
export interface DesiredShard {
  shard: Shard;
  elsewhere: Array<{ account: DesiredAccount; shard: number }>;
}

/**
 * A `fleets:` template: one profile for many subaccounts of one parent, chosen by friendly name once the
 * parent's subaccounts are listed (plan/fleet.ts). Explicit `accounts:` entries win over it.
 */
export interface FleetTemplate {
  /** The key under `fleets:`. */
  name: string;
  parent: string;
  parentSid: string;
  /** Friendly-name globs (`*`, `?`, case-insensitive); null = every subaccount of the parent. */
  match: string[] | null;
  /** Friendly-name globs or subaccount SIDs the template leaves out. */
  except: string[];
  location: SourceLocation;
  voice: DesiredVoice;
  messaging: GrantSet;
}

/**
 * What subaccounts no account or template covers get: `report` (default: listed with their exposure,
 * counted as drift, never written), `ignore`, or `enforce` (the named template's profile, under the guards).
 */
export interface UnmanagedRule {
  mode: 'report' | 'ignore' | 'enforce';
  /** The template `enforce` applies; null otherwise. */
  fleet: string | null;
  location: SourceLocation | null;
}

/** Added by plan/fleet.ts on accounts a template governs: the template and the subaccount's friendly name. */
export interface FleetMembership {
  fleet: string;
  friendlyName: string;
  /** True when the subaccount is covered by `unmanaged: {enforce: ...}` rather than by the template's match. */
  enforced: boolean;
}
