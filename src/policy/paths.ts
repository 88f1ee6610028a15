import { excerpt, visible } from '../model/diagnostics.js';
import type { PolicyPath } from './parse.js';

/** Each name in a path is the user's text: at most this many characters of it, escaped. */
const MAX_SEGMENT_CHARS = 40;

/** `accounts.production.voice.low_risk[2]`: how messages name a place in the policy. */
export function formatPath(path: PolicyPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = visible(segment, MAX_SEGMENT_CHARS);
      out += out === '' ? name : `.${name}`;
    }
  }
  return out === '' ? 'the top level' : out;
}

/**
 * What a value is, in the policy's words. Strings are quoted as a short escaped excerpt; YAML's other
 * types (explicit tags such as !!binary, YAML 1.1 dates) are named by their tag, never by JS internals.
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'an empty value (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string "${excerpt(value)}"`;
  if (typeof value === 'number') return `the number ${numberText(value)}`;
  if (typeof value === 'boolean' || typeof value === 'bigint') return `the ${typeof value} ${String(value)}`;
  if (value instanceof Date) return 'a timestamp (!!timestamp; quote a date to keep it text)';
  if (value instanceof Uint8Array) return 'binary data (!!binary)';
  if (value instanceof Set) return 'a set (!!set)';
  if (value instanceof Map) return 'an ordered map (!!omap)';
  return 'a mapping';
}

/** A scalar as the policy writes it ("text", 12, true, null); anything else described. */
export function literal(value: unknown): string {
  if (typeof value === 'string') return `"${excerpt(value)}"`;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean' || value === null) return String(value);
  return describeValue(value);
}

/** YAML's own spelling of the numbers JS prints as NaN and Infinity. */
function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  return String(n);
}

/** A plain mapping: not a list, nor a Date, Set, Map or byte array that YAML tags can produce. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
