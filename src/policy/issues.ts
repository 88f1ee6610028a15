import * as z from 'zod';
import type { Diagnostic } from '../model/diagnostics.js';
import { excerpt, visible } from '../model/diagnostics.js';
import { SuggestionSearch } from '../catalog/index.js';
import type { ParsedYaml, PolicyPath } from './parse.js';
import { describeValue, formatPath, isRecord, literal } from './paths.js';
import { ACCOUNT_SID } from '../model/patterns.js';
import { EXPIRY_WARNING_DAYS } from '../model/defaults.js';
import { ALL_WORD, CONTROL_CHARACTER, MAX_EXPIRY_WARNING_DAYS } from './schema.js';

type Issue = z.core.$ZodIssue;

/** Turns zod's issues into diagnostics that point at the YAML node and say what to do. */
export function issuesToDiagnostics(
  issues: readonly Issue[],
  schema: z.ZodType,
  parsed: ParsedYaml,
): Diagnostic[] {
  return issues.flatMap((issue) => describeIssue(issue, schema, parsed));
}

type IssueOf<Code extends Issue['code']> = Extract<Issue, { code: Code }>;

/** What every message about one issue draws on: the path, the value found there, and where to point. */
interface IssueSite {
  path: PolicyPath;
  value: unknown;
  /** The path as the policy reads, e.g. accounts.production.sid. */
  where: string;
  last: string | number | undefined;
  schema: z.ZodType;
  parsed: ParsedYaml;
}

function describeIssue(issue: Issue, schema: z.ZodType, parsed: ParsedYaml): Diagnostic[] {
  const path = issue.path as PolicyPath;
  const site: IssueSite = {
    path,
    value: valueAt(parsed.value, path),
    where: formatPath(path),
    last: path[path.length - 1],
    schema,
    parsed,
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeys(issue, site);
    case 'invalid_type':
      return [invalidType(issue, site)];
    case 'invalid_union':
      return invalidUnion(issue, site);
    case 'invalid_value':
      return [problem(site, invalidValue(issue, site))];
    case 'invalid_format':
      return [problem(site, allInMatch(site) ?? invalidFormat(site))];
    case 'too_small':
    case 'too_big':
      return [problem(site, outOfRange(site))];
    default:
      return [
        problem(
          site,
          `${site.where}: ${visible(issue.message, 120)} (see the policy reference in README.md)`,
        ),
      ];
  }
}

/** An error about the node at the issue's path, or at `at` when the message is about another node. */
function problem(site: IssueSite, message: string, at = site.parsed.locate(site.path)): Diagnostic {
  return { severity: 'error', message, location: at };
}

/** One error per unknown key, at the key, with the nearest allowed key or else the whole list. */
function unknownKeys(issue: IssueOf<'unrecognized_keys'>, site: IssueSite): Diagnostic[] {
  const allowed = allowedKeys(site.schema, site.path);
  return issue.keys.map((key) => {
    // A schema's keys are a fixed handful: each search costs a constant, outside the policy's budget.
    const near = new SuggestionSearch().nearest(key, allowed, Math.max(2, Math.floor(key.length / 3)));
    const hint = near ? ` (did you mean "${near}"?)` : `; allowed keys: ${allowed.join(', ')}`;
    return problem(
      site,
      `unknown key "${excerpt(key)}" in ${site.where}${hint}`,
      site.parsed.locate([...site.path, key], 'key'),
    );
  });
}

/** A missing key (nothing at the path), pointed at its parent's key; else a value of the wrong type. */
function invalidType(issue: IssueOf<'invalid_type'>, site: IssueSite): Diagnostic {
  const { path, value, where, last } = site;
  if (value === undefined) {
    const parentPath = path.slice(0, -1);
    return problem(
      site,
      `missing required key "${String(last)}" in ${formatPath(parentPath)}: add it; ${hintFor(path) || 'see the policy reference in README.md'}`,
      site.parsed.locate(parentPath, parentPath.length === 0 ? 'value' : 'key'),
    );
  }
  const hint = hintFor(path);
  return problem(
    site,
    `${where} must be ${expected(issue.expected, path)}, not ${describeValue(value)}${hint ? `: ${hint}` : ''}`,
  );
}

