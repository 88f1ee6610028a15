// Live state -> a compact, readable policy whose plan against the same live state is empty: a `fleets:`
// template where many subaccounts of a parent share a profile, shared defaults, continents where a list
// holds all of one, groups for lists repeated across accounts, and `inherit: true` where a subaccount inherits.
import { CONTINENTS, countriesOnContinent, countryInfo, voiceCountry } from '../catalog/index.js';
import { VOICE_CATEGORIES, type VoiceCategory } from '../model/desired.js';
import type { LiveAccount, LiveRead } from '../model/live.js';
import { SCHEMA_MODELINE } from './json-schema.js';

export type ListName = VoiceCategory | 'messaging';
const LIST_NAMES: readonly ListName[] = [...VOICE_CATEGORIES, 'messaging'];
/** Tokens per list (country codes and continent:NAME). */
type Lists = Partial<Record<ListName, string[]>>;

interface ExportedAccount {
  name: string;
  live: LiveAccount;
  parent: string | null;
  inherit: boolean;
  /** Only the lists the account declares itself. */
  lists: Lists;
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const key = (name: string): string => (SAFE_KEY.test(name) ? name : JSON.stringify(name));
const flow = (tokens: readonly string[]): string => `[${tokens.join(', ')}]`;

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'account'
  );
}

/** The ISO codes enabled in one list, restricted to codes the catalog knows (others cannot be written). */
export function enabled(live: LiveAccount, list: ListName): string[] {
  const codes =
    list === 'messaging'
      ? Object.values(live.messaging)
          .filter((c) => c.enabled)
          .map((c) => c.iso)
      : Object.values(live.voice)
          .filter((c) => c[list])
          .map((c) => c.iso);
  const known = list === 'messaging' ? countryInfo : voiceCountry;
  return codes.filter((iso) => known(iso) !== undefined).sort();
}

/** Replaces whole continents by `continent:NAME` when every country of it that Twilio lists is enabled. */
export function compress(codes: readonly string[], listed: ReadonlySet<string>): string[] {
  const remaining = new Set(codes);
  const tokens: string[] = [];
  for (const continent of CONTINENTS) {
    const members = countriesOnContinent(continent).filter((iso) => listed.has(iso));
    if (members.length >= 3 && members.every((iso) => remaining.has(iso))) {
      tokens.push(`continent:${continent}`);
      for (const iso of members) remaining.delete(iso);
    }
  }
  return [...tokens, ...[...remaining].sort()];
}

/** The value most accounts share (ties: first seen), if at least two share it. */
function mostShared(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) if (n >= 2 && (best === null || n > (counts.get(best) ?? 0))) best = v;
  return best;
}

/** Live state as a policy file: names, then each account's lists, shared ones moved to defaults and groups. */
export function exportPolicy(live: LiveRead, names: Record<string, string> = {}): string {
  const nameOf = accountNames(live, names);
  const { fleets, accounts } = extractFleets(
    parentsFirst(live).map((sid) => exportedAccount(live, sid, nameOf)),
  );
  const defaults = moveSharedListsToDefaults(accounts);
  const groups = nameRepeatedLists(accounts);
  const lines = [
    ...HEADER,
    ...groupsSection(groups),
    ...defaultsSection(defaults, groups),
    ...accountsSection(accounts, groups),
    ...fleetsSection(fleets, groups),
  ];
  return `${lines.join('\n')}\n`;
}

/** Subaccounts of one parent sharing one profile, at least this many, become a `fleets:` template. */
const FLEET_MIN_MEMBERS = 3;

/** A template written by export: every subaccount of `parent` (`match: all`) gets this whole profile. */
interface ExportedFleet {
  name: string;
  parent: string;
  inherit: boolean;
  /** Every list the profile sets, so the template never leans on the defaults. */
  lists: Lists;
  members: number;
}

/**
 * Per parent, the profile most of its subaccounts share (FLEET_MIN_MEMBERS or more) becomes a template
 * with `match: all`; the subaccounts with another profile stay under `accounts:`, and explicit entries win
 * over templates, so the plan of the export against the same state is still empty.
 */
