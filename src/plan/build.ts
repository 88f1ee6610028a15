import { countryInfo, isConsoleOnlyMessaging, isUnsupportedDestination } from '../catalog/index.js';
import type { DesiredAccount, DesiredState, Grant, GrantSet, VoiceCategory } from '../model/desired.js';
import { VOICE_CATEGORIES } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostics.js';
import type {
  LiveAccount,
  LiveMessagingCountry,
  LiveRead,
  LiveVoiceCountry,
  VoiceFlags,
} from '../model/live.js';
import type {
  AccountPlan,
  CellCategory,
  CellChange,
  Plan,
  PlanSummary,
  RiskTier,
  UnknownCountry,
} from '../model/plan.js';
import { fingerprintChanges } from './fingerprint.js';

/** Where a person changes a Console-only messaging permission. */
export const MESSAGING_CONSOLE_PATH = 'Console > Messaging > Settings > Geo permissions';

export const RISK_ORDER: readonly RiskTier[] = ['critical', 'high', 'medium', 'low'];
export const CATEGORY_ORDER: readonly CellCategory[] = [
  'voice.inherit',
  'voice.high_risk_tollfraud',
  'voice.high_risk_special',
  'voice.low_risk',
  'messaging',
];

/** Risk first (critical on top), then category, account and country: the order every report shows. */
export function compareChanges(a: CellChange, b: CellChange): number {
  return (
    RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) ||
    a.account.localeCompare(b.account) ||
    CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
    (a.country ?? '').localeCompare(b.country ?? '')
  );
}

const voiceCell = (category: VoiceCategory): CellCategory => `voice.${category}`;

/** Effective voice permissions an account would have: the flags of every country that has one on. */
type VoiceView = Readonly<Record<string, VoiceFlags>>;

function liveVoiceView(live: LiveAccount): VoiceView {
  return live.voice;
}

function desiredVoiceView(account: DesiredAccount, countries: readonly string[]): VoiceView | null {
  if (account.voice.inherit) return null;
  const view: Record<string, VoiceFlags> = {};
  for (const iso of countries) {
    view[iso] = {
      low_risk: iso in account.voice.low_risk,
      high_risk_special: iso in account.voice.high_risk_special,
      high_risk_tollfraud: iso in account.voice.high_risk_tollfraud,
    };
  }
  return view;
}

/** The tier of what moving from `before` to `after` newly enables; null views mean unknown (assume high). */
function wideningRisk(before: VoiceView | null, after: VoiceView | null): RiskTier {
  if (!before || !after) return 'high';
  let risk: RiskTier = 'low';
  for (const [iso, flags] of Object.entries(after)) {
    const old = before[iso];
    if (flags.high_risk_tollfraud && !old?.high_risk_tollfraud) return 'critical';
    if (flags.high_risk_special && !old?.high_risk_special) risk = 'high';
    if (flags.low_risk && !old?.low_risk && risk === 'low') risk = 'medium';
  }
  return risk;
}

/** Voice cells on in `before` and off in `after`; nothing when `after` is unknown (the guards cannot tell). */
function narrowing(
  before: VoiceView,
  after: VoiceView | null,
): Array<{ category: CellCategory; country: string }> {
  if (!after) return [];
  return Object.keys(before)
    .sort()
    .flatMap((iso) =>
      VOICE_CATEGORIES.filter((category) => before[iso]?.[category] && !after[iso]?.[category]).map(
        (category) => ({ category: voiceCell(category), country: iso }),
      ),
    );
}

function enableRisk(category: CellCategory, grant: Grant | undefined): RiskTier {
  if (category === 'voice.high_risk_tollfraud') return 'critical';
  if (category === 'voice.high_risk_special') return 'high';
  // A continent written in the policy enables dozens of countries at once.
  if (grant?.via.some((step) => step.startsWith('continent:'))) return 'high';
  return 'medium';
}

interface AccountContext {
  account: DesiredAccount;
  live: LiveAccount;
  /** The parent's desired account and live state, for the risk of an inheritance flip. */
  parent: { desired: DesiredAccount | null; live: LiveAccount | null };
}

/** What one account's diff collects; each list keeps the order it is found in. */
interface AccountDiff {
  changes: CellChange[];
  unknown: UnknownCountry[];
  warnings: Diagnostic[];
}

/** An account's voice when it declares its own lists (inherit: false). */
type OwnVoice = Extract<DesiredAccount['voice'], { inherit: false }>;

/** The diff of one account, also used by apply when it re-reads an account right before writing. */
export function diffAccount(ctx: AccountContext): {
  changes: CellChange[];
  unknown: UnknownCountry[];
  warnings: Diagnostic[];
} {
  const diff: AccountDiff = { changes: [], unknown: [], warnings: [] };
  const voice = ctx.account.voice;
  if (voice.inherit) diffInheritingVoice(ctx, diff);
  else diffOwnVoice(ctx, voice, diff);
  diffMessaging(ctx, diff);
  diff.changes.sort(compareChanges);
  return diff;
}

