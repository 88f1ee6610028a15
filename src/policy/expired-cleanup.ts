// The clean-up of expired exceptions: the policy file with every expired exception entry cut out and
// every other byte kept (comments, order, quoting, flow or block style, blank lines). The yaml Document
// finds the entries and their exact source ranges; the edit cuts those ranges out of the text itself,
// because re-serialising a Document (as export-update.ts does) re-spaces and re-indents what it prints.
// Pure: the clock is the caller's.
import { LineCounter, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Node as YamlNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type {
  EmptiedList,
  ExceptionUse,
  ExpiredCleanup,
  ExpiredCleanupResult,
  LeftException,
  RemovedException,
} from '../model/cleanup.js';
import { VOICE_CATEGORIES, type DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostics.js';
import { daysUntil, parseIsoDate } from './dates.js';
import { loadPolicy } from './load.js';

/** One allow-list of the file: its path, its node, and where its key ends (to write `[]` after the colon). */
interface AllowList {
  path: string;
  seq: YAMLSeq;
  key: YamlNode;
}

interface Entry {
  index: number;
  node: YAMLMap;
  country: string;
  expires: string;
  reason: string | null;
  ticket: string | null;
}

/** A range of the text to replace: `[start, end)` becomes `insert`. */
interface Cut {
  start: number;
  end: number;
  insert: string;
}

interface Edit {
  text: string;
  /** The groups a guard list reaches (their entries count in it, expired or not), each with that guard. */
  guarded: Map<string, string>;
  lineCounter: LineCounter;
  file: string;
  cuts: Cut[];
  removed: Array<RemovedException & { offset: number }>;
  emptied: EmptiedList[];
  left: LeftException[];
}

/**
 * `text` (the policy `file`) without its exceptions expired at `now` (an exception counts until the end of
 * its `expires` day, UTC, as everywhere else). Refused when the policy does not load, or when the edited
 * file would not load or would grant anything differently (expired exceptions grant nothing already, so a
 * correct edit changes no permission): then nothing is proposed.
 */
export function removeExpiredExceptions(text: string, file: string, now: Date): ExpiredCleanupResult {
  const before = loadPolicy(text, file, { now, mode: 'plan' }).desired;
  if (!before) return { ok: false, reason: `${file} does not load: fix its errors first` };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, logLevel: 'error' });
  const guarded = guardedGroups(doc.toJS());
  const edit: Edit = { text, guarded, lineCounter, file, cuts: [], removed: [], emptied: [], left: [] };
  for (const list of allowLists(doc.contents)) editList(edit, list, now);
  const out = applyCuts(text, edit.cuts);
  const uses = usesByLocation(before);
  const removed = edit.removed
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset: _offset, ...entry }) => ({
      ...entry,
      uses: uses.get(locationKey(entry.location)) ?? [],
    }));
  const cleanup: ExpiredCleanup = {
    policyFile: file,
    text: out,
    removed,
    emptied: edit.emptied,
    left: edit.left,
  };
  if (removed.length === 0) return { ok: true, cleanup };
  const after = loadPolicy(out, file, { now, mode: 'plan' }).desired;
  if (!after || stateOf(after) !== stateOf(before))
    return {
      ok: false,
      reason: `removing the expired exceptions from ${file} would ${after ? 'change what it grants or guards' : 'make it invalid'}; it was left as it is (please report this)`,
    };
  return { ok: true, cleanup };
}

const keyOf = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : '');
const pairOf = (map: unknown, key: string): Pair | undefined =>
  isMap(map) ? map.items.find((p) => keyOf(p) === key) : undefined;

/**
 * Every allow-list written in the file: groups, defaults, accounts and fleet templates. A list written as
 * an alias is the anchored list, found where it is written; aliases of it are not lists of their own.
 */
