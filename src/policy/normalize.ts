import type { SourceLocation } from '../model/diagnostics.js';
import { excerpt, visible } from '../model/diagnostics.js';
import type {
  DesiredAccount,
  DesiredState,
  DesiredVoice,
  ExpiringException,
  ExpiryRule,
  FleetTemplate,
  GrantSet,
  Guards,
  UnmanagedRule,
  VoiceCategory,
} from '../model/desired.js';
import { VOICE_CATEGORIES } from '../model/desired.js';
import { countryInfo, isConsoleOnlyMessaging, isUnsupportedDestination } from '../catalog/index.js';
import type { NameSuggester } from '../catalog/index.js';
import type { Entry, ExpandOptions } from './expand.js';
import { ListExpander } from './expand.js';
import { toGrantSet } from './grants.js';
import { checkVoiceGuards, toVoiceEntries } from './voice-entries.js';
import type { ParsedYaml, PolicyPath } from './parse.js';
import { isRecord } from './paths.js';
import { MAX_EXPIRY_WARNING_DAYS, SID_PATTERN } from './schema.js';
import type { DiagnosticSink } from './sink.js';
import { DEFAULT_EXPIRED_MODE, EXPIRY_WARNING_DAYS } from '../model/defaults.js';

/** A list as written, already expanded, with the path that names it in messages and grants. */
interface ExpandedList {
  path: string;
  /** "voice.low_risk" or "messaging", whichever section wrote it. */
  name: string;
  entries: Entry[];
}

/**
 * Checks what the schema cannot (references, SIDs, inheritance, expiry) and builds one desired state per
 * account: groups and continents expanded, defaults applied, exceptions carried with their expiry.
 * Works on the raw parsed value and skips parts the schema rejects, so every problem is found in one run.
 */
export function normalizePolicy(
  root: Record<string, unknown>,
  parsed: ParsedYaml,
  sink: DiagnosticSink,
  options: Omit<ExpandOptions, 'warningDays'>,
): DesiredState {
  // First: the horizon words the expiry warnings of every list.
  const expiry = expiryRule(root, parsed);
  const expander = new ListExpander(root.groups, parsed, sink, {
    ...options,
    warningDays: expiry.warningDays,
  });
  expander.checkAllGroups();

  const defaults = isRecord(root.defaults) ? root.defaults : {};
  const defaultVoice = isRecord(defaults.voice) ? defaults.voice : {};
  const voiceDefaults = Object.fromEntries(
    VOICE_CATEGORIES.map((c) => [c, expand(expander, ['defaults', 'voice', c], defaultVoice[c])]),
  ) as Record<VoiceCategory, ExpandedList>;
  const messagingDefault = expand(expander, ['defaults', 'messaging'], defaults.messaging);

  const guards = normalizeGuards(root.guards, expander, parsed, sink);
  checkVoiceGuards(guards, sink);
  const rawAccounts = isRecord(root.accounts) ? root.accounts : {};
  checkSids(rawAccounts, parsed, sink);
  const accountNames = options.suggestions.among(Object.keys(rawAccounts));

  const profiles: ProfileContext = { voiceDefaults, messagingDefault, expander, parsed, sink, guards };
  const accounts: DesiredAccount[] = [];
  const expiring: ExpiringException[] = [];
  for (const [name, raw] of Object.entries(rawAccounts)) {
    if (!isRecord(raw)) continue;
    const base: PolicyPath = ['accounts', name];
    const parent = checkParent(name, raw, rawAccounts, accountNames, parsed, sink);
    const profile = normalizeProfile(base, raw, parent !== null, profiles);
    expiring.push(...profile.expiring);
    const parentRaw = parent ? rawAccounts[parent] : undefined;
    accounts.push({
      name,
      sid: typeof raw.sid === 'string' ? raw.sid : '',
      parent,
      parentSid: isRecord(parentRaw) && typeof parentRaw.sid === 'string' ? parentRaw.sid : null,
      location: parsed.locate(base, 'key'),
      voice: profile.voice,
      messaging: profile.messaging,
    });
  }
  const fleets = normalizeFleets(root.fleets, accounts, accountNames, profiles);
  for (const f of fleets) expiring.push(...f.expiring);
  const fleetNames = isRecord(root.fleets) ? Object.keys(root.fleets) : [];
  const unmanaged = normalizeUnmanaged(root.unmanaged, fleetNames, parsed, sink, options.suggestions);
  return {
    file: parsed.locate([]).file,
    accounts,
    guards,
    expiring,
    expiry,
    warnings: [],
    ...(fleets.length > 0 ? { fleets: fleets.map((f) => f.template) } : {}),
    ...(unmanaged ? { unmanaged } : {}),
  };
}

