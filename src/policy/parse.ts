import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  visit,
  YAMLParseError,
} from 'yaml';
import type { Alias, CST, Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { excerpt, visible } from '../model/diagnostics.js';
import { MAX_POLICY_BYTES } from '../model/limits.js';

/** Aliases may be used, but never expanded into more than this many nodes (billion-laughs guard). */
const MAX_ALIAS_COUNT = 100;

/**
 * Lists and mappings nest at most this deep, aliases expanded (a policy needs 6). Checked before
 * anything recursive runs: composing the YAML, converting it, validating it (issue 10, item 11e).
 */
export const MAX_NESTING = 64;

/**
 * A policy uses at most this many aliases (`*name`; a policy needs a handful, groups do the rest): the
 * yaml library resolves each one by a search of the document's anchors and aliases, so tens of thousands
 * took seconds to minutes to check. Counted in the first walk, before anything resolves them.
 */
export const MAX_ALIASES = 500;

// logLevel 'error': the yaml library would otherwise print its warnings with process.emitWarning.
const YAML_OPTIONS = { uniqueKeys: false, logLevel: 'error' } as const;

export type PolicyPath = readonly (string | number)[];

/** A YAML document turned into plain data, with a way back from any path to its file:line:col. */
export interface ParsedYaml {
  value: unknown;
  /** Where the node at `path` starts; `key` points at the map key instead of its value. */
  locate(path: PolicyPath, part?: 'key' | 'value'): SourceLocation;
}

export type ParseResult =
  { ok: true; parsed: ParsedYaml; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const YAML_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'a tab is used for indentation; YAML indents with spaces only: replace the tab with spaces',
  MULTIPLE_DOCS: 'the file holds more than one YAML document (a "---" line); keep one policy per file',
  BAD_INDENT: 'bad indentation; align each key under its siblings with spaces',
  MISSING_CHAR: 'a closing character is missing; check brackets, braces and quotes',
  DUPLICATE_KEY: 'duplicate key; each key may appear once: merge the two entries',
};

const TOO_DEEP = `lists and mappings nest deeper than ${MAX_NESTING} levels (a policy needs 6): flatten the file`;

type Position = (offset: number) => SourceLocation;

export function parseYaml(text: string, file: string): ParseResult {
  const start = { file, line: 1, column: 1 };
  const refused = sizeRefusal(text, start) ?? binaryRefusal(text, file);
  if (refused) return { ok: false, diagnostics: [refused] };
  const lineCounter = new LineCounter();
  const position: Position = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const doc = readDocument(text, lineCounter, position);
  if (!doc.ok) return { ok: false, diagnostics: [doc.error] };
  const diagnostics = [...syntaxErrors(doc.doc, position), ...syntaxWarnings(doc.doc, position)];
  if (doc.doc.errors.length > 0) return { ok: false, diagnostics };
  const scan = scanNodes(doc.doc, position);
  // A failed scan is reported alone: what it found before failing is incomplete.
  if (!scan.ok) return { ok: false, diagnostics: [unreadable(start, scan.error)] };
  diagnostics.push(...scan.duplicateKeys);
  // A node that cannot become policy data (a list as a key, an alias to nowhere) ends the parse.
  if (scan.fatal.length > 0) return { ok: false, diagnostics: [...diagnostics, ...scan.fatal] };
  const value = toPlainData(doc.doc, scan.firstAlias ?? start);
  if (!value.ok) return { ok: false, diagnostics: [...diagnostics, value.error] };
  return { ok: true, parsed: { value: value.value, locate: locator(doc.doc, position) }, diagnostics };
}

/** Refuse larger files outright: a policy is a few kB, and the bound keeps parsing fast and safe. */
function sizeRefusal(text: string, start: SourceLocation): Diagnostic | null {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes <= MAX_POLICY_BYTES) return null;
  return error(
    start,
    `the file is ${bytes} bytes, over the 1 MiB (${MAX_POLICY_BYTES} bytes) limit for a policy: use groups and continents instead of long lists`,
  );
}

