import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { ExpiringException, ExpiryRule } from './desired.js';
import type { AccountType, InactiveStatus, VoiceFlags } from './live.js';
import type { GeoEvent } from './twilio-port.js';

/** A permission cell family. `voice.inherit` has no country. */
export type CellCategory =
  'voice.low_risk' | 'voice.high_risk_special' | 'voice.high_risk_tollfraud' | 'voice.inherit' | 'messaging';

/** The per-country voice cells (every voice category but inheritance). */
export type VoiceCellCategory = Exclude<CellCategory, 'voice.inherit' | 'messaging'>;

/** Each per-country voice cell and the flag of Twilio's voice country it is. */
export const VOICE_FLAG: Readonly<Record<VoiceCellCategory, keyof VoiceFlags>> = {
  'voice.low_risk': 'low_risk',
  'voice.high_risk_special': 'high_risk_special',
  'voice.high_risk_tollfraud': 'high_risk_tollfraud',
};

export const isVoiceFlag = (category: CellCategory): category is VoiceCellCategory => category in VOICE_FLAG;

/**
 * The risk of what a change exposes (plan/exposure.ts decides it): opening toll-fraud is critical; opening
 * high-risk special, a whole continent at once, or a `never_enable` country is high (critical for
 * never_enable in drift); opening low-risk voice or messaging is medium; closing is low unless it closes a
 * `never_disable` country or an account's last route (then high, and `note` says which).
 */
export type RiskTier = 'critical' | 'high' | 'medium' | 'low';

/**
 * `opens`: the cell goes more open than it is (plan), or is live more open than the policy (drift, where
 * the cell's `from` is the live value). `closes`: the reverse; in drift that is service impact.
 */
export type Direction = 'opens' | 'closes';

/** Why a cell's risk is not the one its category and direction alone give. */
export type RiskNote =
  /** Opened through a `continent:` entry: dozens of countries at once. */
  | 'continent'
  /** Open live in a country `guards.never_enable` forbids (drift). */
  | 'never_enable'
  /** Closes a country `guards.never_disable` protects. */
  | 'never_disable'
  /** Closes the account's last enabled voice (or messaging) country: it can call (or text) nowhere after. */
  | 'last_route'
  /** An inheritance flip whose other side (the parent's lists) could not be read: assumed high. */
  | 'unknown_parent';

/** What a change exposes: its direction, its risk, and why when the category alone does not say. */
export interface Exposure {
  direction: Direction;
  risk: RiskTier;
  note: RiskNote | null;
  /**
   * Only on a high-risk voice opening the policy itself acknowledges (so the high-risk guard passes it):
   * "exception ticket OPS-42" or "guards.allow_high_risk (line 9)".
   */
  acknowledged?: string;
}

/**
 * One effective voice cell an inheritance flip changes: a subaccount's effective voice cells are its own
 * lists or its parent's. `from` and `to` are the effective values before and after (in drift: live and
 * policy, as on the cell itself).
 */
export interface EffectiveCell extends Exposure {
  category: VoiceCellCategory;
  country: string;
  countryName: string | null;
  continent: string | null;
  from: boolean;
  to: boolean;
}

export interface CellRef {
  account: string; // policy name
  sid: string;
  category: CellCategory;
  country: string | null; // null only for voice.inherit
}

export interface CellChange extends CellRef, Exposure {
  from: boolean;
  to: boolean;
  countryName: string | null;
  continent: string | null;
  /** write: the tool changes it; manual: Console-only (messaging high-risk), a person must do it. */
  kind: 'write' | 'manual';
  manual: { reason: string; consolePath: string } | null;
  /** The policy line that wants `to` (the grant), or the account/list node for a disable. */
  source: SourceLocation | null;
  /**
   * Only on `voice.inherit`: the effective voice cells the flip opens and closes, each with its exposure;
   * null when the parent's lists are unknown. On a join (false -> true) the plan has no per-country cell
   * for them, so these are the only record of what it changes; on a leave (true -> false) they are the
   * same cells as the account's per-country voice changes (an inheriting subaccount's lists read as its
   * parent's), so counts take them once.
   */
  effective?: EffectiveCell[] | null;
  /**
   * Only on a `voice.inherit` join, when not empty: the voice cells it switches off (`effective` cells
   * that close). Kept for readers of schema version 1.
   */
  inheritDisables?: Array<{ category: CellCategory; country: string }>;
}

