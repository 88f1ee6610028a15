import {
  countryInfo,
  isConsoleOnlyMessaging,
  isUnsupportedDestination,
  voiceCountry,
} from '../catalog/index.js';
import type {
  DesiredAccount,
  DesiredState,
  Grant,
  GrantSet,
  Guards,
  VoiceCategory,
} from '../model/desired.js';
import { VOICE_CATEGORIES } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostics.js';
import { mergeDiagnostics } from '../model/diagnostics.js';
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
  EffectiveCell,
  Exposure,
  Plan,
  PlanSummary,
  UnknownCountry,
  VoiceCellCategory,
} from '../model/plan.js';
import { isVoiceFlag } from '../model/plan.js';
import {
  DIRECTION_ORDER,
  RISK_ORDER,
  cellExposure,
  countExposure,
  exposureUnits,
  flipExposure,
} from './exposure.js';
import { fingerprintChanges } from './fingerprint.js';

/** Where a person changes a Console-only messaging permission. */
export const MESSAGING_CONSOLE_PATH = 'Console > Messaging > Settings > Geo permissions';

export const CATEGORY_ORDER: readonly CellCategory[] = [
  'voice.inherit',
  'voice.high_risk_tollfraud',
  'voice.high_risk_special',
  'voice.low_risk',
  'messaging',
];

/** What opens first, then risk (critical on top), account, category and country: the order every report shows. */
export function compareChanges(a: CellChange, b: CellChange): number {
  return (
    DIRECTION_ORDER.indexOf(a.direction) - DIRECTION_ORDER.indexOf(b.direction) ||
    RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) ||
    a.account.localeCompare(b.account) ||
    CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
    (a.country ?? '').localeCompare(b.country ?? '')
  );
}

const voiceCell = (category: VoiceCategory): VoiceCellCategory => `voice.${category}`;

/** Effective voice permissions an account would have: the flags of every country that has one on. */
type VoiceView = Readonly<Record<string, VoiceFlags>>;

/** The grants behind a desired voice view, to tell what acknowledges a high-risk enable. */
type VoiceGrants = Readonly<Record<VoiceCategory, GrantSet>>;

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

const anyOn = (view: VoiceView): boolean =>
  Object.values(view).some((f) => f.low_risk || f.high_risk_special || f.high_risk_tollfraud);

const viaContinent = (grant: Grant | undefined): boolean =>
  grant?.via.some((step) => step.startsWith('continent:')) ?? false;

/**
 * What acknowledges a high-risk voice enable in the policy itself, so passing the high-risk guard is a
 * reviewed change: an exception entry with a ticket, or the country in guards.allow_high_risk.
 */
function acknowledgement(
  exposure: Exposure,
  category: CellCategory,
  grant: Grant | undefined,
  guards: PlanGuards,
): string | undefined {
  if (
    exposure.direction !== 'opens' ||
    (category !== 'voice.high_risk_tollfraud' && category !== 'voice.high_risk_special')
  )
    return undefined;
  // Only an exception written in the high-risk list itself: one reached through a group may have been
  // ticketed for another list.
  if (grant?.exception?.ticket && grant.via.length === 1) return `exception ticket ${grant.exception.ticket}`;
  const allowed = grant ? guards.allowHighRisk[grant.country] : undefined;
  return allowed ? `guards.allow_high_risk (line ${allowed.line})` : undefined;
}

/** The exposure of a voice or messaging cell the plan moves from `from` to `to`. */
function planExposure(
  category: Exclude<CellCategory, 'voice.inherit'>,
  country: string,
  to: boolean,
  grant: Grant | undefined,
  ctx: Context,
  lastRoute: boolean,
): Exposure & { acknowledged?: string } {
  const exposure = cellExposure(
    { category, country, opens: to, viaContinent: viaContinent(grant), lastRoute },
    ctx.guards,
  );
  const acknowledged = acknowledgement(exposure, category, grant, ctx.guards);
  return acknowledged ? { ...exposure, acknowledged } : exposure;
}

/**
 * The effective voice cells that differ between `before` and `after` (an inheritance flip), each with its
 * exposure; null when either side is unknown.
 */