/** A NUL is never in UTF-8 text: the file is UTF-16 (every other byte of ASCII is 0) or binary. */
function binaryRefusal(text: string, file: string): Diagnostic | null {
  const at = text.indexOf('\u0000');
  if (at < 0) return null;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return error(
    { file, line, column: at - lineStart + 1 },
    'the file holds a NUL character, so it is not UTF-8 text (UTF-16, or binary): save the policy as UTF-8',
  );
}

/**
 * parseDocument, in its two steps: the YAML parser (iterative) builds the syntax tree, whose depth is
 * checked before the composer (recursive) builds the document from it.
 */
function readDocument(
  text: string,
  lineCounter: LineCounter,
  position: Position,
): { ok: true; doc: Document.Parsed } | { ok: false; error: Diagnostic } {
  try {
    const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
    const tooDeep = deepestToken(tokens);
    if (tooDeep !== null) return { ok: false, error: error(position(tooDeep), TOO_DEEP) };
    let doc: Document.Parsed | null = null;
    for (const next of new Composer(YAML_OPTIONS).compose(tokens, true, text.length)) {
      if (doc === null) doc = next;
      else {
        const range: [number, number] = [next.range[0], next.range[1]];
        doc.errors.push(new YAMLParseError(range, 'MULTIPLE_DOCS', 'Source contains multiple documents'));
        break;
      }
    }
    // compose(…, forceDoc = true) always yields a document, even for an empty file.
    return { ok: true, doc: doc as Document.Parsed };
  } catch (err) {
    // Past the checks, anything the library throws still ends as a message, never as a crash.
    return { ok: false, error: unreadable(position(0), err) };
  }
}

/**
 * The offset of the first collection (in file order) nested deeper than MAX_NESTING, or null; walked
 * without recursion, each level pushed in reverse so the stack pops it in file order.
 */
function deepestToken(tokens: readonly CST.Token[]): number | null {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens
    .map((token) => ({ token, depth: 0 }))
    .reverse();
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (!token) continue;
    if (token.type === 'document') stack.push({ token: token.value, depth });
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')
      continue;
    if (depth + 1 > MAX_NESTING) return token.offset;
    for (const item of [...token.items].reverse()) {
      stack.push({ token: item.value, depth: depth + 1 });
      if ('key' in item) stack.push({ token: item.key ?? undefined, depth: depth + 1 });
    }
  }
  return null;
}

function unreadable(start: SourceLocation, err: unknown): Diagnostic {
  return error(start, `the YAML could not be read (${visible(describe(err), 80)}): simplify the file`);
}

/** The parser's errors, each phrased as what to fix; the library's own words quote at most an excerpt. */
function syntaxErrors(doc: Document.Parsed, position: Position): Diagnostic[] {
  return doc.errors.map((e) => {
    const hint = /^Flow (sequence|mapping)/.test(e.message)
      ? 'a flow collection ([...] or {...}) is not closed: add the missing ] or }'
      : (YAML_HINTS[e.code] ?? `${visible(firstLine(e.message), 80)}: fix the YAML syntax`);
    return error(position(e.pos[0]), `YAML syntax: ${hint}`);
  });
}

function syntaxWarnings(doc: Document.Parsed, position: Position): Diagnostic[] {
  return doc.warnings.map((w) => ({
    severity: 'warning',
    message: `YAML: ${visible(firstLine(w.message), 80)}`,
    location: position(w.pos[0]),
  }));
}

interface Scan {
  ok: true;
  firstAlias: SourceLocation | null;
  duplicateKeys: Diagnostic[];
  /** Nodes that cannot become policy data: each ends the parse. */
  fatal: Diagnostic[];
}