/** The cell fields that differ from one change to the next; the rest comes from the account. */
type CellDelta = Pick<CellChange, 'category' | 'country' | 'from' | 'to' | 'risk' | 'source'>;

/** A write of one cell, its country named from the catalog, or from Twilio's listing for a code the catalog lacks. */
function cellChange({ account, live }: AccountContext, delta: CellDelta): CellChange {
  const { country } = delta;
  const info = country ? countryInfo(country) : undefined;
  const listed = country ? live.voice[country] : undefined;
  return {
    account: account.name,
    sid: account.sid,
    category: delta.category,
    country,
    from: delta.from,
    to: delta.to,
    risk: delta.risk,
    countryName: info?.name ?? listed?.name ?? null,
    continent: info?.continent ?? listed?.continent ?? null,
    kind: 'write',
    manual: null,
    source: delta.source,
  };
}

/** A country Twilio lists for the account that the catalog does not know. */
function unknownCountry(
  account: DesiredAccount,
  category: CellCategory,
  country: string,
  name: string | null,
  enabledLive: boolean,
): UnknownCountry {
  return { account: account.name, sid: account.sid, category, country, name, enabledLive };
}

/** One warning per country a list allows that Twilio does not list for the account (nothing can be written). */
function notListedWarnings(
  account: DesiredAccount,
  list: string,
  grants: GrantSet,
  listed: Readonly<Record<string, unknown>>,
): Diagnostic[] {
  return Object.entries(grants)
    .filter(([iso]) => !(iso in listed))
    .map(([iso, grant]) => ({
      severity: 'warning',
      location: grant.location,
      message: `${account.name}: ${list} allows ${iso}, but Twilio does not list ${iso} for this account; nothing can be written for it`,
    }));
}

/** voice.inherit: true. A subaccount with its own lists joins its parent's; a parent account cannot inherit. */
function diffInheritingVoice(ctx: AccountContext, diff: AccountDiff): void {
  const { account, live } = ctx;
  if (live.voiceInheritance === false) {
    diff.changes.push(joinInheritance(ctx));
  } else if (live.voiceInheritance === null) {
    diff.warnings.push({
      severity: 'warning',
      location: account.voice.location,
      message: `${account.name}: voice.inherit is true, but Twilio reports no inheritance setting (not a subaccount); its voice permissions are not managed`,
    });
  }
}

/** The false -> true inheritance flip, rated by what the parent's desired lists would newly enable. */
function joinInheritance(ctx: AccountContext): CellChange {
  const { live, parent } = ctx;
  const parentView = parent.desired
    ? desiredVoiceView(parent.desired, Object.keys(parent.live?.voice ?? live.voice))
    : null;
  const join = cellChange(ctx, {
    category: 'voice.inherit',
    country: null,
    from: false,
    to: true,
    risk: wideningRisk(liveVoiceView(live), parentView),
    source: ctx.account.voice.location,
  });
  const disables = narrowing(liveVoiceView(live), parentView);
  if (disables.length > 0) join.inheritDisables = disables;
  return join;
}

/** The true -> false inheritance flip, rated by what the account's own lists enable beyond its parent's. */
function leaveInheritance(ctx: AccountContext, countries: readonly string[]): CellChange {
  const before = ctx.parent.live ? liveVoiceView(ctx.parent.live) : null;
  return cellChange(ctx, {
    category: 'voice.inherit',
    country: null,
    from: true,
    to: false,
    risk: wideningRisk(before, desiredVoiceView(ctx.account, countries)),
    source: ctx.account.voice.location,
  });
}

/** The account's own voice lists against every country Twilio lists for it, in code order. */
function diffOwnVoice(ctx: AccountContext, voice: OwnVoice, diff: AccountDiff): void {
  const { account, live } = ctx;
  const countries = Object.keys(live.voice).sort();
  if (live.voiceInheritance === true) diff.changes.push(leaveInheritance(ctx, countries));
  for (const iso of countries) {
    const flags = live.voice[iso] as LiveVoiceCountry;
    if (!countryInfo(iso)) diff.unknown.push(unknownVoiceCountry(account, iso, flags));
    diff.changes.push(...voiceCellChanges(ctx, voice, iso, flags));
  }
  for (const category of VOICE_CATEGORIES)
    diff.warnings.push(...notListedWarnings(account, `voice.${category}`, voice[category], live.voice));
}

/** An unknown voice country, filed under the riskiest category it has on (low_risk when none). */
function unknownVoiceCountry(account: DesiredAccount, iso: string, flags: LiveVoiceCountry): UnknownCountry {
  const on = VOICE_CATEGORIES.filter((c) => flags[c]);
  return unknownCountry(
    account,
    voiceCell(on[on.length - 1] ?? 'low_risk'),
    iso,
    flags.name ?? null,
    on.length > 0,
  );
}

