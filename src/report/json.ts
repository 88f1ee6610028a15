// What every machine-readable report shares. The shapes are documented in docs/json-schema.md;
// `schemaVersion` changes only on a breaking change, fields are only ever added.
import { jsonText } from './escape.js';

export const JSON_SCHEMA_VERSION = 1;

/**
 * Two-space indented, with a final newline, like every JSON report so far. Every string keeps its exact
 * value; the characters a terminal could act on (C1, bidi controls) are written as `\u` escapes.
 */
export const stringify = (value: unknown): string => `${jsonText(JSON.stringify(value, null, 2))}\n`;
