// What every machine-readable report shares. The shapes are documented in docs/json-schema.md;
// `schemaVersion` changes only on a breaking change, fields are only ever added.

export const JSON_SCHEMA_VERSION = 1;

/** Two-space indented, with a final newline, like every JSON report so far. */
export const stringify = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
