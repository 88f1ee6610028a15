import type { Diagnostic, SourceLocation } from './diagnostics.js';
import type { ExpiringException } from './desired.js';
import type { AccountType, VoiceFlags } from './live.js';
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

/** critical: enabling toll-fraud; high: enabling high-risk special or a whole continent; medium: other enables; low: disables. */
export type RiskTier = 'critical' | 'high' | 'medium' | 'low';

export interface CellRef {
  account: string; // policy name
  sid: string;
  category: CellCategory;
  country: string | null; // null only for voice.inherit
}

export interface CellChange extends CellRef {
  from: boolean;
  to: boolean;
  risk: RiskTier;
  countryName: string | null;
  continent: string | null;
  /** write: the tool changes it; manual: Console-only (messaging high-risk), a person must do it. */
  kind: 'write' | 'manual';
  manual: { reason: string; consolePath: string } | null;
  /** The policy line that wants `to` (the grant), or the account/list node for a disable. */
  source: SourceLocation | null;
  /**
   * Only on a `voice.inherit` join (false -> true), when not empty: the voice cells on in the subaccount's
   * own live lists that its parent's desired lists leave off. Joining switches them off, yet the plan has
   * no per-country cell for them (on leaving, the per-country cells already show what goes off).
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
}

export interface PlanSummary {
  accounts: number;
  accountsWithChanges: number;
  changes: number; // writes + manual
  writes: number;
  manual: number;
  byRisk: Record<RiskTier, number>;
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
  expiring: ExpiringException[];
  warnings: Diagnostic[];
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

/** One drifted cell and, when the Monitor Events retention allows, who changed it. */
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

export interface DriftReport {
  schemaVersion: 1;
  policyFile: string;
  fingerprint: string;
  /** false when any account errored or was skipped: such a scan must never close a drift issue. */
  complete: boolean;
  /** How far back the Monitor Events were searched for attribution. */
  lookbackDays: number;
  /** Each account with drift: whether its Monitor Events were read, and why not. */
  attributionByAccount: AccountAttribution[];
  items: DriftItem[];
  plan: Plan;
}
