// Live state -> a compact, readable policy whose plan against the same live state is empty: shared
// defaults, continents where a list holds all of one, groups for lists repeated across accounts, and
// `inherit: true` where a subaccount inherits.
import { CONTINENTS, countriesOnContinent, countryInfo } from '../catalog/index.js';
import { VOICE_CATEGORIES, type VoiceCategory } from '../model/desired.js';
import type { LiveAccount, LiveRead } from '../model/live.js';

type ListName = VoiceCategory | 'messaging';
const LIST_NAMES: readonly ListName[] = [...VOICE_CATEGORIES, 'messaging'];

interface ExportedAccount {
  name: string;
  live: LiveAccount;
  parent: string | null;
  inherit: boolean;
  /** Tokens per list (country codes and continent:NAME), only for lists the account declares itself. */
  lists: Partial<Record<ListName, string[]>>;
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
function enabled(live: LiveAccount, list: ListName): string[] {
  const codes =
    list === 'messaging'
      ? Object.values(live.messaging)
          .filter((c) => c.enabled)
          .map((c) => c.iso)
      : Object.values(live.voice)
          .filter((c) => c[list])
          .map((c) => c.iso);
  return codes.filter((iso) => countryInfo(iso) !== undefined).sort();
}

/** Replaces whole continents by `continent:NAME` when every country of it that Twilio lists is enabled. */
function compress(codes: readonly string[], listed: ReadonlySet<string>): string[] {
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

export function exportPolicy(live: LiveRead, names: Record<string, string> = {}): string {
  const sids = Object.keys(live.accounts);
  const taken = new Set<string>();
  const nameOf = new Map<string, string>();
  for (const sid of sids) {
    const account = live.accounts[sid] as LiveAccount;
    let name = names[sid] ?? slug(account.identity.friendlyName || sid);
    for (let i = 2; taken.has(name); i++) name = `${names[sid] ?? slug(account.identity.friendlyName)}-${i}`;
    taken.add(name);
    nameOf.set(sid, name);
  }
  // Each parent followed by its subaccounts, so a reader meets an account before its subaccounts.
  const ownerOf = (sid: string) => live.accounts[sid]?.identity.ownerAccountSid ?? null;
  const isTop = (sid: string) => {
    const owner = ownerOf(sid);
    return owner === null || !(owner in live.accounts);
  };
  const ordered = sids
    .filter(isTop)
    .flatMap((top) => [top, ...sids.filter((s) => !isTop(s) && ownerOf(s) === top)]);
  const accounts: ExportedAccount[] = ordered.map((sid) => {
    const a = live.accounts[sid] as LiveAccount;
    const owner = a.identity.ownerAccountSid;
    const parent = owner && nameOf.has(owner) ? (nameOf.get(owner) as string) : null;
    const inherit = parent !== null && a.voiceInheritance === true;
    const lists: Partial<Record<ListName, string[]>> = {};
    for (const list of LIST_NAMES) {
      if (inherit && list !== 'messaging') continue;
      const listed = new Set(list === 'messaging' ? Object.keys(a.messaging) : Object.keys(a.voice));
      lists[list] = compress(enabled(a, list), listed);
    }
    return { name: nameOf.get(sid) as string, live: a, parent, inherit, lists };
  });

  // Defaults: per list, the value most accounts share; accounts holding it then omit the list.
  const defaults: Partial<Record<ListName, string[]>> = {};
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
  // Groups: a list of 3+ tokens written by two or more accounts (after defaults) gets a name.
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
  const written = (tokens: readonly string[]): string => {
    const group = groups.get(JSON.stringify(tokens));
    return group ? flow([key(group)]) : flow(tokens);
  };

  const lines: string[] = [
    '# Exported from live Twilio state by `geo-permissions export`; `geo-permissions plan` against the',
    '# same accounts shows no changes. Allow-lists: a country not listed is disabled for that category.',
    'version: 1',
  ];
  if (groups.size > 0) {
    lines.push('', 'groups:');
    for (const [k, name] of groups) lines.push(`  ${key(name)}: ${flow(JSON.parse(k) as string[])}`);
  }
  if (Object.keys(defaults).length > 0) {
    lines.push('', 'defaults:');
    const voice = VOICE_CATEGORIES.filter((c) => defaults[c]);
    if (voice.length > 0) {
      lines.push('  voice:');
      for (const c of voice) lines.push(`    ${c}: ${written(defaults[c] as string[])}`);
    }
    if (defaults.messaging) lines.push(`  messaging: ${written(defaults.messaging)}`);
  }
  lines.push('', 'accounts:');
  for (const a of accounts) {
    lines.push(`  ${key(a.name)}:`, `    sid: ${a.live.identity.sid}`);
    if (a.parent) lines.push(`    parent: ${key(a.parent)}`);
    const voice = VOICE_CATEGORIES.filter((c) => a.lists[c]);
    if (a.inherit) lines.push('    voice:', '      inherit: true');
    else if (voice.length > 0) {
      lines.push('    voice:');
      for (const c of voice) lines.push(`      ${c}: ${written(a.lists[c] as string[])}`);
    }
    if (a.lists.messaging) lines.push(`    messaging: ${written(a.lists.messaging)}`);
    const unknown = [
      ...Object.values(a.live.voice).filter(
        (c) => !countryInfo(c.iso) && (c.low_risk || c.high_risk_special || c.high_risk_tollfraud),
      ),
      ...Object.values(a.live.messaging).filter((c) => !countryInfo(c.iso) && c.enabled),
    ].map((c) => c.iso);
    if (unknown.length > 0)
      lines.push(
        `    # enabled live but unknown to the catalog, so not expressible here (plan will disable them): ${[...new Set(unknown)].join(', ')}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
