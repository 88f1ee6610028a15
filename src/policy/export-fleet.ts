// Export onto a policy with `fleets:` (or subaccounts it does not name): what becomes of the subaccounts
// discovery found beyond the explicit accounts. Templates and their members are never rewritten: a member
// that differs from its template is said (the plan sets it back), unmanaged subaccounts follow the
// `unmanaged:` rule (listed in a closing comment under `report`), suspended ones are said. With `adopt`,
// a differing member and an unmanaged subaccount each get their own `accounts:` entry as live instead.
import { Scalar, isMap, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { VOICE_CATEGORIES, type DesiredAccount, type DesiredVoice, type GrantSet } from '../model/desired.js';
import { visible } from '../model/diagnostics.js';
import type { LiveAccount, LiveRead } from '../model/live.js';
import type { FleetConflict, PlanFleet, UnmanagedTarget } from '../model/plan.js';
import {
  NOT_WRITTEN_END,
  NOT_WRITTEN_START,
  enabled,
  notWrittenBlock,
  openLists,
  opensHighRisk,
  slug,
  standaloneEntry,
  type ListName,
} from './export.js';

/** What discovery and the templates made of the parents' subaccounts (plan/fleet.ts governFleet). */
export interface FleetExport {
  /** Template members, each with `fleet` set; their live state is in the LiveRead beside. */
  members: readonly DesiredAccount[];
  /** Covered by nothing under `unmanaged: report` (under `ignore` there are none). */
  unmanaged: readonly UnmanagedTarget[];
  suspended: PlanFleet['suspended'];
  conflicts: readonly FleetConflict[];
  /** Parents whose subaccounts could not be listed, and why. */
  unlisted: ReadonlyArray<{ parent: string; sid: string; error: string }>;
  /** Give differing members and unmanaged subaccounts their own entries (`export --adopt`). */
  adopt: boolean;
}

interface FleetContext {
  doc: Document;
  neverEnable: ReadonlySet<string>;
  /** Edits made to the file, one line each. */
  changes: string[];
  /** What was found and left as written, one line each. */
  notes: string[];
  /** The names under `accounts:`, so an adopted entry gets a new one. */
  taken: Set<string>;
  /** Entries `--adopt` added, by where they came from, and those that open high-risk voice. */
  adopted: { members: number; unmanaged: number; highRisk: string[] };
}

/** At most this many subaccounts are named in one line; the rest are counted. */
const NAMED = 5;

function named(items: readonly string[]): string {
  const shown = items.slice(0, NAMED).join(', ');
  return items.length > NAMED ? `${shown} and ${items.length - NAMED} more` : shown;
}

/** Adds to `ctx` what the fleet's subaccounts need: adopted entries, notes, the closing comment. */
export function exportFleet(
  edit: Omit<FleetContext, 'taken' | 'adopted'>,
  fleet: FleetExport,
  live: LiveRead,
): void {
  const accounts = edit.doc.get('accounts', true);
  const keys = isMap(accounts)
    ? accounts.items.map((p: Pair) => (p.key as Scalar | null)?.value ?? p.key)
    : [];
  const ctx: FleetContext = {
    ...edit,
    taken: new Set(keys.map(String)),
    adopted: { members: 0, unmanaged: 0, highRisk: [] },
  };
  noteUnlistedAndConflicts(ctx, fleet);
  const differing = new Map<string, { head: string; diffs: string; who: string[] }>();
  for (const member of fleet.members) {
    const state = live.accounts[member.sid];
    const membership = member.fleet;
    if (!state || !membership) continue;
    const diffs = differences(member.voice, member.messaging, state);
    if (diffs.length === 0) continue;
    const through = membership.enforced ? ' (through unmanaged: enforce)' : '';
    if (fleet.adopt) {
      adopt(ctx, state, membership.friendlyName, member.parent, {
        why: `was a member of fleets.${membership.fleet}${through}; differs from it live`,
        said: `was a member of fleets.${membership.fleet}${through}`,
      });
      ctx.adopted.members++;
      continue;
    }
    const head = `fleets.${membership.fleet}${through}`;
    const key = `${head}\n${diffs.join('; ')}`;
    const group = differing.get(key) ?? { head, diffs: diffs.join('; '), who: [] };
    group.who.push(`${membership.friendlyName} (${member.sid})`);
    differing.set(key, group);
  }
  for (const { head, diffs, who } of differing.values())
    ctx.notes.push(
      who.length === 1
        ? `${head}: ${who[0]} differs from the template live (${diffs}); the plan sets it back to the template (--adopt gives it its own entry under accounts:)`
        : `${head}: ${who.length} members differ from the template live the same way (${diffs}): ${named(who)}; the plan sets them back to the template (--adopt gives each its own entry under accounts:)`,
    );
  const listed = unmanaged(ctx, fleet, live);
  noteSuspended(ctx, fleet);
  noteAdopted(ctx);
  replaceClosingComment(ctx.doc, notWrittenBlock({ unmanaged: listed, suspended: fleet.suspended }));
}

/** Unmanaged subaccounts: adopted, or said and returned for the closing comment. */
function unmanaged(ctx: FleetContext, fleet: FleetExport, live: LiveRead) {
  const listed: Array<UnmanagedTarget & { open: string; highRisk: boolean }> = [];
  for (const target of fleet.unmanaged) {
    const state = live.accounts[target.sid];
    if (fleet.adopt && state) {
      adopt(ctx, state, target.friendlyName, target.parent, {
        why: 'was unmanaged (covered by no account or template)',
        said: 'was unmanaged',
      });
      ctx.adopted.unmanaged++;
      continue;
    }
    const error = live.errors.find((e) => e.sid === target.sid)?.message;
    listed.push({
      ...target,
      open: state ? openLists(state) : `not read: ${error ?? 'no answer'}`,
      highRisk: state ? opensHighRisk(state) : false,
    });
  }
  const who = listed.map((u) => `${u.friendlyName} (${u.sid}, subaccount of ${u.parent})`);
  if (who.length === 1)
    ctx.notes.push(
      `unmanaged: ${who[0]} is covered by no account or template; listed at the end of the file, not added (--adopt adds it under accounts:)`,
    );
  else if (who.length > 1)
    ctx.notes.push(
      `unmanaged: ${who.length} subaccounts are covered by no account or template; listed at the end of the file, not added (--adopt adds them under accounts:): ${named(who)}`,
    );
  return listed;
}

/**
 * The last line of an adoption: how many entries it added and which open high-risk voice, which is policy
 * from now on (each is also in its change line, but among thousands of lines it would go unseen).
 */
function noteAdopted({ adopted, notes }: FleetContext): void {
  const { members, unmanaged, highRisk } = adopted;
  if (members + unmanaged === 0) return;
  const from = [
    ...(members > 0 ? [`${members} template member${members === 1 ? '' : 's'} that differed`] : []),
    ...(unmanaged > 0 ? [`${unmanaged} unmanaged subaccount${unmanaged === 1 ? '' : 's'}`] : []),
  ];
  const n = members + unmanaged;
  const risky =
    highRisk.length === 0
      ? 'none opens high-risk voice'
      : `${highRisk.length} of them open${highRisk.length === 1 ? 's' : ''} high-risk voice, now policy: ${named(highRisk)}`;
  notes.push(`--adopt: ${n} entr${n === 1 ? 'y' : 'ies'} added as live (${from.join(', ')}); ${risky}`);
}

function noteSuspended(ctx: FleetContext, fleet: FleetExport): void {
  const who = fleet.suspended.map(
    (s) =>
      `${s.friendlyName} (${s.sid}, subaccount of ${s.parent}, ${s.fleet ? `fleets.${s.fleet}` : 'unmanaged'})`,
  );
  const why = 'Twilio refuses every request of a suspended account';
  if (who.length === 1) ctx.notes.push(`suspended: ${who[0]} was not read (${why})`);
  else if (who.length > 1)
    ctx.notes.push(`suspended: ${who.length} subaccounts were not read (${why}): ${named(who)}`);
}

function noteUnlistedAndConflicts(ctx: FleetContext, fleet: FleetExport): void {
  for (const p of fleet.unlisted)
    ctx.notes.push(
      `fleets: the subaccounts of ${p.parent} (${p.sid}) were not listed (${p.error}), so its template members and unmanaged subaccounts were not exported`,
    );
  for (const c of fleet.conflicts)
    ctx.notes.push(
      `fleets: ${c.friendlyName} (${c.sid}, subaccount of ${c.parent}) is matched by the fleets ${c.fleets.map((f) => `"${f}"`).join(' and ')}, so neither applies and it was not exported: narrow a match or add an except`,
    );
}

/**
 * How live differs from a profile, list by list ("voice.low_risk: FR open live, US off live"). A live
 * subaccount that inherits shows its parent's voice, so only the inheritance itself is compared then.
 */
export function differences(voice: DesiredVoice, messaging: GrantSet, live: LiveAccount): string[] {
  const inheritsLive = live.voiceInheritance === true;
  const out: string[] = [];
  if (live.voiceInheritance !== null && inheritsLive !== voice.inherit)
    out.push(`voice.inherit: ${inheritsLive} live`);
  const lists: ListName[] = [...(voice.inherit || inheritsLive ? [] : VOICE_CATEGORIES), 'messaging'];
  for (const list of lists) {
    const grants = list === 'messaging' ? messaging : voice.inherit ? {} : voice[list];
    const open = enabled(live, list);
    const opened = open.filter((c) => !(c in grants));
    const closed = Object.keys(grants).filter((c) => !open.includes(c));
    const said = [
      ...(opened.length > 0 ? [`${opened.join(', ')} open live`] : []),
      ...(closed.length > 0 ? [`${closed.join(', ')} off live`] : []),
    ];
    if (said.length > 0) out.push(`${list === 'messaging' ? list : `voice.${list}`}: ${said.join(', ')}`);
  }
  return out;
}

/** A new `accounts:` entry for `state`, as live (explicit entries win over templates), and its change line. */
function adopt(
  ctx: FleetContext,
  state: LiveAccount,
  friendlyName: string,
  parent: string | null,
  text: { why: string; said: string },
): void {
  const accounts = ctx.doc.get('accounts', true);
  if (!isMap(accounts)) return; // the policy was just loaded, so it has an accounts mapping
  // Twilio's own friendly name: the one reports use may carry the SID to tell two apart.
  const base = slug(state.identity.friendlyName || friendlyName || state.identity.sid);
  let name = base;
  for (let i = 2; ctx.taken.has(name); i++) name = `${base}-${i}`;
  ctx.taken.add(name);
  const entry = parseDocument(
    `accounts:\n${standaloneEntry(state, name, parent, ctx.neverEnable).join('\n')}\n`,
  ).get('accounts', true) as YAMLMap;
  const pair = entry.items[0] as Pair;
  const key = new Scalar(name);
  key.commentBefore = ` ${text.why}`;
  pair.key = key;
  accounts.items.push(pair);
  const highRisk = (['high_risk_tollfraud', 'high_risk_special'] as const)
    .map((c) => [c, enabled(state, c).filter((iso) => !ctx.neverEnable.has(iso))] as const)
    .filter(([, codes]) => codes.length > 0 && state.voiceInheritance !== true)
    .map(([c, codes]) => `voice.${c} ${codes.join(', ')}`);
  // An inheriting entry writes no voice: what it has open there is its parent's, not left out here.
  const written: ListName[] =
    state.voiceInheritance === true ? ['messaging'] : ['messaging', ...VOICE_CATEGORIES];
  const forbidden = [...new Set(written.flatMap((l) => enabled(state, l)))]
    .filter((iso) => ctx.neverEnable.has(iso))
    .sort();
  if (highRisk.length > 0) ctx.adopted.highRisk.push(`${visible(friendlyName, 64)} (${state.identity.sid})`);
  ctx.changes.push(
    [
      `accounts.${name} (new; ${text.said}): added as live`,
      ...(highRisk.length > 0 ? [`it opens high-risk voice: ${highRisk.join(' and ')}`] : []),
      ...(forbidden.length > 0
        ? [`left out ${forbidden.join(', ')}, open live but in guards.never_enable: plan will disable it`]
        : []),
    ].join('; '),
  );
}

/**
 * The closing comment with this export's block in place of the last one (the user's own comment lines
 * around it stay); none when there is nothing to list.
 */
function replaceClosingComment(doc: Document, block: readonly string[]): void {
  let lines = doc.comment ? doc.comment.split('\n') : [];
  const start = lines.indexOf(NOT_WRITTEN_START);
  const end = lines.indexOf(NOT_WRITTEN_END, start);
  if (start >= 0 && end > start) lines = [...lines.slice(0, start), ...lines.slice(end + 1)];
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const out = block.length > 0 ? [...lines, ...(lines.length > 0 ? [''] : []), ...block] : lines;
  doc.comment = out.length > 0 ? out.join('\n') : null;
}