/** The voice cells of one country whose live flag differs from what the lists want. */
function voiceCellChanges(
  ctx: AccountContext,
  voice: OwnVoice,
  iso: string,
  flags: VoiceFlags,
): CellChange[] {
  return VOICE_CATEGORIES.flatMap((category) => {
    const grant = voice[category][iso];
    const want = grant !== undefined;
    if (want === flags[category]) return [];
    const cell = voiceCell(category);
    return [
      cellChange(ctx, {
        category: cell,
        country: iso,
        from: flags[category],
        to: want,
        risk: want ? enableRisk(cell, grant) : 'low',
        source: grant?.location ?? voice.location,
      }),
    ];
  });
}

/** The messaging list against every country Twilio lists for the account, in code order. */
function diffMessaging(ctx: AccountContext, diff: AccountDiff): void {
  const { account, live } = ctx;
  for (const iso of Object.keys(live.messaging).sort()) {
    const cell = live.messaging[iso];
    if (!cell) continue;
    if (!countryInfo(iso)) diff.unknown.push(unknownCountry(account, 'messaging', iso, null, cell.enabled));
    const change = messagingChange(ctx, iso, cell);
    if (change) diff.changes.push(change);
  }
  diff.warnings.push(...notListedWarnings(account, 'messaging', account.messaging, live.messaging));
}

/** The messaging cell of one country when it differs; Console-only countries become manual steps. */
function messagingChange(ctx: AccountContext, iso: string, cell: LiveMessagingCountry): CellChange | null {
  const grant = ctx.account.messaging[iso];
  const want = grant !== undefined;
  if (want === cell.enabled) return null;
  const change = cellChange(ctx, {
    category: 'messaging',
    country: iso,
    from: cell.enabled,
    to: want,
    risk: want ? enableRisk('messaging', grant) : 'low',
    source: grant?.location ?? ctx.account.location,
  });
  const manual = manualStep(iso, cell);
  if (manual) {
    change.kind = 'manual';
    change.manual = manual;
  }
  return change;
}

/** Why a person must make this messaging change in the Console, or null when the API can. */
function manualStep(iso: string, cell: LiveMessagingCountry): CellChange['manual'] {
  if (isUnsupportedDestination(iso)) {
    return {
      reason: 'Twilio does not support messaging to this country; the API ignores updates',
      consolePath: MESSAGING_CONSOLE_PATH,
    };
  }
  if (isConsoleOnlyMessaging(iso) || /high risk/i.test(cell.message ?? '')) {
    return {
      reason: 'high-risk messaging country: Twilio only accepts this change in the Console (error 30649)',
      consolePath: MESSAGING_CONSOLE_PATH,
    };
  }
  return null;
}

export function summarize(accounts: readonly AccountPlan[]): PlanSummary {
  const all = accounts.flatMap((a) => a.changes);
  const byRisk: Record<RiskTier, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const c of all) byRisk[c.risk]++;
  return {
    accounts: accounts.length,
    accountsWithChanges: accounts.filter((a) => a.changes.length > 0).length,
    changes: all.length,
    writes: all.filter((c) => c.kind === 'write').length,
    manual: all.filter((c) => c.kind === 'manual').length,
    byRisk,
    unknown: accounts.reduce((n, a) => n + a.unknown.length, 0),
    errors: accounts.filter((a) => a.error !== null).length,
  };
}

/** Live state vs policy: per account, every cell that differs, with its risk tier. Pure. */
export function buildPlan(desired: DesiredState, live: LiveRead): Plan {
  const byName = new Map(desired.accounts.map((a) => [a.name, a]));
  const warnings: Diagnostic[] = [...desired.warnings];
  const accounts: AccountPlan[] = desired.accounts.map((account) => {
    const liveAccount = live.accounts[account.sid];
    const header = { account: account.name, sid: account.sid, parent: account.parent };
    if (!liveAccount) {
      const error = live.errors.find((e) => e.sid === account.sid)?.message ?? 'the account was not read';
      return { ...header, type: null, changes: [], unknown: [], error };
    }
    const parentDesired = account.parent ? (byName.get(account.parent) ?? null) : null;
    const diff = diffAccount({
      account,
      live: liveAccount,
      parent: {
        desired: parentDesired,
        live: account.parentSid ? (live.accounts[account.parentSid] ?? null) : null,
      },
    });
    warnings.push(...diff.warnings);
    return {
      ...header,
      type: liveAccount.identity.type,
      changes: diff.changes,
      unknown: diff.unknown,
      error: null,
    };
  });
  return {
    schemaVersion: 1,
    policyFile: desired.file,
    fingerprint: fingerprintChanges(accounts.flatMap((a) => a.changes)),
    summary: summarize(accounts),
    accounts,
    expiring: desired.expiring,
    warnings,
  };
}