function extractFleets(all: ExportedAccount[]): { fleets: ExportedFleet[]; accounts: ExportedAccount[] } {
  const profile = (a: ExportedAccount) => JSON.stringify({ inherit: a.inherit, lists: a.lists });
  const fleets: ExportedFleet[] = [];
  const inFleet = new Set<ExportedAccount>();
  for (const parent of new Set(all.flatMap((a) => (a.parent ? [a.parent] : [])))) {
    const subs = all.filter((a) => a.parent === parent);
    const shared = mostShared(subs.map(profile));
    const members = subs.filter((a) => profile(a) === shared);
    if (shared === null || members.length < FLEET_MIN_MEMBERS) continue;
    members.forEach((a) => inFleet.add(a));
    const { inherit, lists } = members[0] as ExportedAccount;
    fleets.push({
      name: `${parent}-subaccounts`,
      parent,
      inherit,
      lists: { ...lists },
      members: members.length,
    });
  }
  return { fleets, accounts: all.filter((a) => !inFleet.has(a)) };
}

function fleetsSection(fleets: readonly ExportedFleet[], groups: ReadonlyMap<string, string>): string[] {
  if (fleets.length === 0) return [];
  return [
    '',
    'fleets:',
    ...fleets.flatMap((f) => [
      `  # ${f.members} subaccounts of ${f.parent} share this profile; new subaccounts of ${f.parent} get it too`,
      `  ${key(f.name)}:`,
      `    parent: ${key(f.parent)}`,
      '    match: all',
      ...(f.inherit ? ['    voice:', '      inherit: true'] : []),
      ...listLines(f.lists, '    ', groups),
    ]),
  ];
}

/** A unique policy name per account: the given one, else a slug of its friendly name; repeats get -2, -3, ... */
function accountNames(live: LiveRead, names: Record<string, string>): Map<string, string> {
  const taken = new Set<string>();
  const nameOf = new Map<string, string>();
  for (const [sid, account] of Object.entries(live.accounts)) {
    const base = names[sid] ?? slug(account.identity.friendlyName || sid);
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    nameOf.set(sid, name);
  }
  return nameOf;
}

/** Each parent followed by its subaccounts, so a reader meets an account before its subaccounts. */
function parentsFirst(live: LiveRead): string[] {
  const sids = Object.keys(live.accounts);
  const ownerOf = (sid: string) => live.accounts[sid]?.identity.ownerAccountSid ?? null;
  const isTop = (sid: string) => {
    const owner = ownerOf(sid);
    return owner === null || !(owner in live.accounts);
  };
  return sids.filter(isTop).flatMap((top) => [top, ...sids.filter((s) => !isTop(s) && ownerOf(s) === top)]);
}

/** One account with its own lists; a subaccount that inherits declares no voice lists. */
function exportedAccount(live: LiveRead, sid: string, nameOf: ReadonlyMap<string, string>): ExportedAccount {
  const a = live.accounts[sid] as LiveAccount;
  const owner = a.identity.ownerAccountSid;
  const parent = owner && nameOf.has(owner) ? (nameOf.get(owner) as string) : null;
  const inherit = parent !== null && a.voiceInheritance === true;
  const lists: Lists = {};
  for (const list of LIST_NAMES) {
    if (inherit && list !== 'messaging') continue;
    const listed = new Set(list === 'messaging' ? Object.keys(a.messaging) : Object.keys(a.voice));
    lists[list] = compress(enabled(a, list), listed);
  }
  return { name: nameOf.get(sid) as string, live: a, parent, inherit, lists };
}

/** Defaults: per list, the value most accounts share; accounts holding it then omit the list. */
function moveSharedListsToDefaults(accounts: readonly ExportedAccount[]): Lists {
  const defaults: Lists = {};
  for (const list of LIST_NAMES) {
    const values = accounts.filter((a) => a.lists[list]?.length).map((a) => JSON.stringify(a.lists[list]));
    const shared = mostShared(values);
    if (shared !== null) defaults[list] = JSON.parse(shared) as string[];
    for (const a of accounts) {
      const mine = a.lists[list];
      // Equal to the default, or empty with no default (absent = empty): nothing to write.
      if (mine && (JSON.stringify(mine) === shared || (shared === null && mine.length === 0)))
        delete a.lists[list];
    }
  }
  return defaults;
}

