// Machine-readable reports. The shapes are documented in docs/json-schema.md; `schemaVersion` changes
// only on a breaking change, fields are only ever added.
import type { ApplyResult, DriftReport, Plan } from '../model/plan.js';

export const JSON_SCHEMA_VERSION = 1;

const stringify = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export function planToJson(plan: Plan): string {
  return stringify({ kind: 'plan', ...plan, schemaVersion: JSON_SCHEMA_VERSION });
}

export function applyToJson(result: ApplyResult): string {
  return stringify({ kind: 'apply', ...result, schemaVersion: JSON_SCHEMA_VERSION });
}

/** The drift report; its `plan` is embedded without the duplicate change list (the items carry it). */
export function driftToJson(report: DriftReport): string {
  const { plan, ...rest } = report;
  return stringify({
    kind: 'drift',
    ...rest,
    schemaVersion: JSON_SCHEMA_VERSION,
    summary: plan.summary,
    accounts: plan.accounts.map(({ changes: _changes, ...account }) => account),
    expiring: plan.expiring,
    warnings: plan.warnings,
  });
}