/** What normalizing an account's or a template's voice and messaging reads. */
interface ProfileContext {
  voiceDefaults: Record<VoiceCategory, ExpandedList>;
  messagingDefault: ExpandedList;
  expander: ListExpander;
  parsed: ParsedYaml;
  sink: DiagnosticSink;
  guards: Guards;
}

/** The voice and messaging of one `accounts:` or `fleets:` entry, defaults applied. */
function normalizeProfile(
  base: PolicyPath,
  raw: Record<string, unknown>,
  isSubaccount: boolean,
  ctx: ProfileContext,
): { voice: DesiredVoice; messaging: GrantSet; expiring: ExpiringException[] } {
  const { expander, parsed, sink, guards } = ctx;
  const voice = normalizeVoice(base, raw, isSubaccount, ctx.voiceDefaults, expander, parsed, sink, guards);
  const messagingList = withoutForbidden(
    raw.messaging === undefined
      ? ctx.messagingDefault
      : expand(expander, [...base, 'messaging'], raw.messaging),
    guards,
    sink,
  );
  const messaging = messagingGrants(messagingList, sink);
  const owner = base[0] === 'fleets' ? { fleet: String(base[1]) } : { account: String(base[1]) };
  const expiring = [...voice.lists, messagingList].flatMap((list) => expiringOf(owner, list));
  return { voice: voice.desired, messaging, expiring };
}

/**
 * The `fleets:` templates: each names a top-level account as parent, and gets a profile as an account
 * does. Which subaccounts each covers is decided after discovery (plan/fleet.ts).
 */
function normalizeFleets(
  raw: unknown,
  accounts: readonly DesiredAccount[],
  accountNames: NameSuggester,
  ctx: ProfileContext,
): Array<{ template: FleetTemplate; expiring: ExpiringException[] }> {
  if (!isRecord(raw)) return [];
  const { parsed, sink } = ctx;
  const out: Array<{ template: FleetTemplate; expiring: ExpiringException[] }> = [];
  for (const [name, entry] of Object.entries(raw)) {
    if (!isRecord(entry) || typeof entry.parent !== 'string') continue;
    const base: PolicyPath = ['fleets', name];
    const parent = accounts.find((a) => a.name === entry.parent);
    if (!parent || parent.parent !== null) {
      const near = parent
        ? null
        : accountNames.nearest(entry.parent, Math.max(2, Math.floor(entry.parent.length / 3)));
      const why = parent
        ? `"${excerpt(entry.parent)}" is itself a subaccount, and Twilio subaccounts are one level deep: name its parent`
        : `unknown parent account "${excerpt(entry.parent)}"${near ? ` (did you mean "${excerpt(near)}"?)` : ': name an account under "accounts:"'}`;
      sink.error(parsed.locate([...base, 'parent']), `fleet "${excerpt(name)}": ${why}`);
      continue;
    }
    const profile = normalizeProfile(base, entry, true, ctx);
    const globs = (v: unknown): string[] =>
      (Array.isArray(v) ? v : [v]).filter((g): g is string => typeof g === 'string' && g !== '');
    checkExceptSids(base, entry.except, ctx);
    out.push({
      template: {
        name,
        parent: parent.name,
        parentSid: parent.sid,
        match: entry.match === 'all' ? null : globs(entry.match),
        except: globs(entry.except ?? []),
        location: parsed.locate(base, 'key'),
        voice: profile.voice,
        messaging: profile.messaging,
      },
      expiring: profile.expiring,
    });
  }
  return out;
}

