import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { MAX_POLICY_BYTES } from '../model/limits.js';

/** Aliases may be used, but never expanded into more than this many nodes (billion-laughs guard). */
export const MAX_ALIAS_COUNT = 100;

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

type Position = (offset: number) => SourceLocation;

export function parseYaml(text: string, file: string): ParseResult {
  const start = { file, line: 1, column: 1 };
  const tooLarge = sizeRefusal(text, start);
  if (tooLarge) return { ok: false, diagnostics: [tooLarge] };
  const lineCounter = new LineCounter();
  const position: Position = (offset) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const doc = readDocument(text, lineCounter);
  if (!doc.ok) return { ok: false, diagnostics: [unreadable(start, doc.error)] };
  const diagnostics = [...syntaxErrors(doc.doc, position), ...syntaxWarnings(doc.doc, position)];
  if (doc.doc.errors.length > 0) return { ok: false, diagnostics };
  const scan = scanNodes(doc.doc, position);
  // A failed scan is reported alone: what it found before failing is incomplete.
  if (!scan.ok) return { ok: false, diagnostics: [unreadable(start, scan.error)] };
  diagnostics.push(...scan.duplicateKeys);
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

function readDocument(
  text: string,
  lineCounter: LineCounter,
): { ok: true; doc: Document.Parsed } | { ok: false; error: unknown } {
  try {
    return { ok: true, doc: parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false }) };
  } catch (err) {
    // A stack overflow on absurd nesting must end as a message, never as a crash.
    return { ok: false, error: err };
  }
}

function unreadable(start: SourceLocation, err: unknown): Diagnostic {
  return error(start, `the YAML could not be read (${describe(err)}): simplify the file`);
}

/** The parser's errors, each phrased as what to fix. */
function syntaxErrors(doc: Document.Parsed, position: Position): Diagnostic[] {
  return doc.errors.map((e) => {
    const hint = /^Flow (sequence|mapping)/.test(e.message)
      ? 'a flow collection ([...] or {...}) is not closed: add the missing ] or }'
      : (YAML_HINTS[e.code] ?? `${firstLine(e.message)}: fix the YAML syntax`);
    return error(position(e.pos[0]), `YAML syntax: ${hint}`);
  });
}

function syntaxWarnings(doc: Document.Parsed, position: Position): Diagnostic[] {
  return doc.warnings.map((w) => ({
    severity: 'warning',
    message: `YAML: ${firstLine(w.message)}`,
    location: position(w.pos[0]),
  }));
}

/** One walk over the nodes: where the first alias is (for the alias-bomb message), and every repeated key. */
function scanNodes(
  doc: Document.Parsed,
  position: Position,
):
  | { ok: true; firstAlias: SourceLocation | null; duplicateKeys: Diagnostic[] }
  | { ok: false; error: unknown } {
  let firstAlias: SourceLocation | null = null;
  const duplicateKeys: Diagnostic[] = [];
  try {
    visit(doc, {
      Alias(_, node) {
        firstAlias ??= position(node.range?.[0] ?? 0);
      },
      Map(_, node) {
        duplicateKeys.push(...repeatedKeys(node, position));
      },
    });
  } catch (err) {
    return { ok: false, error: err };
  }
  return { ok: true, firstAlias, duplicateKeys };
}

/** An error at each key that repeats an earlier key of the same mapping. */
function repeatedKeys(node: YAMLMap, position: Position): Diagnostic[] {
  const seen = new Set<string>();
  const repeated: Diagnostic[] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : null;
    if (key === null) continue;
    if (seen.has(key)) {
      repeated.push(
        error(
          position((pair.key as YamlNode).range?.[0] ?? 0),
          `duplicate key "${key}": each key may appear once in a mapping; merge the two entries (the last one would win)`,
        ),
      );
    }
    seen.add(key);
  }
  return repeated;
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
      if (isAlias(node)) node = node.resolve(doc);
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
    for (const pair of map.items) if (isScalar(pair.key)) byKey.set(String(pair.key.value), pair);
    pairsByKeyCache.set(map, byKey);
  }
  return byKey;
}