function allowLists(root: unknown): AllowList[] {
  const lists: AllowList[] = [];
  const add = (path: string, pair: Pair | undefined) => {
    if (pair && isSeq(pair.value)) lists.push({ path, seq: pair.value, key: pair.key as YamlNode });
  };
  const profile = (base: string, node: unknown) => {
    const voice = pairOf(node, 'voice')?.value;
    for (const category of VOICE_CATEGORIES) add(`${base}.voice.${category}`, pairOf(voice, category));
    add(`${base}.messaging`, pairOf(node, 'messaging'));
  };
  const named = (section: string) => {
    const map = pairOf(root, section)?.value;
    return isMap(map) ? map.items : [];
  };
  for (const pair of named('groups')) add(`groups.${keyOf(pair)}`, pair);
  profile('defaults', pairOf(root, 'defaults')?.value);
  for (const pair of named('accounts')) profile(`accounts.${keyOf(pair)}`, pair.value);
  for (const pair of named('fleets')) profile(`fleets.${keyOf(pair)}`, pair.value);
  return lists;
}

/**
 * The groups each guard list (`guards.never_enable`, …) names, and the groups those name: a guard counts
 * every entry of them, an expired exception too, so cutting one out would change the guard.
 */
function guardedGroups(data: unknown): Map<string, string> {
  const record = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const groups = record(record(data).groups);
  const guarded = new Map<string, string>();
  for (const [key, list] of Object.entries(record(record(data).guards))) {
    const pending = Array.isArray(list) ? [...list] : [];
    while (pending.length > 0) {
      const name = pending.pop();
      if (typeof name !== 'string' || !Object.hasOwn(groups, name) || guarded.has(name)) continue;
      guarded.set(name, `guards.${key}`);
      const items = groups[name];
      if (Array.isArray(items)) pending.push(...items);
    }
  }
  return guarded;
}

/** The first anchor on `node` or anything inside it: an alias elsewhere may use it, so it is not cut. */
function anchorIn(node: YamlNode): string | null {
  let found: string | null = null;
  visit(node, {
    Node(_, n) {
      if (!n.anchor) return undefined;
      found = n.anchor;
      return visit.BREAK;
    },
  });
  return found;
}

/** Why an expired entry stays: an anchor in it, or a guard that counts it; null when it can be cut. */
function keptBecause(edit: Edit, list: AllowList, entry: Entry): string | null {
  const anchor = anchorIn(entry.node);
  if (anchor)
    return `it carries the anchor &${anchor}, which an alias may use: remove it and its aliases by hand`;
  const guard = list.path.startsWith('groups.') ? edit.guarded.get(list.path.slice(7)) : undefined;
  if (guard) return `${guard} counts it (through its group): remove it by hand, and check the guard`;
  return null;
}

/** The exception at `item` when it has expired at `now`; null for anything else (codes, groups, live ones). */
function expiredEntry(item: unknown, index: number, now: Date): Entry | null {
  if (!isMap(item)) return null;
  const value = (key: string): unknown => {
    const node = item.get(key, true);
    return isScalar(node) ? node.value : undefined;
  };
  const [country, expires, reason, ticket] = ['country', 'expires', 'reason', 'ticket'].map(value);
  if (typeof country !== 'string' || typeof expires !== 'string') return null;
  const expiresMs = parseIsoDate(expires);
  if (expiresMs === null || daysUntil(expiresMs, now) >= 0) return null;
  return {
    index,
    node: item,
    country,
    expires,
    reason: typeof reason === 'string' ? reason : null,
    ticket: typeof ticket === 'string' || typeof ticket === 'number' ? String(ticket) : null,
  };
}

function position(edit: Edit, offset: number): SourceLocation {
  const { line, col } = edit.lineCounter.linePos(offset);
  return { file: edit.file, line, column: col };
}