/** The `unmanaged:` rule; `enforce` must name a template. */
function normalizeUnmanaged(
  raw: unknown,
  names: readonly string[],
  parsed: ParsedYaml,
  sink: DiagnosticSink,
  suggestions: ExpandOptions['suggestions'],
): UnmanagedRule | null {
  if (raw === undefined) return null;
  const location = parsed.locate(['unmanaged']);
  if (raw === 'report' || raw === 'ignore') return { mode: raw, fleet: null, location };
  if (!isRecord(raw) || typeof raw.enforce !== 'string') return null;
  if (!names.includes(raw.enforce)) {
    const near = suggestions
      .among(names)
      .nearest(raw.enforce, Math.max(2, Math.floor(raw.enforce.length / 3)));
    sink.error(
      parsed.locate(['unmanaged', 'enforce']),
      `unknown fleet "${excerpt(raw.enforce)}"${near ? ` (did you mean "${excerpt(near)}"?)` : names.length > 0 ? `: name one of ${names.map((n) => `"${excerpt(n)}"`).join(', ')} under "fleets:"` : ': declare it under "fleets:"'}`,
    );
    return null;
  }
  return { mode: 'enforce', fleet: raw.enforce, location };
}

function expand(expander: ListExpander, path: PolicyPath, raw: unknown): ExpandedList {
  const name = path.slice(path[0] === 'defaults' ? 1 : 2).join('.');
  return { path: path.join('.'), name, entries: expander.list(path, raw ?? []) };
}

function normalizeGuards(
  raw: unknown,
  expander: ListExpander,
  parsed: ParsedYaml,
  sink: DiagnosticSink,
): Guards {
  const guards = isRecord(raw) ? raw : {};
  const max = guards.max_changes;
  /** A guard list: each country with the first entry that names it. */
  const countries = (key: string): Record<string, SourceLocation> => {
    const out: Record<string, SourceLocation> = {};
    for (const e of expander.list(['guards', key], guards[key] ?? [], false)) {
      const continent = e.via.find((step) => step.startsWith('continent:'));
      // An acknowledgement names what was reviewed: a continent would acknowledge dozens of countries at once.
      if (key === 'allow_high_risk' && continent) {
        sink.error(
          e.location,
          `guards.allow_high_risk acknowledges high-risk enables country by country, not through ${continent}: list the country codes (or a group of them) that were reviewed`,
        );
        continue;
      }
      out[e.country] ??= e.location;
    }
    return out;
  };
  return {
    maxChanges: typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : null,
    maxChangesLocation: max === undefined || max === null ? null : parsed.locate(['guards', 'max_changes']),
    neverDisable: countries('never_disable'),
    neverEnable: countries('never_enable'),
    allowHighRisk: countries('allow_high_risk'),
  };
}

/**
 * The list without the countries guards.never_enable forbids. Naming one, directly or through a group,
 * is an error; a continent that reaches one leaves it out with a warning (a continent is how "all of
 * Africa but the sanctioned" is written). A protected-and-forbidden country is reported by both guards.
 */
function withoutForbidden(list: ExpandedList, guards: Guards, sink: DiagnosticSink): ExpandedList {
  const forbidden = (e: Entry) => e.country in guards.neverEnable;
  if (!list.entries.some(forbidden)) return list;
  for (const e of list.entries.filter(forbidden)) {
    const guard = guards.neverEnable[e.country] as SourceLocation;
    const at = `guards.never_enable (line ${guard.line})`;
    const continent = e.via.find((step) => step.startsWith('continent:'));
    if (continent)
      sink.warning(
        e.location,
        `${visible(list.path, 120)} reaches ${e.country} through ${continent}, which ${at} forbids: it stays disabled`,
      );
    else
      sink.error(
        e.location,
        `${e.country} is in ${at}: no account may allow it, so remove it from ${visible(list.path, 120)}${e.via.length > 0 ? ` (it comes through ${visible(e.via.join(' > '), 120)})` : ''}, or remove it from guards.never_enable in the same change`,
      );
  }
  return { ...list, entries: list.entries.filter((e) => !forbidden(e)) };
}

/**
 * An `except` entry that looks like an account SID must be one: a mistyped SID would be read as a
 * friendly-name glob that matches nothing, and the subaccount meant to be left out would be written.
 */