function invalidUnion(issue: IssueOf<'invalid_union'>, site: IssueSite): Diagnostic[] {
  // A mapping in a list is meant as an exception: report what is wrong with it, not the union.
  const objectIssues = isRecord(site.value)
    ? issue.errors.find((list) => list.some((i) => i.path.length > 0))
    : undefined;
  if (objectIssues) {
    return objectIssues.flatMap((i) =>
      describeIssue({ ...i, path: [...issue.path, ...i.path] }, site.schema, site.parsed),
    );
  }
  const isMatch = site.path.length === 3 && site.path[0] === 'fleets' && site.last === 'match';
  // A list of globs with several mistakes: each entry that is one, at its own place.
  const entries = isMatch && Array.isArray(site.value) ? badGlobs(site, site.value) : [];
  if (entries.length > 0) return entries;
  const other = isMatch
    ? 'all, a friendly-name glob ("cust-*") or a list of globs'
    : site.path.length === 1 && site.last === 'unmanaged'
      ? 'report, ignore or {enforce: FLEET} (a template under "fleets:")'
      : null;
  if (other) return [problem(site, `${site.where} must be ${other}, not ${describeValue(site.value)}`)];
  return [
    problem(
      site,
      `${site.where} must be a country code ("US"), a group name, "continent:NAME" or an exception {country, expires, reason, ticket}, not ${describeValue(site.value)}`,
    ),
  ];
}

/**
 * The word all where `match` reads a glob: in a list, or in another case than `match: all`. As a glob it
 * would match only a subaccount named "all", the opposite of what it says, so it is refused with the fix.
 */
function allInMatch({ path, value }: IssueSite): string | null {
  const inList = path.length === 4 && path[2] === 'match';
  if (path[0] !== 'fleets' || !(inList || (path.length === 3 && path[2] === 'match'))) return null;
  if (typeof value !== 'string') return null;
  const control = CONTROL_CHARACTER.exec(value)?.[0];
  if (control !== undefined) return controlInGlob(path, control);
  if (!ALL_WORD.test(value)) return null;
  return `"${excerpt(value)}" in ${formatPath(path)} would be a friendly-name glob matching only a subaccount named "all": write match: all (${inList ? 'not in a list' : 'lower-case'}) for every subaccount of the parent, or \\all for the literal name`;
}

/** YAML's double-quoted escapes that give a control character, by the character (\a is BEL). */
const YAML_ESCAPES: Readonly<Record<string, string>> = {
  '\u0000': '0',
  '\u0007': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\u001b': 'e',
};