/** Plans the cuts of one list: its expired entries, or the whole list as `[]` when nothing else is in it. */
function editList(edit: Edit, list: AllowList, now: Date): void {
  const expired = list.seq.items.flatMap((item, i) => expiredEntry(item, i, now) ?? []);
  const removable: Entry[] = [];
  for (const entry of expired) {
    const why = keptBecause(edit, list, entry);
    if (why) edit.left.push(leftOf(edit, list, entry, why));
    else removable.push(entry);
  }
  if (removable.length === 0) return;
  const all = removable.length === list.seq.items.length;
  const cuts = list.seq.flow
    ? flowCuts(edit.text, list.seq, removable, all)
    : blockCuts(edit, list, removable, all);
  if (!cuts) {
    const why = 'it is written in a form this edit does not cut safely: remove it by hand';
    for (const entry of removable) edit.left.push(leftOf(edit, list, entry, why));
    return;
  }
  edit.cuts.push(...cuts);
  for (const e of removable) {
    const offset = e.node.range?.[0] ?? 0;
    const { index: _index, node: _node, ...fields } = e;
    edit.removed.push({ ...fields, list: list.path, location: position(edit, offset), uses: [], offset });
  }
  if (all) edit.emptied.push({ list: list.path, location: position(edit, list.key.range?.[0] ?? 0) });
}

function leftOf(edit: Edit, list: AllowList, entry: Entry, why: string): LeftException {
  const location = position(edit, entry.node.range?.[0] ?? 0);
  return { country: entry.country, expires: entry.expires, list: list.path, location, why };
}

// ---- lines ----

/** The offset just past the line holding `offset` (its newline included), or the end of the text. */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

const lineStart = (text: string, offset: number): number => text.lastIndexOf('\n', offset - 1) + 1;
const lineText = (text: string, start: number): string =>
  text.slice(start, lineEnd(text, start)).replace(/\r?\n$/, '');
const isComment = (line: string): boolean => /^[ \t]*#/.test(line);
const indentOf = (line: string): number => line.length - line.trimStart().length;

/** From `start` (a line start), up over the comment lines right above it written at `column`. */
function withCommentsAbove(text: string, start: number, column: number): number {
  let at = start;
  while (at > 0) {
    const previous = lineStart(text, at - 1);
    const line = lineText(text, previous);
    if (!isComment(line) || indentOf(line) !== column) break;
    at = previous;
  }
  return at;
}

// ---- block lists: an entry is its lines ----

/**
 * An entry of a block list is whole lines: from its `-` to the end of its last line, with the comment
 * lines right above it at the dash's column (they describe it) and those right below it indented deeper
 * (they are inside it). Null when its dash does not open its line (then the text is not cut).
 */
function blockItemSpan(text: string, node: YamlNode): { start: number; end: number } | null {
  const [from, valueEnd] = node.range ?? [0, 0];
  let dash = from - 1;
  while (dash >= 0 && /[ \t\r\n]/.test(text[dash]!)) dash--;
  if (text[dash] !== '-') return null;
  const start = lineStart(text, dash);
  if (text.slice(start, dash).trim() !== '') return null;
  const column = dash - start;
  let last = valueEnd - 1;
  while (last > from && /\s/.test(text[last]!)) last--;
  let end = lineEnd(text, last);
  while (end < text.length && isComment(lineText(text, end)) && indentOf(lineText(text, end)) > column)
    end = lineEnd(text, end);
  return { start: withCommentsAbove(text, start, column), end };
}