function checkExceptSids(base: PolicyPath, raw: unknown, ctx: ProfileContext): void {
  if (!Array.isArray(raw)) return;
  raw.forEach((e, i) => {
    if (typeof e !== 'string' || !/^ac[0-9a-z]{20,}$/i.test(e) || SID_PATTERN.test(e)) return;
    ctx.sink.error(
      ctx.parsed.locate([...base, 'except', i]),
      `"${excerpt(e)}" in ${base.join('.')}.except looks like an account SID but is not one (an account SID is "AC" and 32 lower-case hex digits): copy it from the Twilio Console, or write the subaccount's friendly name`,
    );
  });
}

function checkSids(accounts: Record<string, unknown>, parsed: ParsedYaml, sink: DiagnosticSink): void {
  const owners = new Map<string, string>();
  for (const [name, raw] of Object.entries(accounts)) {
    if (!isRecord(raw) || typeof raw.sid !== 'string' || !SID_PATTERN.test(raw.sid)) continue;
    const owner = owners.get(raw.sid);
    if (owner) {
      const first = parsed.locate(['accounts', owner, 'sid']);
      sink.error(
        parsed.locate(['accounts', name, 'sid']),
        `duplicate SID ${raw.sid}: account "${excerpt(owner)}" (line ${first.line}) already uses it; each Twilio account appears once, so remove one of them`,
      );
    } else {
      owners.set(raw.sid, name);
    }
  }
}

/** The parent's name when `parent` is valid; otherwise reports why and answers null. */
function checkParent(
  name: string,
  raw: Record<string, unknown>,
  accounts: Record<string, unknown>,
  accountNames: NameSuggester,
  parsed: ParsedYaml,
  sink: DiagnosticSink,
): string | null {
  const parent = raw.parent;
  if (typeof parent !== 'string') return null;
  const at = parsed.locate(['accounts', name, 'parent']);
  if (parent === name) {
    sink.error(
      at,
      `account "${excerpt(name)}" names itself as parent: remove "parent", or name the account that owns it`,
    );
    return null;
  }
  const parentRaw = accounts[parent];
  if (!Object.hasOwn(accounts, parent) || !isRecord(parentRaw)) {
    const near = accountNames.nearest(parent, Math.max(2, Math.floor(parent.length / 3)), name);
    const hint = near ? ` (did you mean "${excerpt(near)}"?)` : ': name another account under "accounts:"';
    sink.error(at, `unknown parent account "${excerpt(parent)}"${hint}`);
    return null;
  }
  if (typeof parentRaw.parent === 'string') {
    const message =
      parentRaw.parent === name
        ? `parent cycle: "${excerpt(name)}" and "${excerpt(parent)}" name each other as parent; one of them must be the parent account`
        : `nested subaccount: "${excerpt(parent)}" is itself a subaccount of "${excerpt(parentRaw.parent)}", and Twilio subaccounts are one level deep: set parent to "${excerpt(parentRaw.parent)}"`;
    sink.error(at, message);
    return null;
  }
  return parent;
}