function controlInGlob(path: PolicyPath, control: string): string {
  const code = `U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const escape = YAML_ESCAPES[control];
  const made = escape ? `, which is what YAML makes of "\\${escape}" in double quotes` : '';
  const example = escape ? ` ('\\${escape}${escape === 'a' ? 'll' : '…'}')` : '';
  return `${formatPath(path)} holds the control character ${code}${made}: write the glob unquoted or in single quotes${example}, or write \\\\ for a backslash in double quotes`;
}

function badGlobs(site: IssueSite, items: unknown[]): Diagnostic[] {
  return items.flatMap((value, i) => {
    const path = [...site.path, i];
    const at = { ...site, path, value, where: formatPath(path), last: i };
    const all = allInMatch(at);
    if (all) return [problem(at, all)];
    if (typeof value === 'string' && value !== '') return [];
    return [
      problem(at, `${at.where} must be a friendly-name glob such as "cust-*", not ${describeValue(value)}`),
    ];
  });
}

function invalidFormat({ last, value, where }: IssueSite): string {
  if (last === 'sid') return sidMessage(String(value), where);
  if (last === 'expires') {
    return `invalid date "${excerpt(String(value))}" in ${where}: write a real calendar date as YYYY-MM-DD, e.g. 2027-03-31`;
  }
  return `${where} has an invalid format: see the policy reference in README.md for the expected form`;
}

/** A value that is not one of a key's words (`expired: enforced`): the words, and the nearest one. */
function invalidValue(issue: IssueOf<'invalid_value'>, { value, where }: IssueSite): string {
  const words = issue.values.filter((v): v is string => typeof v === 'string');
  if (words.length === 0 || words.length !== issue.values.length)
    return `${where} has an invalid value ${literal(value)}: see the policy reference in README.md for the allowed values`;
  const near =
    typeof value === 'string'
      ? new SuggestionSearch().nearest(value, words, Math.max(1, Math.floor(value.length / 3)))
      : null;
  const hint = near ? ` (did you mean "${near}"?)` : '';
  return `${where} must be ${words.map((w) => `"${w}"`).join(' or ')}, not ${literal(value)}${hint}`;
}

function outOfRange({ last, value, where }: IssueSite): string {
  if (last === 'max_changes') {
    return `${where} must be a positive whole number, not ${literal(value)}: set it to 1 or more, or remove it for no limit`;
  }
  if (last === 'expiry_warning_days') {
    return `${where} must be a whole number of days from 0 to ${MAX_EXPIRY_WARNING_DAYS}, not ${literal(value)}: remove it for the default (${EXPIRY_WARNING_DAYS})`;
  }
  return `${where} is out of range: see the policy reference in README.md for the allowed values`;
}

function sidMessage(sid: string, where: string): string {
  if (ACCOUNT_SID.test(sid)) {
    return `malformed SID "${sid}" in ${where}: Twilio SIDs use lower-case hex digits; write "${'AC' + sid.slice(2).toLowerCase()}"`;
  }
  if (/^ac[0-9a-f]{32}$/i.test(sid)) {
    return `malformed SID "${sid}" in ${where}: an account SID starts with upper-case "AC"; write "AC${sid.slice(2).toLowerCase()}"`;
  }
  return `malformed SID "${excerpt(sid)}" in ${where}: an account SID is "AC" followed by 32 lower-case hex digits (${sid.length} characters given, 34 expected); copy it from the Twilio Console`;
}

function expected(kind: string, path: PolicyPath): string {
  const last = path[path.length - 1];
  if (kind === 'array') return 'a list';
  if (path.includes('never_disable') || path.includes('never_enable') || path.includes('allow_high_risk'))
    return 'a country code, group name or continent:NAME (no exceptions here)';
  if (kind === 'object' || kind === 'record') return 'a mapping (key: value)';
  if (kind === 'int' || (kind === 'number' && (last === 'max_changes' || last === 'expiry_warning_days')))
    return 'a whole number';
  if (kind === 'boolean') return 'true or false';
  return `a ${kind}`;
}

/** What to write at `path`, phrased as an instruction; empty when there is nothing specific to say. */
function hintFor(path: PolicyPath): string {
  const last = path[path.length - 1];
  if (last === 'accounts') return 'write e.g. "accounts: {production: {sid: AC…}}"';
  if (last === 'sid') return 'write the account SID, "AC" followed by 32 lower-case hex digits';
  if (last === 'max_changes') return 'write e.g. "max_changes: 25", or remove it for no limit';
  if (last === 'country') return 'write one country code, e.g. "BR"';
  if (last === 'expires') return 'write the last day the exception counts, YYYY-MM-DD';
  if (last === 'inherit') return 'write inherit: true or inherit: false';
  if (last === 'parent') return 'write the name of another account under "accounts:"';
  if (typeof last === 'string' && LIST_KEYS.includes(last)) return 'write e.g. [US, GB] ([] for none)';
  return '';
}

const LIST_KEYS = [
  'low_risk',
  'high_risk_special',
  'high_risk_tollfraud',
  'messaging',
  'never_disable',
  'never_enable',
  'allow_high_risk',
];

function valueAt(root: unknown, path: PolicyPath): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isRecord(node)) node = node[String(segment)];
    else return undefined;
  }
  return node;
}

/** The keys the schema allows at `path`, found by walking the zod schema itself so the two never disagree. */
export function allowedKeys(schema: z.ZodType, path: PolicyPath): string[] {
  let node: z.ZodType | undefined = schema;
  for (const segment of path) {
    node = node && step(unwrap(node), segment);
  }
  const target = node && unwrap(node);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let node = schema;
  while (node instanceof z.ZodOptional || node instanceof z.ZodNullable) node = node.unwrap() as z.ZodType;
  return node;
}

function step(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) return (schema.shape as Record<string, z.ZodType>)[String(segment)];
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  if (schema instanceof z.ZodArray) {
    const element = schema.element as z.ZodType;
    // Lists mix strings and exception objects: keys only exist on the object option.
    if (element instanceof z.ZodUnion) {
      return (element.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
    }
    return element;
  }
  return undefined;
}