function effectiveDiff(
  before: VoiceView | null,
  after: VoiceView | null,
  afterGrants: VoiceGrants | null,
  ctx: Context,
): EffectiveCell[] | null {
  if (!before || !after) return null;
  const lastRoute = !anyOn(after);
  const countries = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return countries.flatMap((iso) =>
    VOICE_CATEGORIES.flatMap((category): EffectiveCell[] => {
      const from = before[iso]?.[category] ?? false;
      const to = after[iso]?.[category] ?? false;
      if (from === to) return [];
      const cell = voiceCell(category);
      const info = voiceCountry(iso);
      const exposure = planExposure(cell, iso, to, afterGrants?.[category][iso], ctx, lastRoute);
      return [
        {
          category: cell,
          country: iso,
          countryName: info?.name ?? ctx.live.voice[iso]?.name ?? null,
          continent: info?.continent ?? ctx.live.voice[iso]?.continent ?? null,
          from,
          to,
          ...exposure,
        },
      ];
    }),
  );
}

/** The guard lists a plan's exposure reads. */
type PlanGuards = Pick<Guards, 'neverDisable' | 'neverEnable' | 'allowHighRisk'>;

const NO_GUARDS: PlanGuards = { neverDisable: {}, neverEnable: {}, allowHighRisk: {} };

interface AccountContext {
  account: DesiredAccount;
  live: LiveAccount;
  /** The parent's desired account and live state, for the effect of an inheritance flip. */
  parent: { desired: DesiredAccount | null; live: LiveAccount | null };
  /** The policy's guard lists, for the exposure notes; none when only the cells themselves matter (apply's re-reads). */
  guards?: PlanGuards;
}

/** An account context with its guards resolved. */
type Context = AccountContext & { guards: PlanGuards };

/** What one account's diff collects; each list keeps the order it is found in. */
interface AccountDiff {
  changes: CellChange[];
  unknown: UnknownCountry[];
  warnings: Diagnostic[];
}

/** An account's voice when it declares its own lists (inherit: false). */
type OwnVoice = Extract<DesiredAccount['voice'], { inherit: false }>;

/** The diff of one account, also used by apply when it re-reads an account right before writing. */
export function diffAccount(context: AccountContext): {
  changes: CellChange[];
  unknown: UnknownCountry[];
  warnings: Diagnostic[];
} {
  const ctx: Context = { ...context, guards: context.guards ?? NO_GUARDS };
  const diff: AccountDiff = { changes: [], unknown: [], warnings: [] };
  const voice = ctx.account.voice;
  if (voice.inherit) diffInheritingVoice(ctx, diff);
  else diffOwnVoice(ctx, voice, diff);
  diffMessaging(ctx, diff);
  diff.changes.sort(compareChanges);
  return diff;
}

/** The cell fields that differ from one change to the next; the rest comes from the account. */
type CellDelta = Pick<CellChange, 'category' | 'country' | 'from' | 'to' | 'source'> &
  Exposure & { acknowledged?: string };

/** A write of one cell, its country named from the catalog, or from Twilio's listing for a code the catalog lacks. */
function cellChange({ account, live }: Context, delta: CellDelta): CellChange {
  const { country } = delta;
  const info = country ? listedCountry(delta.category, country) : undefined;
  const listed = country ? live.voice[country] : undefined;
  return {
    account: account.name,
    sid: account.sid,
    category: delta.category,
    country,
    from: delta.from,
    to: delta.to,
    direction: delta.direction,
    risk: delta.risk,
    note: delta.note,
    ...(delta.acknowledged ? { acknowledged: delta.acknowledged } : {}),
    countryName: info?.name ?? listed?.name ?? null,
    continent: info?.continent ?? listed?.continent ?? null,
    kind: 'write',
    manual: null,
    source: delta.source,
  };
}

/** A cell's country as its product lists it: a voice US cell is "United States/Canada" (it opens Canada too). */
function listedCountry(category: CellCategory, iso: string) {
  return isVoiceFlag(category) ? voiceCountry(iso) : countryInfo(iso);
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
      accounts: [account.name],
      message: `${list} allows ${iso}, but Twilio does not list ${iso} for this account; nothing can be written for it`,
    }));
}

