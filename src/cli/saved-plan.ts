// `apply --plan FILE`: the plan `plan --out FILE.json` saved, applied exactly. The apply re-reads live
// state and plans again from the same policy (its text must hash to the saved `policySha256`), then
// binds that plan to the saved one with the reviewed-plan binding the action's merge uses
// (plan/binding.ts): an enable or inheritance change the saved plan did not show is refused and named,
// a saved cell already at its target is said to be, and what only closes access still applies.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import type { CellChange, Plan } from '../model/plan.js';
import { summarize } from '../plan/build.js';
import { checkReviewedPlan, needsReview, withoutCells, type BindingResult } from '../plan/binding.js';
import {
  describeCell,
  describeChange,
  onOff,
  parseMarkerKey,
  reviewedKey,
  reviewUnits,
} from '../plan/cells.js';
import { formatShard, shardOption, type Shard } from '../plan/shard.js';
import { termText } from '../report/escape.js';
import { plural } from '../report/format.js';
import { UsageError } from './io.js';

const SHA256 = /^[0-9a-f]{64}$/;

/** What apply reads of a saved plan; the rest of the JSON report is for people and other tools. */
const savedPlanSchema = z.object({
  kind: z.literal('plan'),
  schemaVersion: z.literal(1),
  policyFile: z.string(),
  fingerprint: z.string().regex(SHA256),
  policySha256: z.string().regex(SHA256),
  shard: z.string().nullable().optional(),
  summary: z.object({ errors: z.number() }),
  accounts: z.array(
    z.object({
      changes: z.array(
        z.object({
          account: z.string(),
          sid: z.string(),
          category: z.enum([
            'voice.low_risk',
            'voice.high_risk_special',
            'voice.high_risk_tollfraud',
            'voice.inherit',
            'messaging',
          ]),
          country: z.string().nullable(),
          from: z.boolean(),
          to: z.boolean(),
          // A join's effective cells: reviewing it means reviewing what it opens (plan/cells.ts reviewUnits).
          effective: z
            .array(
              z.object({
                category: z.enum(['voice.low_risk', 'voice.high_risk_special', 'voice.high_risk_tollfraud']),
                country: z.string(),
                from: z.boolean(),
                to: z.boolean(),
                direction: z.enum(['opens', 'closes']),
              }),
            )
            .nullable()
            .optional(),
        }),
      ),
    }),
  ),
  // Subaccount discovery: a plan made while a parent's subaccounts could not be listed saw only part of the fleet.
  fleet: z
    .object({ parents: z.array(z.object({ parent: z.string(), error: z.string().nullable() })) })
    .optional(),
});

export interface SavedPlan {
  /** The path as the user wrote it. */
  file: string;
  policyFile: string;
  fingerprint: string;
  policySha256: string;
  shard: Shard | null;
  /** Every saved change as the binding reads it (plan/cells.ts reviewedKey). */
  cells: string[];
}

const planAgain = (file: string) => `save a new one with \`geo-permissions plan --out ${file}\``;

/** The saved plan at `file`, checked; a usage error saying what is wrong with it otherwise. */
export async function readSavedPlan(file: string, cwd: string): Promise<SavedPlan> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path.resolve(cwd, file), 'utf8'));
  } catch (err) {
    throw new UsageError(`--plan ${file}: ${(err as Error).message}`);
  }
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind !== 'plan')
    throw new UsageError(`--plan ${file}: not a plan (kind ${JSON.stringify(kind)}); ${planAgain(file)}`);
  if (typeof (json as { policySha256?: unknown }).policySha256 !== 'string')
    throw new UsageError(
      `--plan ${file}: no policySha256, so it was not saved by \`geo-permissions plan --out\`; ${planAgain(file)}`,
    );
  const parsed = savedPlanSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `--plan ${file}: not a saved plan (${issue?.path.join('.') || 'top'}: ${issue?.message}); ${planAgain(file)}`,
    );
  }
  const saved = parsed.data;
  if (saved.summary.errors > 0)
    throw new UsageError(
      `--plan ${file}: incomplete, ${plural(saved.summary.errors, 'account')} could not be read when it was made; ${planAgain(file)}`,
    );
  const unlisted = (saved.fleet?.parents ?? []).filter((p) => p.error !== null).map((p) => p.parent);
  if (unlisted.length > 0)
    throw new UsageError(
      `--plan ${file}: incomplete, the subaccounts of ${unlisted.join(', ')} could not be listed when it was made (credentials that cannot list accounts, or a failure), so its template members and unmanaged subaccounts were not seen; ${planAgain(file)} with credentials that can list them`,
    );
  let shard: Shard | null;
  try {
    shard = saved.shard ? shardOption(saved.shard) : null;
  } catch (err) {
    throw new UsageError(`--plan ${file}: shard: ${(err as Error).message}`);
  }
  return {
    file,
    policyFile: saved.policyFile,
    fingerprint: saved.fingerprint,
    policySha256: saved.policySha256,
    shard,
    cells: saved.accounts.flatMap((a) => a.changes.flatMap(reviewUnits).map(reviewedKey)),
  };
}

