// Live state -> a compact, readable policy whose plan against the same live state is empty: a `fleets:`
// template where many subaccounts of a parent share a profile, shared defaults, continents where a list
// holds all of one, groups for lists repeated across accounts, and `inherit: true` where a subaccount inherits.
import {
  CONTINENTS,
  countriesOnContinent,
  countryInfo,
  isUnsupportedDestination,
  voiceCountry,
} from '../catalog/index.js';
import { visible } from '../model/diagnostics.js';
import { VOICE_CATEGORIES, type VoiceCategory } from '../model/desired.js';
import type { AccountIdentity, LiveAccount, LiveRead } from '../model/live.js';
import { SCHEMA_MODELINE } from './json-schema.js';

export type ListName = VoiceCategory | 'messaging';
const LIST_NAMES: readonly ListName[] = [...VOICE_CATEGORIES, 'messaging'];
/**
 * Voice categories export never moves to `defaults`: every account added later would inherit them, so a
 * high-risk grant stays on the accounts that have it (or a template all of a parent's subaccounts share).
 */
const HIGH_RISK: readonly ListName[] = ['high_risk_tollfraud', 'high_risk_special'];
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

export function slug(text: string): string {
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

/** The codes of `list` a policy can grant: Twilio supports no messaging to a few countries (IR, SY, CU). */
export function writable(live: LiveAccount, list: ListName): string[] {
  const codes = enabled(live, list);
  return list === 'messaging' ? codes.filter((iso) => !isUnsupportedDestination(iso)) : codes;
}

/** Said where messaging is open live to a country no policy can list (each export says it again). */
export function unsupportedOpen(live: LiveAccount): string | null {
  const codes = enabled(live, 'messaging').filter(isUnsupportedDestination);
  if (codes.length === 0) return null;
  return `messaging open live to ${codes.join(', ')}, which Twilio does not support: no policy can list ${codes.length === 1 ? 'it' : 'them'} (plan lists turning ${codes.length === 1 ? 'it' : 'them'} off as a Console step)`;
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

/**
 * Live state as a policy file: names, then each account's lists, shared ones moved to defaults and groups.
 * `suspended` subaccounts (not read: Twilio refuses their requests) are listed in a closing comment.
 * `wholeFamilies`: the parents (by SID) whose every subaccount was listed and is in `live` or `suspended`;
 * only they get a template, as `match: all` also takes the subaccounts an export of some SIDs never saw.
 */
export function exportPolicy(
  live: LiveRead,
  names: Record<string, string> = {},
  suspended: readonly AccountIdentity[] = [],
  wholeFamilies: ReadonlySet<string> = new Set(),
): string {
  const nameOf = accountNames(live, names);
  const { fleets, accounts } = extractFleets(
    parentsFirst(live).map((sid) => exportedAccount(live, sid, nameOf)),
    (a) => wholeFamilies.has(a.live.identity.sid),
  );
  const defaults = moveSharedListsToDefaults(accounts);
  const groups = nameRepeatedLists(accounts);
  const parentName = (sid: string | null) => (sid && nameOf.get(sid)) || sid || 'none';
  const notWritten = notWrittenBlock({
    unmanaged: [],
    suspended: suspended.map((s) => ({ ...s, parent: parentName(s.ownerAccountSid), fleet: null })),
  });
  const lines = [
    ...HEADER,
    ...groupsSection(groups),
    ...defaultsSection(defaults, groups),
    ...accountsSection(accounts, groups),
    ...fleetsSection(fleets, groups),
    ...(notWritten.length > 0 ? ['', ...notWritten.map((l) => `#${l}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** A subaccount export saw but wrote no entry for, as the closing comment names it. */
export interface NotWritten {
  friendlyName: string;
  sid: string;
  parent: string;
}

/** First and last line of the closing comment (without "#"): each export replaces what lies between. */
export const NOT_WRITTEN_START =
  ' geo-permissions export: subaccounts with no entry in this file (each export rewrites this block)';
export const NOT_WRITTEN_END = ' end of the subaccounts with no entry';

/**
 * At most this many subaccounts of each kind are named in the closing comment, the rest counted: a line
 * each for 10,000 subaccounts would take the policy over its 1 MiB limit, and plan lists every one.
 */
const NAMED_IN_FILE = 100;

/** The first NAMED_IN_FILE lines and, past them, one line counting the rest. */
function capped(lines: readonly string[], kind: string, lists: string): string[] {
  if (lines.length <= NAMED_IN_FILE) return [...lines];
  const more = lines.length - NAMED_IN_FILE;
  return [
    ...lines.slice(0, NAMED_IN_FILE),
    `   and ${more} more ${kind} subaccounts, not named here: geo-permissions plan lists every one${lists}`,
  ];
}

/**
 * The closing comment's lines (each without its "#"), empty when there is nothing to say: unmanaged
 * subaccounts with what they have open (those with high-risk voice open first), then suspended ones.
 * Twilio's friendly names are made visible (no newline can end the comment early and smuggle YAML into
 * the policy).
 */
export function notWrittenBlock(what: {
  unmanaged: ReadonlyArray<NotWritten & { open: string; highRisk?: boolean }>;
  suspended: ReadonlyArray<NotWritten & { fleet: string | null }>;
}): string[] {
  const who = (s: NotWritten) =>
    `${visible(s.friendlyName.trim() || '(no friendly name)', 64)} ${s.sid} (subaccount of ${visible(s.parent, 64)}`;
  const unmanaged = [...what.unmanaged].sort(
    (a, b) => Number(b.highRisk ?? false) - Number(a.highRisk ?? false),
  );
  const lines = [
    ...(unmanaged.length > 0
      ? [
          ' Unmanaged: covered by no account or template; plan and drift list them, apply never writes them.',
          ...capped(
            unmanaged.map((u) => `   ${who(u)}): ${u.open}`),
            'unmanaged',
            ' with what it has open',
          ),
        ]
      : []),
    ...(what.suspended.length > 0
      ? [
          ' Suspended: not read or written (Twilio refuses every request of a suspended account).',
          ...capped(
            what.suspended.map((s) => `   ${who(s)}${s.fleet ? `, fleets.${visible(s.fleet, 64)}` : ''})`),
            'suspended',
            '',
          ),
        ]
      : []),
  ];
  return lines.length > 0 ? [NOT_WRITTEN_START, ...lines, NOT_WRITTEN_END] : [];
}

/** Whether the account has high-risk voice open of its own (not through inheritance). */
export function opensHighRisk(live: LiveAccount): boolean {
  if (live.voiceInheritance === true && live.identity.ownerAccountSid !== null) return false;
  return HIGH_RISK.some((list) => enabled(live, list).length > 0);
}

/** What one account has open, list by list, high-risk voice first ("nothing open" when nothing is). */
export function openLists(live: LiveAccount): string {
  const inherits = live.voiceInheritance === true && live.identity.ownerAccountSid !== null;
  const lists: ListName[] = inherits ? ['messaging'] : [...HIGH_RISK, 'low_risk', 'messaging'];
  const parts = lists.flatMap((list) => {
    const codes = enabled(live, list);
    return codes.length > 0 ? [`${list === 'messaging' ? list : `voice.${list}`}: ${codes.join(', ')}`] : [];
  });
  if (inherits) parts.unshift('voice inherited from its parent');
  return parts.length > 0 ? parts.join('; ') : 'nothing open';
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
  /** With `inherit`: the parent's high-risk voice, which every member (and every later one) takes. */
  inherited: Lists;
  members: number;
}

const highRiskOf = (lists: Lists): ListName[] => HIGH_RISK.filter((c) => (lists[c]?.length ?? 0) > 0);

/**
 * Per parent whose whole family was listed, the profile most of its subaccounts share (FLEET_MIN_MEMBERS
 * or more) becomes a template
 * with `match: all`; the subaccounts with another profile stay under `accounts:`, and explicit entries win
 * over templates, so the plan of the export against the same state is still empty. A template gives its
 * profile to every subaccount created later, so one with high-risk voice is written only when every
 * subaccount of the parent has it; otherwise the most shared profile without it is the template.
 */
function extractFleets(
  all: ExportedAccount[],
  wholeFamily: (parent: ExportedAccount) => boolean,
): { fleets: ExportedFleet[]; accounts: ExportedAccount[] } {
  const profile = (a: ExportedAccount) => JSON.stringify({ inherit: a.inherit, lists: a.lists });
  const fleets: ExportedFleet[] = [];
  const inFleet = new Set<ExportedAccount>();
  for (const { name: parent, lists: parentLists } of all.filter((a) => a.parent === null && wholeFamily(a))) {
    const subs = all.filter((a) => a.parent === parent);
    let shared = mostShared(subs.map(profile));
    const whole = subs.every((a) => profile(a) === shared);
    const first = subs.find((a) => profile(a) === shared);
    if (first && highRiskOf(first.lists).length > 0 && !whole)
      shared = mostShared(subs.filter((a) => highRiskOf(a.lists).length === 0).map(profile));
    const members = subs.filter((a) => profile(a) === shared);
    if (shared === null || members.length < FLEET_MIN_MEMBERS) continue;
    members.forEach((a) => inFleet.add(a));
    const { inherit, lists } = members[0] as ExportedAccount;
    fleets.push({
      name: `${parent}-subaccounts`,
      parent,
      inherit,
      lists: { ...lists },
      inherited: inherit ? Object.fromEntries(HIGH_RISK.map((c) => [c, parentLists[c]])) : {},
      members: members.length,
    });
  }
  return { fleets, accounts: all.filter((a) => !inFleet.has(a)) };
}

/** Said above a template whose profile opens high-risk voice (its own or the parent's it inherits). */
function highRiskNote(f: ExportedFleet): string[] {
  const said = (lists: Lists) =>
    highRiskOf(lists)
      .map((c) => `voice.${c} ${(lists[c] as string[]).join(', ')}`)
      .join(' and ');
  const open = said(f.lists);
  const inherited = said(f.inherited);
  const then = `and new subaccounts of ${f.parent} get it too`;
  return [
    ...(open
      ? [
          `  # high-risk voice: every subaccount of ${f.parent} has ${open} open, ${then}; remove it here if that is not meant`,
        ]
      : []),
    ...(inherited
      ? [
          `  # high-risk voice: every subaccount of ${f.parent} inherits ${inherited} from ${f.parent}, ${then}; remove inherit: true here if that is not meant`,
        ]
      : []),
  ];
}

function fleetsSection(fleets: readonly ExportedFleet[], groups: ReadonlyMap<string, string>): string[] {
  if (fleets.length === 0) return [];
  return [
    '',
    'fleets:',
    ...fleets.flatMap((f) => [
      `  # ${f.members} subaccounts of ${f.parent} share this profile; new subaccounts of ${f.parent} get it too`,
      ...highRiskNote(f),
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
  return withOwnLists(a, nameOf.get(sid) as string, parent);
}

/** Every list as live, none omitted; `leaveOut` codes (guards.never_enable) are not written. */
function withOwnLists(
  a: LiveAccount,
  name: string,
  parent: string | null,
  leaveOut: ReadonlySet<string> = new Set(),
): ExportedAccount {
  const inherit = parent !== null && a.voiceInheritance === true;
  const lists: Lists = {};
  for (const list of LIST_NAMES) {
    if (inherit && list !== 'messaging') continue;
    const listed = new Set(list === 'messaging' ? Object.keys(a.messaging) : Object.keys(a.voice));
    lists[list] = compress(
      writable(a, list).filter((c) => !leaveOut.has(c)),
      listed,
    );
  }
  return { name, live: a, parent, inherit, lists };
}

/**
 * One account as an `accounts:` entry on its own (its key line first): every list written, so it leans
 * on no default of the policy it joins. `leaveOut` codes are not written (the plan then closes them).
 */
export function standaloneEntry(
  live: LiveAccount,
  name: string,
  parent: string | null,
  leaveOut: ReadonlySet<string>,
): string[] {
  return accountLines(withOwnLists(live, name, parent, leaveOut), new Map());
}

/** Defaults: per list but high-risk voice, the value most accounts share; accounts holding it then omit the list. */
function moveSharedListsToDefaults(accounts: readonly ExportedAccount[]): Lists {
  const defaults: Lists = {};
  for (const list of LIST_NAMES) {
    const values = accounts.filter((a) => a.lists[list]?.length).map((a) => JSON.stringify(a.lists[list]));
    const shared = HIGH_RISK.includes(list) ? null : mostShared(values);
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

/** Groups: a list of 3+ tokens written by two or more accounts (after defaults) gets a name; high-risk voice never does. */
function nameRepeatedLists(accounts: readonly ExportedAccount[]): Map<string, string> {
  const groups = new Map<string, string>(); // JSON of tokens -> group name
  const uses = new Map<string, { count: number; first: string }>();
  for (const a of accounts)
    for (const list of LIST_NAMES.filter((l) => !HIGH_RISK.includes(l))) {
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

/**
 * A list as written: its group's name when it has one, else its tokens. High-risk voice is always written
 * as its codes, so what it opens reads in place (a group's name could say "low-risk").
 */
function written(list: ListName, tokens: readonly string[], groups: ReadonlyMap<string, string>): string {
  const group = HIGH_RISK.includes(list) ? undefined : groups.get(JSON.stringify(tokens));
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
  const unsupported = unsupportedOpen(a.live);
  if (unsupported) lines.push(`    # ${unsupported}`);
  return lines;
}

/** The `voice:` block (when any voice list is set) and the `messaging:` line of some lists, at `indent`. */
function listLines(lists: Lists, indent: string, groups: ReadonlyMap<string, string>): string[] {
  const voice = VOICE_CATEGORIES.filter((c) => lists[c]);
  const lines =
    voice.length > 0
      ? [
          `${indent}voice:`,
          ...voice.map((c) => `${indent}  ${c}: ${written(c, lists[c] as string[], groups)}`),
        ]
      : [];
  if (lists.messaging) lines.push(`${indent}messaging: ${written('messaging', lists.messaging, groups)}`);
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