/** One walk over the nodes: the first alias (for the alias-bomb message), repeated keys, and nodes no policy can hold. */
function scanNodes(doc: Document.Parsed, position: Position): Scan | { ok: false; error: unknown } {
  const scan: Scan = { ok: true, firstAlias: null, duplicateKeys: [], fatal: [] };
  let aliases = 0;
  const at = (node: unknown) => position((node as YamlNode | null)?.range?.[0] ?? 0);
  try {
    visit(doc, {
      Alias(_, node) {
        scan.firstAlias ??= at(node);
        if (++aliases > MAX_ALIASES) {
          scan.fatal.push(
            error(
              at(node),
              `more than ${MAX_ALIASES} YAML aliases (this is "*${excerpt(node.source, 40)}"): a policy may use at most ${MAX_ALIASES}; use groups instead`,
            ),
          );
          return visit.BREAK;
        }
        if (!resolveAlias(doc, node)) {
          const name = excerpt(node.source, 40);
          scan.fatal.push(
            error(
              at(node),
              `unknown alias "*${name}": define the anchor "&${name}" before the alias uses it`,
            ),
          );
        }
      },
      Pair(_, pair) {
        const problem = keyProblem(doc, pair) ?? mergeProblem(doc, pair);
        if (problem) scan.fatal.push(error(at(pair.key ?? pair.value), problem));
      },
      Map(_, node) {
        scan.duplicateKeys.push(...repeatedKeys(node, position));
      },
    });
    if (scan.firstAlias && scan.fatal.length === 0) scan.fatal.push(...aliasProblems(doc, at));
  } catch (err) {
    return { ok: false, error: err };
  }
  return scan;
}

/** Keys become names in the policy: a list, a mapping or nothing as a key is never one. */
function keyProblem(doc: Document.Parsed, pair: Pair): string | null {
  const key = isAlias(pair.key) ? resolveAlias(doc, pair.key) : pair.key;
  if (isAlias(pair.key) && !key) return null; // an alias to no anchor: reported as such
  if (isMap(key) || isSeq(key)) {
    return 'a list or mapping is used as a key: a key is a name; write it as plain text';
  }
  if (!isScalar(key) || key.value === null) return 'a key is empty: write a name before the ":"';
  return null;
}

/** A YAML 1.1 merge key (`<<`) takes a mapping, an alias of one, or a list of those. */
function mergeProblem(doc: Document.Parsed, pair: Pair): string | null {
  if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol') return null;
  const isMapping = (node: unknown) => isMap(isAlias(node) ? resolveAlias(doc, node) : node);
  const value = isAlias(pair.value) ? resolveAlias(doc, pair.value) : pair.value;
  if (isMapping(value) || (isSeq(value) && value.items.every(isMapping))) return null;
  return 'a "<<" merge key takes a mapping or an alias of one (<<: *name), or a list of them: write the keys out instead';
}

/**
 * Aliases can nest what they name inside itself (`&a [*a]`, an endless loop) or stack up nesting the
 * syntax never shows: both are refused before the document is expanded into data.
 */
function aliasProblems(doc: Document.Parsed, at: (node: unknown) => SourceLocation): Diagnostic[] {
  const found = expandedDepth(doc);
  if (found === null) return [];
  if (found.kind === 'cycle') {
    const name = excerpt(found.node.source, 40);
    return [
      error(
        at(found.node),
        `the alias "*${name}" is inside the node its anchor "&${name}" names, an endless loop: write the value out instead`,
      ),
    ];
  }
  return [error(at(found.node), `once aliases are expanded, ${TOO_DEEP}`)];
}

type DepthProblem = { kind: 'cycle'; node: { source: string } } | { kind: 'deep'; node: unknown };

/** Nesting with every alias expanded, each node measured once; walked without recursion. */
function expandedDepth(doc: Document.Parsed): DepthProblem | null {
  const depthOf = new Map<unknown, number>();
  const open = new Set<unknown>();
  type Frame = { node: unknown; children: unknown[]; next: number; deepest: number };
  const frame = (node: unknown): Frame => ({ node, children: childrenOf(doc, node), next: 0, deepest: 0 });
  const stack: Frame[] = [frame(doc.contents)];
  open.add(doc.contents);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      const known = depthOf.get(child);
      if (known !== undefined) top.deepest = Math.max(top.deepest, known);
      else if (open.has(child)) return { kind: 'cycle', node: top.node as { source: string } };
      else if (child !== null && child !== undefined) {
        open.add(child);
        stack.push(frame(child));
      }
      continue;
    }
    stack.pop();
    open.delete(top.node);
    // A level per list or mapping, as in the syntax; a mapping's pairs and an alias add none.
    const depth = top.deepest + (isMap(top.node) || isSeq(top.node) ? 1 : 0);
    if (depth > MAX_NESTING) return { kind: 'deep', node: top.node };
    depthOf.set(top.node, depth);
    const parent = stack[stack.length - 1];
    if (parent) parent.deepest = Math.max(parent.deepest, depth);
  }
  return null;
}