/** The shard of the apply: the saved plan's; a different `--shard` is refused (it plans other accounts). */
export function shardOfSaved(saved: SavedPlan, given: Shard | null): Shard | null {
  const text = (s: Shard | null) => (s ? formatShard(s) : 'none');
  if (given && text(given) !== text(saved.shard))
    throw new UsageError(
      `--plan ${saved.file} was planned for --shard ${text(saved.shard)}, not ${text(given)}: drop --shard, or plan that shard`,
    );
  return saved.shard;
}

/** Null when the policy read now is the one planned; else why not, for stderr. */
export function otherPolicy(saved: SavedPlan, policyShown: string, sha256: string): string | null {
  if (sha256 === saved.policySha256) return null;
  return (
    `${saved.file} was planned from another policy, or the policy changed since: it was planned from ` +
    `${termText(saved.policyFile)} with sha256 ${saved.policySha256.slice(0, 12)}, and ${termText(policyShown)} ` +
    `has sha256 ${sha256.slice(0, 12)} now. Nothing was sent to Twilio; pass the --policy it was planned ` +
    `from, or ${planAgain(saved.file)}`
  );
}

export interface SavedBinding {
  binding: BindingResult;
  /** The plan of now minus the refused cells, its summary counted again (the prompt states it). */
  toApply: Plan;
  /** What changed since the plan was saved, for stderr; empty when the plan of now is identical. */
  lines: string[];
}

const listed = (heading: string, items: readonly string[]): string[] =>
  items.length === 0 ? [] : [heading, ...items.map((item) => `  ${item}`)];

/** The plan of now bound to the saved one: what is refused, already done, or new but only closing. */
export function bindToSaved(saved: SavedPlan, plan: Plan): SavedBinding {
  // Never null here, so the pull request number (for "no reviewed plan on PR #…") is never shown.
  const binding = checkReviewedPlan({ fingerprint: saved.fingerprint, cells: saved.cells }, plan, 0);
  const refused = binding.unreviewed.map((u) => u.change);
  const narrowed = withoutCells(plan, refused);
  const toApply = { ...narrowed, summary: summarize(narrowed.accounts) };
  if (binding.identical)
    return {
      binding,
      toApply,
      lines: [
        `Saved plan ${saved.file}: live state is as planned (fingerprint ${saved.fingerprint.slice(0, 12)}).`,
      ],
    };
  const savedKeys = new Set(saved.cells);
  const closing = plan.accounts
    .flatMap((a) => a.changes)
    .filter((c) => !needsReview(c) && !savedKeys.has(reviewedKey(c)));
  const change = (c: CellChange) => termText(describeChange(c));
  const done = (key: string) => {
    const cell = parseMarkerKey(key);
    return cell ? `${termText(describeCell(cell))}: already ${onOff(cell.to)}` : termText(key);
  };
  return {
    binding,
    toApply,
    lines: [
      `Saved plan ${saved.file}: live state changed since it was planned (fingerprint ${saved.fingerprint.slice(0, 12)}).`,
      ...listed(
        `Refused, ${plural(refused.length, 'cell')} changed live since in a way this apply would widen (not in the saved plan):`,
        refused.map((c) => `${change(c)} (live then matched the policy; now ${onOff(c.from)})`),
      ),
      ...listed(
        `Already at the target, nothing to write (${plural(binding.noLongerNeeded.length, 'cell')}):`,
        binding.noLongerNeeded.map(done),
      ),
      ...listed(
        `Not in the saved plan but only closing access, so applied (${plural(closing.length, 'cell')}):`,
        closing.map(change),
      ),
    ],
  };
}