/** Where `[]` goes when a block list loses every entry: after its key's colon and any anchor or tag. */
function emptyListAt(text: string, key: YamlNode): number | null {
  const keyEnd = key.range?.[1] ?? 0;
  const m = /^[ \t]*:((?:[ \t]+[&!][^\s#]*)*)[ \t]*(?:#.*)?\r?$/.exec(lineText(text, keyEnd));
  return m ? text.indexOf(':', keyEnd) + 1 + m[1]!.length : null;
}

function blockCuts(edit: Edit, list: AllowList, entries: Entry[], all: boolean): Cut[] | null {
  const cuts: Cut[] = [];
  for (const entry of entries) {
    const span = blockItemSpan(edit.text, entry.node);
    if (!span) return null;
    cuts.push({ ...span, insert: '' });
  }
  if (all) {
    const at = emptyListAt(edit.text, list.key);
    if (at === null) return null;
    cuts.push({ start: at, end: at, insert: ' []' });
  }
  return cuts;
}

// ---- flow lists: an entry and one comma ----

/**
 * The cuts of a flow list (`[US, {country: CU, …}]`). Emptied: `[]`. Otherwise each run of removed
 * entries: whole lines when the run has its lines to itself (a list written one entry a line), else the
 * entries with the comma after them (or, at the end of the list, the comma before them).
 */
function flowCuts(text: string, seq: YAMLSeq, entries: Entry[], all: boolean): Cut[] | null {
  if (all) {
    const [start, end] = seq.range ?? [0, 0];
    return text[start] === '[' && text[end - 1] === ']' ? [{ start, end, insert: '[]' }] : null;
  }
  const items = seq.items as YamlNode[];
  const removed = new Set(entries.map((e) => e.index));
  const cuts: Cut[] = [];
  for (let a = 0; a < items.length; a++) {
    if (!removed.has(a)) continue;
    let b = a;
    while (removed.has(b + 1)) b++;
    cuts.push(flowRunCut(text, items, a, b));
    a = b;
  }
  return cuts;
}

function flowRunCut(text: string, items: YamlNode[], a: number, b: number): Cut {
  const first = items[a]!.range![0];
  const last = items[b]!.range![1];
  const start = lineStart(text, first);
  const ownLines =
    text.slice(start, first).trim() === '' && /^[ \t]*,?[ \t]*(#.*)?\r?$/.test(lineText(text, last));
  if (ownLines)
    return { start: withCommentsAbove(text, start, first - start), end: lineEnd(text, last), insert: '' };
  const next = items[b + 1];
  if (next) {
    // A line break before the next entry: the cut stops at it, so the lines above that entry (a comment
    // describing it) stay where they are.
    const lineBreak = text.slice(last, next.range![0]).search(/\r?\n/);
    if (lineBreak < 0) return { start: first, end: next.range![0], insert: '' };
    return { start: blanksBefore(text, first), end: last + lineBreak, insert: '' };
  }
  const previousEnd = items[a - 1]!.range![1];
  if (!text.slice(previousEnd, first).includes('#')) return { start: previousEnd, end: last, insert: '' };
  // A comment after the entry before belongs to it: cut only the run (and its trailing comma, if any).
  const comma = /^[ \t]*,/.exec(text.slice(last));
  return { start: first, end: last + (comma ? comma[0].length : 0), insert: '' };
}

/** The start of the spaces and tabs right before `offset`. */
function blanksBefore(text: string, offset: number): number {
  let at = offset;
  while (at > 0 && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--;
  return at;
}

/** The text with each cut made; cuts never overlap (each list's are its own, apart from the others'). */
function applyCuts(text: string, cuts: readonly Cut[]): string {
  let out = text;
  for (const cut of [...cuts].sort((x, y) => y.start - x.start || y.end - x.end))
    out = out.slice(0, cut.start) + cut.insert + out.slice(cut.end);
  return out;
}

// ---- what the entries granted, and the check that the edit grants the same ----

const locationKey = (l: SourceLocation): string => `${l.line}:${l.column}`;

/** The lists each expired entry granted, by where the entry is written (a group's: each list using it). */
function usesByLocation(desired: DesiredState): Map<string, ExceptionUse[]> {
  const uses = new Map<string, ExceptionUse[]>();
  for (const e of desired.expiring) {
    if (e.daysLeft >= 0) continue;
    const key = locationKey(e.location);
    const list = uses.get(key) ?? [];
    if (!list.some((u) => u.account === e.account && u.list === e.list))
      list.push({ account: e.account, list: e.list });
    uses.set(key, list);
  }
  return uses;
}

/**
 * Everything the policy loads as, but where it is written and what concerns only expired exceptions
 * (their list and their warnings): accounts, templates, their grants, the guards, `unmanaged:` and
 * `expired:`. A correct edit leaves it as it was.
 */
function stateOf(desired: DesiredState): string {
  const { warnings: _warnings, expiring, ...rest } = desired;
  const isLocation = (v: object) =>
    Object.keys(v).length === 3 && 'file' in v && 'line' in v && 'column' in v;
  return JSON.stringify(
    { ...rest, expiring: expiring.filter((e) => e.daysLeft >= 0) },
    (_key, value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      if (isLocation(value)) return null;
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    },
  );
}