/** voice.inherit: true. A subaccount with its own lists joins its parent's; a parent account cannot inherit. */
function diffInheritingVoice(ctx: Context, diff: AccountDiff): void {
  const { account, live } = ctx;
  if (live.voiceInheritance === false) {
    diff.changes.push(joinInheritance(ctx));
  } else if (live.voiceInheritance === null) {
    diff.warnings.push({
      severity: 'warning',
      location: account.voice.location,
      accounts: [account.name],
      message: `voice.inherit is true, but Twilio reports no inheritance setting (not a subaccount); its voice permissions are not managed`,
    });
  }
}

/**
 * The false -> true inheritance flip: the effective cells go from the subaccount's own live lists to its
 * parent's desired lists (what the parent has once this plan is applied).
 */
function joinInheritance(ctx: Context): CellChange {
  const { live, parent } = ctx;
  const parentVoice = parent.desired && !parent.desired.voice.inherit ? parent.desired.voice : null;
  const parentView = parent.desired
    ? desiredVoiceView(parent.desired, Object.keys(parent.live?.voice ?? live.voice))
    : null;
  const effective = effectiveDiff(live.voice, parentView, parentVoice, ctx);
  const join = cellChange(ctx, {
    category: 'voice.inherit',
    country: null,
    from: false,
    to: true,
    ...flipExposure(effective),
    source: ctx.account.voice.location,
  });
  join.effective = effective;
  const disables = (effective ?? []).filter((c) => !c.to);
  if (disables.length > 0)
    join.inheritDisables = disables.map((c) => ({ category: c.category, country: c.country }));
  return join;
}

/**
 * The true -> false inheritance flip. An inheriting subaccount's lists read as its parent's, so the
 * account's per-country voice changes are exactly the effective cells it changes.
 */
function leaveInheritance(ctx: Context, perCountry: readonly CellChange[]): CellChange {
  const effective: EffectiveCell[] = perCountry
    .filter((c): c is CellChange & { category: VoiceCellCategory; country: string } =>
      isVoiceFlag(c.category),
    )
    .map((c) => ({
      category: c.category,
      country: c.country,
      countryName: c.countryName,
      continent: c.continent,
      from: c.from,
      to: c.to,
      direction: c.direction,
      risk: c.risk,
      note: c.note,
      ...(c.acknowledged ? { acknowledged: c.acknowledged } : {}),
    }));
  const leave = cellChange(ctx, {
    category: 'voice.inherit',
    country: null,
    from: true,
    to: false,
    ...flipExposure(effective),
    source: ctx.account.voice.location,
  });
  leave.effective = effective;
  return leave;
}

