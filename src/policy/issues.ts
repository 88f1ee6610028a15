import * as z from 'zod';
import type { Diagnostic } from '../model/diagnostics.js';
import { SuggestionSearch } from '../catalog/index.js';
import type { ParsedYaml, PolicyPath } from './parse.js';
import { describeValue, formatPath, isRecord } from './paths.js';
import { ACCOUNT_SID } from '../model/patterns.js';

type Issue = z.core.$ZodIssue;

/** Turns zod's issues into diagnostics that point at the YAML node and say what to do. */
export function issuesToDiagnostics(
  issues: readonly Issue[],
  schema: z.ZodType,
  parsed: ParsedYaml,
): Diagnostic[] {
  return issues.flatMap((issue) => describeIssue(issue, schema, parsed));
}

function describeIssue(issue: Issue, schema: z.ZodType, parsed: ParsedYaml): Diagnostic[] {
  const path = issue.path as PolicyPath;
  const value = valueAt(parsed.value, path);
  const where = formatPath(path);
  const last = path[path.length - 1];
  const err = (message: string, at = parsed.locate(path)): Diagnostic => ({
    severity: 'error',
    message,
    location: at,
  });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(schema, path);
      return issue.keys.map((key) => {
        // A schema's keys are a fixed handful: each search costs a constant, outside the policy's budget.
        const near = new SuggestionSearch().nearest(key, allowed, Math.max(2, Math.floor(key.length / 3)));
        const hint = near ? ` (did you mean "${near}"?)` : `; allowed keys: ${allowed.join(', ')}`;
        return err(`unknown key "${key}" in ${where}${hint}`, parsed.locate([...path, key], 'key'));
      });
    }
    case 'invalid_type': {
      if (value === undefined) {
        const parentPath = path.slice(0, -1);
        return [
          err(
            `missing required key "${String(last)}" in ${formatPath(parentPath)}: add it; ${hintFor(path) || 'see the policy reference in README.md'}`,
            parsed.locate(parentPath, parentPath.length === 0 ? 'value' : 'key'),
          ),
        ];
      }
      const hint = hintFor(path);
      return [
        err(
          `${where} must be ${expected(issue.expected, path)}, not ${describeValue(value)}${hint ? `: ${hint}` : ''}`,
        ),
      ];
    }
    case 'invalid_union': {
      // A mapping in a list is meant as an exception: report what is wrong with it, not the union.
      const objectIssues = isRecord(value)
        ? issue.errors.find((list) => list.some((i) => i.path.length > 0))
        : undefined;
      if (objectIssues) {
        return objectIssues.flatMap((i) =>
          describeIssue({ ...i, path: [...issue.path, ...i.path] }, schema, parsed),
        );
      }
      return [
        err(
          `${where} must be a country code ("US"), a group name, "continent:NAME" or an exception {country, expires, reason, ticket}, not ${describeValue(value)}`,
        ),
      ];
    }
    case 'invalid_value':
      return [
        err(
          `${where} has an invalid value ${JSON.stringify(value)}: see the policy reference in README.md for the allowed values`,
        ),
      ];
    case 'invalid_format':
      if (last === 'sid') return [err(sidMessage(String(value), where))];
      if (last === 'expires') {
        return [
          err(
            `invalid date "${String(value)}" in ${where}: write a real calendar date as YYYY-MM-DD, e.g. 2027-03-31`,
          ),
        ];
      }
      return [
        err(`${where} has an invalid format: see the policy reference in README.md for the expected form`),
      ];
    case 'too_small':
    case 'too_big':
      if (last === 'max_changes') {
        return [
          err(
            `${where} must be a positive whole number, not ${String(value)}: set it to 1 or more, or remove it for no limit`,
          ),
        ];
      }
      return [err(`${where} is out of range: see the policy reference in README.md for the allowed values`)];
    default:
      return [err(`${where}: ${issue.message} (see the policy reference in README.md)`)];
  }
}

export function sidMessage(sid: string, where: string): string {
  if (ACCOUNT_SID.test(sid)) {
    return `malformed SID "${sid}" in ${where}: Twilio SIDs use lower-case hex digits; write "${'AC' + sid.slice(2).toLowerCase()}"`;
  }
  if (/^ac[0-9a-f]{32}$/i.test(sid)) {
    return `malformed SID "${sid}" in ${where}: an account SID starts with upper-case "AC"; write "AC${sid.slice(2).toLowerCase()}"`;
  }
  return `malformed SID "${sid}" in ${where}: an account SID is "AC" followed by 32 lower-case hex digits (${sid.length} characters given, 34 expected); copy it from the Twilio Console`;
}

function expected(kind: string, path: PolicyPath): string {
  const last = path[path.length - 1];
  if (kind === 'array') return 'a list';
  if (path.includes('never_disable'))
    return 'a country code, group name or continent:NAME (no exceptions here)';
  if (kind === 'object' || kind === 'record') return 'a mapping (key: value)';
  if (kind === 'int' || (kind === 'number' && last === 'max_changes')) return 'a whole number';
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

const LIST_KEYS = ['low_risk', 'high_risk_special', 'high_risk_tollfraud', 'messaging', 'never_disable'];

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
