import { countryInfo, isConsoleOnlyMessaging, isUnsupportedDestination } from '../catalog/index.js';
import type { DesiredAccount, DesiredState, Grant, GrantSet, VoiceCategory } from '../model/desired.js';
import { VOICE_CATEGORIES } from '../model/desired.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import type { LiveAccount, LiveRead, VoiceFlags } from '../model/live.js';
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

/** The diff of one account, also used by apply when it re-reads an account right before writing. */
export function diffAccount(ctx: AccountContext): {
  changes: CellChange[];
  unknown: UnknownCountry[];
  warnings: Diagnostic[];
} {
  const { account, live } = ctx;
  const changes: CellChange[] = [];
  const unknown: UnknownCountry[] = [];
  const warnings: Diagnostic[] = [];
  const base = { account: account.name, sid: account.sid };

  const change = (
    category: CellCategory,
    country: string | null,
    from: boolean,
    to: boolean,
    risk: RiskTier,
    source: SourceLocation | null,
  ): CellChange => {
    const info = country ? countryInfo(country) : undefined;
    const liveName = country ? (live.voice[country]?.name ?? null) : null;
    return {
      ...base,
      category,
      country,
      from,
      to,
      risk,
      countryName: info?.name ?? liveName,
      continent: info?.continent ?? (country ? (live.voice[country]?.continent ?? null) : null),
      kind: 'write',
      manual: null,
      source,
    };
  };

  const notListed = (list: string, grants: GrantSet, listed: Readonly<Record<string, unknown>>) => {
    for (const [iso, grant] of Object.entries(grants)) {
      if (!(iso in listed))
        warnings.push({
          severity: 'warning',
          location: grant.location,
          message: `${account.name}: ${list} allows ${iso}, but Twilio does not list ${iso} for this account; nothing can be written for it`,
        });
    }
  };

  // Voice.
  const voice = account.voice;
  if (voice.inherit) {
    if (live.voiceInheritance === false) {
      const parentView = ctx.parent.desired
        ? desiredVoiceView(ctx.parent.desired, Object.keys(ctx.parent.live?.voice ?? live.voice))
        : null;
      const join = change(
        'voice.inherit',
        null,
        false,
        true,
        wideningRisk(liveVoiceView(live), parentView),
        voice.location,
      );
      const disables = narrowing(liveVoiceView(live), parentView);
      if (disables.length > 0) join.inheritDisables = disables;
      changes.push(join);
    } else if (live.voiceInheritance === null) {
      warnings.push({
        severity: 'warning',
        location: voice.location,
        message: `${account.name}: voice.inherit is true, but Twilio reports no inheritance setting (not a subaccount); its voice permissions are not managed`,
      });
    }
  } else {
    const countries = Object.keys(live.voice).sort();
    if (live.voiceInheritance === true) {
      const before = ctx.parent.live ? liveVoiceView(ctx.parent.live) : null;
      changes.push(
        change(
          'voice.inherit',
          null,
          true,
          false,
          wideningRisk(before, desiredVoiceView(account, countries)),
          voice.location,
        ),
      );
    }
    for (const iso of countries) {
      const flags = live.voice[iso] as VoiceFlags;
      if (!countryInfo(iso)) {
        const on = VOICE_CATEGORIES.filter((c) => flags[c]);
        unknown.push({
          ...base,
          category: voiceCell(on[on.length - 1] ?? 'low_risk'),
          country: iso,
          name: live.voice[iso]?.name ?? null,
          enabledLive: on.length > 0,
        });
      }
      for (const category of VOICE_CATEGORIES) {
        const grant = voice[category][iso];
        const want = grant !== undefined;
        if (want === flags[category]) continue;
        const cell = voiceCell(category);
        changes.push(
          change(
            cell,
            iso,
            flags[category],
            want,
            want ? enableRisk(cell, grant) : 'low',
            grant?.location ?? voice.location,
          ),
        );
      }
    }
    for (const category of VOICE_CATEGORIES) notListed(`voice.${category}`, voice[category], live.voice);
  }

  // Messaging.
  for (const iso of Object.keys(live.messaging).sort()) {
    const cell = live.messaging[iso];
    if (!cell) continue;
    if (!countryInfo(iso))
      unknown.push({ ...base, category: 'messaging', country: iso, name: null, enabledLive: cell.enabled });
    const grant = account.messaging[iso];
    const want = grant !== undefined;
    if (want === cell.enabled) continue;
    const c = change(
      'messaging',
      iso,
      cell.enabled,
      want,
      want ? enableRisk('messaging', grant) : 'low',
      grant?.location ?? account.location,
    );
    const consoleOnly =
      isConsoleOnlyMessaging(iso) || isUnsupportedDestination(iso) || /high risk/i.test(cell.message ?? '');
    if (consoleOnly) {
      c.kind = 'manual';
      c.manual = {
        reason: isUnsupportedDestination(iso)
          ? 'Twilio does not support messaging to this country; the API ignores updates'
          : 'high-risk messaging country: Twilio only accepts this change in the Console (error 30649)',
        consolePath: MESSAGING_CONSOLE_PATH,
      };
    }
    changes.push(c);
  }
  notListed('messaging', account.messaging, live.messaging);

  changes.sort(compareChanges);
  return { changes, unknown, warnings };
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