/** A country Twilio lists that the catalog or the policy does not know: denied by the allow-list, a decision to take. */
export interface UnknownCountry {
  account: string;
  sid: string;
  category: CellCategory;
  country: string;
  name: string | null;
  enabledLive: boolean;
}

export interface AccountPlan {
  account: string;
  sid: string;
  parent: string | null;
  type: AccountType | null;
  changes: CellChange[];
  unknown: UnknownCountry[];
  /** Set when the account could not be read; the plan for it is then incomplete. */
  error: string | null;
  /** Only when Twilio reports the account suspended or closed (then `error` says so): nothing is written there. */
  status?: InactiveStatus;
  /** Only on a subaccount a `fleets:` template governs: the template (`account` is its friendly name). */
  fleet?: string;
}

/** A discovered subaccount no `accounts:` entry or template covers (plan/fleet.ts). */
export interface UnmanagedTarget {
  /** Its friendly name (with its SID when another account has the same name). */
  friendlyName: string;
  sid: string;
  parent: string;
  parentSid: string;
}

/** An unmanaged subaccount as plan and drift report it: never written, counted as drift. */
export interface UnmanagedAccount extends UnmanagedTarget {
  /** What it has open, framed as drift against a policy that allows nothing: critical first. */
  open: CellChange[];
  exposure: ExposureCounts;
  /** Why it was not read; `open` is then empty. */
  error: string | null;
}

/** A subaccount two templates match: an error naming both, and neither profile is applied. */
export interface FleetConflict {
  friendlyName: string;
  sid: string;
  parent: string;
  fleets: string[];
}

/** Subaccount discovery and templates, on a plan whose policy declares a parent (additive). */
export interface PlanFleet {
  /** Each parent whose subaccounts were listed: how many (active and suspended), or why not. */
  parents: Array<{
    parent: string;
    sid: string;
    subaccounts: number | null;
    error: string | null;
    /** Twilio refused the listing (401/403, e.g. a Standard API key); any other failure leaves drift incomplete. */
    refused?: boolean;
  }>;
  /**
   * Each template and the subaccounts it governs (by the plan's account names); in a sharded plan,
   * `members` are this shard's and `allMembers` the whole fleet's.
   */
  templates: Array<{ name: string; parent: string; members: number; allMembers?: number }>;
  /** The policy's `unmanaged:` rule. */
  unmanagedRule: 'report' | 'ignore' | 'enforce';
  /** Active subaccounts covered by nothing, riskiest first; empty under `unmanaged: ignore`. */
  unmanaged: UnmanagedAccount[];
  /**
   * Suspended subaccounts not in `accounts:`: reported, never read or written, not drift (Twilio refuses
   * every request of a suspended account); `fleet` is the template that would govern it, or null.
   */
  suspended: Array<{ friendlyName: string; sid: string; parent: string; fleet: string | null }>;
  conflicts: FleetConflict[];
  /** Present in a sharded plan: which shard, and how much of the fleet it covers. */
  shard?: PlanShard;
}

/**
 * The part of the fleet one shard plans and reports (`--shard I/N`, the action's `shard: I/N`); the other
 * shards' jobs cover the rest, each account in exactly one of them.
 */
export interface PlanShard {
  /** "I/N". */
  shard: string;
  /** Accounts this shard plans (the policy's and template members), and how many the whole fleet has. */
  accounts: number;
  allAccounts: number;
  /** Unmanaged subaccounts this shard reports, and how many the whole fleet has. */
  unmanaged: number;
  allUnmanaged: number;
}

/**
 * Exposure counts over effective cells: every per-country cell once, and each inheritance join as the
 * cells it opens and closes (a leave's cells are already per-country cells; a flip whose parent is
 * unknown counts as one cell).
 */