/** The account's own voice lists against every country Twilio lists for it, in code order. */
function diffOwnVoice(ctx: Context, voice: OwnVoice, diff: AccountDiff): void {
  const { account, live } = ctx;
  const countries = Object.keys(live.voice).sort();
  const lastRoute = !countries.some((iso) => VOICE_CATEGORIES.some((c) => iso in voice[c]));
  const perCountry: CellChange[] = [];
  for (const iso of countries) {
    const flags = live.voice[iso] as LiveVoiceCountry;
    if (!voiceCountry(iso)) diff.unknown.push(unknownVoiceCountry(account, iso, flags));
    voiceCellChanges(ctx, voice, iso, flags, lastRoute, perCountry);
  }
  if (live.voiceInheritance === true) diff.changes.push(leaveInheritance(ctx, perCountry));
  diff.changes.push(...perCountry);
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

/**
 * Adds to `into` the voice cells of one country whose live flag differs from what the lists want. Pushed
 * in place: this runs for every country of every account, several times per account in an apply.
 */
function voiceCellChanges(
  ctx: Context,
  voice: OwnVoice,
  iso: string,
  flags: VoiceFlags,
  lastRoute: boolean,
  into: CellChange[],
): void {
  for (const category of VOICE_CATEGORIES) {
    const grant = voice[category][iso];
    const want = grant !== undefined;
    if (want === flags[category]) continue;
    const cell = voiceCell(category);
    into.push(
      cellChange(ctx, {
        category: cell,
        country: iso,
        from: flags[category],
        to: want,
        ...planExposure(cell, iso, want, grant, ctx, lastRoute),
        source: grant?.location ?? voice.location,
      }),
    );
  }
}

/** The messaging list against every country Twilio lists for the account, in code order. */
function diffMessaging(ctx: Context, diff: AccountDiff): void {
  const { account, live } = ctx;
  const countries = Object.keys(live.messaging).sort();
  const lastRoute = !countries.some((iso) => iso in account.messaging);
  for (const iso of countries) {
    const cell = live.messaging[iso];
    if (!cell) continue;
    if (!countryInfo(iso)) diff.unknown.push(unknownCountry(account, 'messaging', iso, null, cell.enabled));
    const change = messagingChange(ctx, iso, cell, lastRoute);
    if (change) diff.changes.push(change);
  }
  diff.warnings.push(...notListedWarnings(account, 'messaging', account.messaging, live.messaging));
}

/** The messaging cell of one country when it differs; Console-only countries become manual steps. */
function messagingChange(
  ctx: Context,
  iso: string,
  cell: LiveMessagingCountry,
  lastRoute: boolean,
): CellChange | null {
  const grant = ctx.account.messaging[iso];
  const want = grant !== undefined;
  if (want === cell.enabled) return null;
  const change = cellChange(ctx, {
    category: 'messaging',
    country: iso,
    from: cell.enabled,
    to: want,
    ...planExposure('messaging', iso, want, grant, ctx, lastRoute),
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
  return {
    accounts: accounts.length,
    accountsWithChanges: accounts.filter((a) => a.changes.length > 0).length,
    changes: all.length,
    writes: all.filter((c) => c.kind === 'write').length,
    manual: all.filter((c) => c.kind === 'manual').length,
    ...countExposure(exposureUnits(all)),
    unknown: accounts.reduce((n, a) => n + a.unknown.length, 0),
    errors: accounts.filter((a) => a.error !== null).length,
  };
}

/** The policy's warnings a plan repeats: a Console-only notice only where a change needs that manual step. */
function planWarnings(warnings: readonly Diagnostic[], changes: readonly CellChange[]): Diagnostic[] {
  const manualAt = new Set(
    changes
      .filter((c) => c.kind === 'manual' && c.source)
      .map((c) => `${c.source?.file}:${c.source?.line}:${c.source?.column}`),
  );
  return warnings.filter(
    (w) =>
      w.code !== 'console-only' || manualAt.has(`${w.location.file}:${w.location.line}:${w.location.column}`),
  );
}

/** Live state vs policy: per account, every cell that differs, with its risk tier. Pure. */
export function buildPlan(desired: DesiredState, live: LiveRead): Plan {
  const byName = new Map(desired.accounts.map((a) => [a.name, a]));
  const warnings: Diagnostic[] = [];
  const accounts: AccountPlan[] = desired.accounts.map((account) => {
    const liveAccount = live.accounts[account.sid];
    const header = { account: account.name, sid: account.sid, parent: account.parent };
    if (!liveAccount) {
      const failure = live.errors.find((e) => e.sid === account.sid);
      const error = failure?.message ?? 'the account was not read';
      const status = failure?.status ? { status: failure.status } : {};
      return { ...header, type: null, changes: [], unknown: [], error, ...status };
    }
    const parentDesired = account.parent ? (byName.get(account.parent) ?? null) : null;
    const diff = diffAccount({
      account,
      guards: desired.guards,
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
  const changes = accounts.flatMap((a) => a.changes);
  return {
    schemaVersion: 1,
    policyFile: desired.file,
    fingerprint: fingerprintChanges(changes),
    summary: summarize(accounts),
    accounts,
    expiring: desired.expiring,
    expiry: { expired: desired.expiry.expired, warningDays: desired.expiry.warningDays },
    warnings: mergeDiagnostics([...planWarnings(desired.warnings, changes), ...warnings]),
  };
}