function normalizeVoice(
  at: PolicyPath,
  raw: Record<string, unknown>,
  isSubaccount: boolean,
  defaults: Record<VoiceCategory, ExpandedList>,
  expander: ListExpander,
  parsed: ParsedYaml,
  sink: DiagnosticSink,
  guards: Guards,
): { desired: DesiredVoice; lists: ExpandedList[] } {
  const base: PolicyPath = [...at, 'voice'];
  const owner = `${at[0] === 'fleets' ? 'fleet' : 'account'} "${excerpt(String(at[1]))}"`;
  const voice = isRecord(raw.voice) ? raw.voice : {};
  const location = parsed.locate(raw.voice === undefined ? at : base, 'key');
  const declared = VOICE_CATEGORIES.filter((c) => voice[c] !== undefined);
  if (voice.inherit !== undefined && typeof raw.parent !== 'string') {
    sink.error(
      parsed.locate([...base, 'inherit'], 'key'),
      `only subaccounts inherit voice permissions: remove "inherit" from ${owner}, which has no parent`,
    );
  }
  if (voice.inherit === true && isSubaccount) {
    for (const c of declared) {
      sink.error(
        parsed.locate([...base, c], 'key'),
        `${owner} inherits its parent's voice permissions (inherit: true), so it declares no voice lists: remove "${c}" or set inherit: false`,
      );
    }
    return { desired: { inherit: true, location }, lists: [] };
  }
  const lists = VOICE_CATEGORIES.map((c) => {
    const list = withoutForbidden(
      voice[c] === undefined ? defaults[c] : expand(expander, [...base, c], voice[c]),
      guards,
      sink,
    );
    // Twilio's voice list, not ISO: CA is dialled through US "United States/Canada".
    return { ...list, entries: toVoiceEntries(list.path, list.entries, sink) };
  });
  const sets = Object.fromEntries(
    VOICE_CATEGORIES.map((c, i) => [c, toGrantSet(lists[i]!.path, lists[i]!.entries)]),
  );
  return {
    desired: { inherit: false, location, ...(sets as Record<VoiceCategory, GrantSet>) },
    lists,
  };
}

/**
 * Messaging grants without the destinations Twilio does not support (IR, SY, CU): naming one directly is
 * an error, reaching one through a group or continent leaves it out quietly. Console-only countries stay
 * in the grants (apply reports them as manual steps) with one warning per list entry.
 */
function messagingGrants(list: ExpandedList, sink: DiagnosticSink): GrantSet {
  const kept: Entry[] = [];
  const consoleOnly = new Map<string, { location: SourceLocation; codes: string[] }>();
  for (const e of list.entries) {
    if (isUnsupportedDestination(e.country)) {
      if (e.via.length === 0) {
        sink.error(
          e.location,
          `Twilio does not support messaging to ${e.country} (${countryInfo(e.country)?.name ?? e.country}) and ignores updates for it: remove it from ${visible(list.path, 120)}`,
        );
      }
      continue;
    }
    if (isConsoleOnlyMessaging(e.country)) {
      const key = `${e.location.line}:${e.location.column}`;
      const group = consoleOnly.get(key) ?? { location: e.location, codes: [] };
      if (!group.codes.includes(e.country)) group.codes.push(e.country);
      consoleOnly.set(key, group);
    }
    kept.push(e);
  }
  for (const { location, codes } of consoleOnly.values()) {
    const named = codes.map((c) => `${c} (${countryInfo(c)?.name ?? c})`).join(', ');
    sink.add({
      severity: 'warning',
      location,
      code: 'console-only',
      message: `messaging to ${named} can only be enabled in the Twilio Console (API error 30649): apply will list ${codes.length === 1 ? 'it' : 'them'} as a manual step`,
    });
  }
  return toGrantSet(list.path, kept);
}

/** Every time-boxed entry of a list, in effect or expired, with its owner: an account or a template. */
function expiringOf(owner: { account: string } | { fleet: string }, list: ExpandedList): ExpiringException[] {
  const named = 'fleet' in owner ? { account: `fleets.${owner.fleet}`, fleet: owner.fleet } : owner;
  return list.entries.flatMap((e) =>
    e.exception
      ? [
          {
            ...named,
            list: list.name,
            country: e.country,
            expires: e.exception.expires,
            daysLeft: e.exception.daysLeft,
            reason: e.exception.reason,
            ticket: e.exception.ticket,
            location: e.location,
          },
        ]
      : [],
  );
}

/** `expired:` and `expiry_warning_days:`, defaults for what is absent or invalid (the schema reports it). */
function expiryRule(root: Record<string, unknown>, parsed: ParsedYaml): ExpiryRule {
  const days = root.expiry_warning_days;
  const validDays =
    typeof days === 'number' && Number.isInteger(days) && days >= 0 && days <= MAX_EXPIRY_WARNING_DAYS;
  const mode = root.expired === 'enforce' || root.expired === 'report' ? root.expired : DEFAULT_EXPIRED_MODE;
  return {
    expired: mode,
    warningDays: validDays ? days : EXPIRY_WARNING_DAYS,
    location: root.expired === undefined ? null : parsed.locate(['expired']),
  };
}
