// Export onto an existing policy: the file is edited, not rewritten. Account names, groups, guards,
// comments and order stay; only a list live state disagrees with changes, and within it every entry
// (group, continent, code, exception) that live state still agrees with is kept. Each change is said.
import { Scalar, YAMLSeq, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { SuggestionSearch, voiceCoveredBy } from '../catalog/index.js';
import { VOICE_CATEGORIES, type DesiredAccount, type DesiredState, type GrantSet } from '../model/desired.js';
import type { LiveAccount, LiveRead } from '../model/live.js';
import { ListExpander, type Entry } from './expand.js';
import { compress, unsupportedOpen, writable, type ListName } from './export.js';
import { exportFleet, type FleetExport } from './export-fleet.js';
import { SCHEMA_MODELINE } from './json-schema.js';
import { parseYaml, type ParsedYaml, type PolicyPath } from './parse.js';
import { isRecord } from './paths.js';
import { DiagnosticSink } from './sink.js';

export interface PolicyUpdate {
  text: string;
  /** One line per list changed, in file order: what was removed and added, and why; then each entry added. */
  changes: string[];
  /** What was found and left as written: template members that differ, unmanaged and suspended subaccounts. */
  notes: string[];
}

interface Context {
  doc: Document;
  parsed: ParsedYaml;
  expander: ListExpander;
  neverEnable: ReadonlySet<string>;
  changes: string[];
}

/**
 * The policy `text` (already loaded as `desired`) brought in line with `live`, keeping what agrees.
 * `fleet`, when the parents' subaccounts were listed, says what became of those beyond `accounts:`.
 */
export function updatePolicy(
  original: string,
  file: string,
  desired: DesiredState,
  live: LiveRead,
  now: Date,
  fleet: FleetExport | null = null,
): PolicyUpdate {
  // Edited with LF line ends (comments would keep their CR, and the closing block not be found again)
  // and written back with the file's own.
  const crlf = original.includes('\r\n');
  const text = crlf ? original.replace(/\r\n/g, '\n') : original;
  const result = parseYaml(text, file);
  if (!result.ok) throw new Error(`${file}: cannot be parsed again`); // it was just loaded
  const parsed = result.parsed;
  const root = isRecord(parsed.value) ? parsed.value : {};
  // Its diagnostics go nowhere (the policy was just loaded): the horizon only words warnings.
  const options = {
    now,
    mode: 'plan' as const,
    suggestions: new SuggestionSearch(),
    warningDays: desired.expiry.warningDays,
  };
  const ctx: Context = {
    doc: parseDocument(text),
    parsed,
    expander: new ListExpander(root.groups, parsed, new DiagnosticSink(), options),
    neverEnable: new Set(Object.keys(desired.guards.neverEnable)),
    changes: [],
  };
  for (const account of desired.accounts) {
    const state = live.accounts[account.sid];
    if (state) updateAccount(ctx, account, state);
  }
  const notes: string[] = [];
  if (fleet) exportFleet({ ...ctx, notes }, fleet, live);
  const out = ctx.doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
  const withModeline = /^# yaml-language-server: \$schema=/.test(out) ? out : `${SCHEMA_MODELINE}\n${out}`;
  return { text: crlf ? withModeline.replace(/\n/g, '\r\n') : withModeline, changes: ctx.changes, notes };
}

function updateAccount(ctx: Context, account: DesiredAccount, state: LiveAccount): void {
  const unsupported = unsupportedOpen(state);
  if (unsupported) ctx.changes.push(`accounts.${account.name}: ${unsupported}`);
  const inheritsLive = account.parentSid !== null && state.voiceInheritance === true;
  const inherits = account.voice.inherit;
  if (account.parentSid !== null && state.voiceInheritance !== null && inheritsLive !== inherits) {
    ctx.doc.setIn(['accounts', account.name, 'voice', 'inherit'], inheritsLive);
    ctx.changes.push(
      `accounts.${account.name}.voice.inherit: ${inherits} -> ${inheritsLive} (as live${inheritsLive ? "; its own voice lists are removed, the parent's apply" : ''})`,
    );
    if (inheritsLive)
      for (const c of VOICE_CATEGORIES) ctx.doc.deleteIn(['accounts', account.name, 'voice', c]);
  }
  for (const list of [...(inheritsLive ? [] : VOICE_CATEGORIES), 'messaging'] as ListName[]) {
    const grants: GrantSet =
      list === 'messaging' ? account.messaging : account.voice.inherit ? {} : account.voice[list];
    const wanted = writable(state, list);
    if (sameSet(Object.keys(grants), wanted)) continue;
    rewriteList(ctx, account.name, list, state, wanted);
  }
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

const keysOf = (list: ListName): string[] => (list === 'messaging' ? ['messaging'] : ['voice', list]);

/** The items of the list at `path` when it is a list, else null. */
function itemsAt(parsed: ParsedYaml, path: PolicyPath): unknown[] | null {
  let value: unknown = parsed.value;
  for (const key of path) value = isRecord(value) ? value[key as string] : undefined;
  return Array.isArray(value) ? value : null;
}

/** The countries one entry reaches in `list` (voice: CA counts as US, which covers it). */
function reach(entries: readonly Entry[], list: ListName, grantedOnly: boolean): string[] {
  return entries
    .filter((e) => !grantedOnly || !e.exception || e.exception.daysLeft >= 0)
    .map((e) => (list === 'messaging' ? e.country : (voiceCoveredBy(e.country) ?? e.country)));
}

/**
 * The account's own list rebuilt from its current source (its own list, else the default it uses):
 * entries reaching only countries open live are kept as written, the others dropped, and the
 * countries open live that nothing kept reaches are added as codes (continents where whole).
 */
function rewriteList(ctx: Context, name: string, list: ListName, state: LiveAccount, wanted: string[]): void {
  const own: PolicyPath = ['accounts', name, ...keysOf(list)];
  const fromDefaults = itemsAt(ctx.parsed, own) === null;
  const source: PolicyPath = fromDefaults ? ['defaults', ...keysOf(list)] : own;
  const items = itemsAt(ctx.parsed, source) ?? [];
  const node = ctx.doc.getIn(source, true);
  const nodes = isSeq(node) ? (node.items as Node[]) : [];
  const open = new Set(wanted);
  const kept: Node[] = [];
  const reached = new Set<string>();
  const held = new Set<string>(); // open live, but an expired exception of the policy closes it
  const notes: string[] = [];
  items.forEach((item, i) => {
    const entries = ctx.expander.list(source, [item]);
    const countries = reach(entries, list, true);
    const closed = countries.filter((c) => !open.has(c));
    const expired = entries.filter((e) => e.exception && e.exception.daysLeft < 0).map((e) => e.country);
    const label = describeItem(item);
    if (closed.length > 0) {
      notes.push(`removed ${label} (${[...new Set(closed)].sort().join(', ')} off live)`);
      return;
    }
    // A list written as an alias (`low_risk: *eu`) has no item nodes to keep: its codes are added instead.
    const original = nodes[i];
    if (!original) return;
    kept.push(fromDefaults ? (original.clone() as Node) : original);
    for (const c of expired) if (open.has(c)) held.add(c);
    for (const c of countries) reached.add(c);
  });
  const missing = wanted.filter((c) => !reached.has(c) && !held.has(c));
  const forbidden = missing.filter((c) => ctx.neverEnable.has(c));
  const listed = new Set(Object.keys(list === 'messaging' ? state.messaging : state.voice));
  const added = compress(
    missing.filter((c) => !ctx.neverEnable.has(c)),
    listed,
  );
  if (added.length > 0) notes.push(`added ${added.join(', ')} (open live)`);
  if (held.size > 0)
    notes.push(`kept the expired exception for ${[...held].join(', ')}, open live: plan will disable it`);
  if (forbidden.length > 0)
    notes.push(
      `left out ${forbidden.join(', ')}, open live but in guards.never_enable: plan will disable it`,
    );
  const seq = new YAMLSeq<Node>();
  seq.flow = true;
  seq.items.push(...kept, ...added.map((token) => new Scalar(token)));
  ctx.doc.setIn(own, seq);
  const where = `accounts.${name}.${keysOf(list).join('.')}`;
  ctx.changes.push(`${where}${fromDefaults ? ' (was the default, now its own)' : ''}: ${notes.join('; ')}`);
}

function describeItem(item: unknown): string {
  if (typeof item === 'string') return item.startsWith('continent:') ? item : `"${item}"`;
  const country = isRecord(item) && typeof item.country === 'string' ? item.country : '?';
  const expires = isRecord(item) && typeof item.expires === 'string' ? ` until ${item.expires}` : '';
  return `the exception for ${country}${expires}`;
}