/** Groups: a list of 3+ tokens written by two or more accounts (after defaults) gets a name. */
function nameRepeatedLists(accounts: readonly ExportedAccount[]): Map<string, string> {
  const groups = new Map<string, string>(); // JSON of tokens -> group name
  const uses = new Map<string, { count: number; first: string }>();
  for (const a of accounts)
    for (const list of LIST_NAMES) {
      const tokens = a.lists[list];
      if (!tokens || tokens.length < 3) continue;
      const k = JSON.stringify(tokens);
      const u = uses.get(k) ?? { count: 0, first: `${a.name}-${list.replace(/_/g, '-')}` };
      u.count++;
      uses.set(k, u);
    }
  for (const [k, u] of uses) if (u.count >= 2) groups.set(k, u.first);
  return groups;
}

/** A list as written: its group's name when it has one, else its tokens. */
function written(tokens: readonly string[], groups: ReadonlyMap<string, string>): string {
  const group = groups.get(JSON.stringify(tokens));
  return group ? flow([key(group)]) : flow(tokens);
}

const HEADER = [
  SCHEMA_MODELINE,
  '# Exported from live Twilio state by `geo-permissions export`; `geo-permissions plan` against the',
  '# same accounts shows no changes. Allow-lists: a country not listed is disabled for that category.',
  'version: 1',
];

function groupsSection(groups: ReadonlyMap<string, string>): string[] {
  if (groups.size === 0) return [];
  return [
    '',
    'groups:',
    ...[...groups].map(([k, name]) => `  ${key(name)}: ${flow(JSON.parse(k) as string[])}`),
  ];
}

function defaultsSection(defaults: Lists, groups: ReadonlyMap<string, string>): string[] {
  if (Object.keys(defaults).length === 0) return [];
  return ['', 'defaults:', ...listLines(defaults, '  ', groups)];
}

function accountsSection(
  accounts: readonly ExportedAccount[],
  groups: ReadonlyMap<string, string>,
): string[] {
  return ['', 'accounts:', ...accounts.flatMap((a) => accountLines(a, groups))];
}

function accountLines(a: ExportedAccount, groups: ReadonlyMap<string, string>): string[] {
  const lines = [`  ${key(a.name)}:`, `    sid: ${a.live.identity.sid}`];
  if (a.parent) lines.push(`    parent: ${key(a.parent)}`);
  // An inheriting account has no voice lists of its own, so listLines writes only its messaging.
  if (a.inherit) lines.push('    voice:', '      inherit: true');
  lines.push(...listLines(a.lists, '    ', groups));
  const unknown = enabledUnknown(a.live);
  if (unknown.length > 0)
    lines.push(
      `    # enabled live but unknown to the catalog, so not expressible here (plan will disable them): ${unknown.join(', ')}`,
    );
  return lines;
}

/** The `voice:` block (when any voice list is set) and the `messaging:` line of some lists, at `indent`. */
function listLines(lists: Lists, indent: string, groups: ReadonlyMap<string, string>): string[] {
  const voice = VOICE_CATEGORIES.filter((c) => lists[c]);
  const lines =
    voice.length > 0
      ? [`${indent}voice:`, ...voice.map((c) => `${indent}  ${c}: ${written(lists[c] as string[], groups)}`)]
      : [];
  if (lists.messaging) lines.push(`${indent}messaging: ${written(lists.messaging, groups)}`);
  return lines;
}

/** Codes enabled live in any list that the catalog does not know, each once: a policy cannot name them. */
function enabledUnknown(live: LiveAccount): string[] {
  const codes = [
    ...Object.values(live.voice).filter(
      (c) => !voiceCountry(c.iso) && (c.low_risk || c.high_risk_special || c.high_risk_tollfraud),
    ),
    ...Object.values(live.messaging).filter((c) => !countryInfo(c.iso) && c.enabled),
  ].map((c) => c.iso);
  return [...new Set(codes)];
}