export interface ExposureCounts {
  opens: number;
  closes: number;
  byRisk: Record<RiskTier, number>;
  /** Opening cells by risk, the first thing every report states. */
  opensByRisk: Record<RiskTier, number>;
}

export interface PlanSummary extends ExposureCounts {
  accounts: number;
  accountsWithChanges: number;
  changes: number; // writes + manual
  writes: number;
  manual: number;
  unknown: number;
  errors: number;
}

export interface Plan {
  schemaVersion: 1;
  policyFile: string;
  /** sha256 over the normalized change set; stable under reordering. */
  fingerprint: string;
  summary: PlanSummary;
  accounts: AccountPlan[];
  /** Every time-boxed exception of the policy, with its days left (reports filter by the horizon). */
  expiring: ExpiringException[];
  /** The policy's `expired:` and `expiry_warning_days:`; absent on a plan built by hand (the defaults). */
  expiry?: Pick<ExpiryRule, 'expired' | 'warningDays'>;
  warnings: Diagnostic[];
  /** Present when the policy declares a parent: its discovered subaccounts, templates and unmanaged ones. */
  fleet?: PlanFleet;
}

export type CellOutcome = 'verified' | 'failed' | 'manual' | 'skipped';

export interface CellResult extends CellChange {
  outcome: CellOutcome;
  /** Twilio's error code and message when a write failed, or why a cell was skipped or not verified. */
  errorCode: number | null;
  detail: string | null;
}

export interface ApplyResult {
  schemaVersion: 1;
  policyFile: string;
  fingerprint: string;
  ok: boolean;
  cells: CellResult[];
  summary: Record<CellOutcome, number>;
  /** Account-level failures (credentials, identity check, read errors). */
  accountErrors: Array<{ account: string; sid: string; message: string }>;
  writeRequests: number;
  /**
   * Present (true) only when the run was cancelled (SIGINT/SIGTERM): accounts not started are skipped,
   * `ok` is false. Absent otherwise, so a report of a run that was not cancelled is unchanged.
   */
  cancelled?: true;
}

/**
 * One drifted cell and, when the Monitor Events retention allows, who changed it. `from` is the live value
 * and `to` the policy's; its exposure (and its `effective` cells') is framed from the live side: `opens`
 * when live is wider than the policy, with the risk of what is open.
 */
export interface DriftItem extends CellChange {
  attribution: GeoEvent | null;
  /**
   * Why `attribution` could not be looked for: its account's Monitor Events could not be read (the
   * HTTP status and Twilio's error). null when they were read, so a null `attribution` then means no
   * event in the lookback window set the live value.
   */
  attributionUnavailable: string | null;
}

/** Whether one drifted account's Monitor Events were read, so its cells could be attributed. */
export interface AccountAttribution {
  account: string;
  sid: string;
  available: boolean;
  /** Why not, when not available: the HTTP status and Twilio's error code and message, never a credential. */
  reason: string | null;
}

/** The Monitor Events read for drift attribution: what frameDrift attributes the drifted cells from. */
export interface DriftEvents {
  /** The events of each drifted account whose events were read. */
  bySid: Readonly<Record<string, readonly GeoEvent[]>>;
  /** The drifted accounts whose events could not be read; `reason` is short enough for a report cell. */
  errors: ReadonlyArray<{ account: string; sid: string; message: string; reason: string }>;
  /** How far back the events were searched. */
  lookbackDays: number;
}

/**
 * A cell open live only because an expired exception once granted it: live on, the policy off, and an
 * expired exception of that account (or of the template that governs it) for that list and country
 * (plan/expired.ts). It is the plan's disable of the cell (from on to off), with the exposure of a close.
 */
export interface ExpiredCell extends CellChange {
  /** The expired exception (the one that ran out last, when several name the cell). */
  exception: ExpiringException;
  /**
   * The subaccounts this run read that follow the account's voice lists live (inheritance on): closing a
   * parent's voice cell closes it for them too. Empty for messaging (never inherited) and subaccounts.
   */
  inheritedBy: Array<{ account: string; sid: string }>;
  /**
   * Only when some are: the subaccounts whose own policy (voice.inherit: false) grants the cell while
   * they follow the account's voice lists live, or could not be read to tell. Closing the parent's cell
   * would close theirs, so it is left open (`reported`) until they leave inheritance.
   */
  neededBy?: Array<{ account: string; sid: string }>;
}