function childrenOf(doc: Document.Parsed, node: unknown): unknown[] {
  if (isAlias(node)) return [resolveAlias(doc, node)];
  if (isMap(node) || isSeq(node)) return node.items as unknown[];
  if (isPair(node)) return [node.key, node.value];
  return [];
}

/** An error at each key that repeats an earlier key of the same mapping. */
function repeatedKeys(node: YAMLMap, position: Position): Diagnostic[] {
  const seen = new Set<string>();
  const repeated: Diagnostic[] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? keyText(pair.key.value) : null;
    if (key === null) continue;
    if (seen.has(key)) {
      repeated.push(
        error(
          position((pair.key as YamlNode).range?.[0] ?? 0),
          `duplicate key "${excerpt(key)}": each key may appear once in a mapping; merge the two entries (the last one would win)`,
        ),
      );
    }
    seen.add(key);
  }
  return repeated;
}

/** A key as the converted data names it; the YAML 1.1 merge key is a Symbol in the library, "<<" here. */
function keyText(value: unknown): string {
  return typeof value === 'symbol' ? (value.description ?? '<<') : String(value);
}

/** The document as plain data, with aliases expanded at most MAX_ALIAS_COUNT times. */
function toPlainData(
  doc: Document.Parsed,
  aliasAt: SourceLocation,
): { ok: true; value: unknown } | { ok: false; error: Diagnostic } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      return {
        ok: false,
        error: error(
          aliasAt,
          `YAML aliases expand to too many nodes (over ${MAX_ALIAS_COUNT}, a resource-exhaustion guard): write the lists out or use groups`,
        ),
      };
    }
    return { ok: false, error: unreadable(aliasAt, err) };
  }
}

/** Finds where the node at a path starts; a path that leaves the document stops at its last node found. */
function locator(doc: Document.Parsed, position: Position): ParsedYaml['locate'] {
  return (path, part = 'value') => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as YamlNode | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = resolveAlias(doc, node);
      const segment = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = pairsByKey(node).get(String(segment));
        if (!pair) break;
        const keyNode = pair.key as YamlNode;
        if (last && part === 'key') return position(keyNode.range?.[0] ?? offset);
        node = pair.value;
        // A key with no value (`sid:`) has no range of its own: point at the key.
        offset = (pair.value as YamlNode | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | undefined;
        if (!item) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else {
        break;
      }
    }
    return position(offset);
  };
}

function error(location: SourceLocation, message: string): Diagnostic {
  return { severity: 'error', message, location };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// A mapping's pairs by key, built on first use: locate runs for every diagnostic, and scanning a
// mapping of thousands of accounts each time made validating a large policy quadratic.
const pairsByKeyCache = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The last pair of each key wins, as the parsed value's does. */
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let byKey = pairsByKeyCache.get(map);
  if (!byKey) {
    byKey = new Map();
    for (const pair of map.items) if (isScalar(pair.key)) byKey.set(keyText(pair.key.value), pair);
    pairsByKeyCache.set(map, byKey);
  }
  return byKey;
}

// The yaml library's Alias.resolve(doc) walks the whole document for every alias, so a policy of
// thousands of aliases took minutes to check. One walk per document resolves them all, with the same
// rule: an alias names the last node before it that carries its anchor.
const aliasTargets = new WeakMap<Document.Parsed, Map<Alias, YamlNode | undefined>>();

function resolveAlias(doc: Document.Parsed, alias: Alias): YamlNode | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) {
    const found = new Map<Alias, YamlNode | undefined>();
    const anchors = new Map<string, YamlNode>();
    visit(doc, {
      Node(_, node) {
        if (isAlias(node)) found.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
    targets = found;
    aliasTargets.set(doc, targets);
  }
  return targets.get(alias);
}