/**
 * What became of an expired cell on a drift run:
 * - `disabled`: written off and read back: no longer drift;
 * - `failed`: the write or its read-back failed (`detail`, `errorCode` say why): still drift;
 * - `protected`: guards.never_disable protects the country: reported, not disabled;
 * - `manual`: Twilio accepts the change only in the Console (messaging, error 30649): a person disables it;
 * - `skipped`: the run was cancelled before its account started: still drift;
 * - `reported`: not closed by this run (`expired: report`, a run that does not write, or `neededBy`:
 *   `detail` says which).
 */
export type ExpiredOutcome = 'disabled' | 'failed' | 'protected' | 'manual' | 'skipped' | 'reported';

export interface ExpiredResult extends ExpiredCell {
  outcome: ExpiredOutcome;
  errorCode: number | null;
  detail: string | null;
}

/** The expired exceptions' open cells a drift run found, and what it did with each (DriftReport.expired). */
export interface ExpiryEnforcement {
  /** The policy's `expired:`. */
  mode: 'enforce' | 'report';
  cells: ExpiredResult[];
  /** Write requests sent to close them. */
  writeRequests: number;
  /** Accounts whose cells could not be written at all (credentials, identity), with why. */
  accountErrors: ApplyResult['accountErrors'];
  /** Present (true) only when the run was cancelled while closing them. */
  cancelled?: true;
}

/**
 * One time-boxed exception and whether its cell is open live (plan/exceptions.ts): the `exceptions`
 * command and the drift issue list these. A template's exception is one entry for all its members.
 */
export interface ExceptionStatus {
  exception: ExpiringException;
  /** The accounts it applies to: 1, or each member of its template. */
  accounts: number;
  /** How many of them have the cell on live (after what this run closed); null when live state was not read. */
  openLive: number | null;
  /** Accounts it applies to that could not be read (not counted in `openLive`). */
  unread: number;
  /** Expired, but another entry of the same list still grants the country: it stays open by the policy. */
  grantedOtherwise: boolean;
}

/** The `exceptions` command's report: every time-boxed exception of the policy, with its live state. */
export interface ExceptionReport {
  schemaVersion: 1;
  policyFile: string;
  /** The policy's `expiry_warning_days`. */
  warningDays: number;
  /** false for `--offline`: the policy alone, nothing read. */
  live: boolean;
  exceptions: ExceptionStatus[];
  /** Accounts that could not be read (their exceptions' `unread`). */
  errors: number;
}

export interface DriftReport {
  schemaVersion: 1;
  /**
   * The drifted cells counted from the live side: `opens` = live wider than the policy (exposure),
   * `closes` = live narrower (service impact).
   */
  exposure: ExposureCounts;
  policyFile: string;
  fingerprint: string;
  /** false when any account errored or was skipped: such a scan must never close a drift issue. */
  complete: boolean;
  /** How far back the Monitor Events were searched for attribution. */
  lookbackDays: number;
  /**
   * One-line notices for the reader (plan/retention.ts): the lookback exceeds what Twilio Monitor keeps.
   * frameDrift always sets it (so the JSON always has it); optional so hand-built reports need not.
   */
  notices?: string[];
  /** Each account with drift: whether its Monitor Events were read, and why not. */
  attributionByAccount: AccountAttribution[];
  items: DriftItem[];
  plan: Plan;
  /**
   * Only when some cell is open live only because an expired exception granted it: what the run did with
   * each (plan/expired.ts). A cell it disabled and read back is no longer among `items`.
   */
  expired?: ExpiryEnforcement;
  /**
   * Every time-boxed exception and whether it is open live, set by the front end (the action's drift
   * run, the CLI's drift); absent on a report framed alone (then the plan's `expiring` list is shown).
   */
  exceptions?: ExceptionStatus[];
}
