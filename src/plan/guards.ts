import type { DesiredState } from '../core/desired.js';
import type { CellChange, CellRef, Plan } from '../core/plan-model.js';

export type GuardName = 'max_changes' | 'never_disable' | 'high_risk' | 'trial_account';

/** One reason apply will not run; `message` names what was refused and exactly how to override. */
export interface GuardRefusal {
  guard: GuardName;
  message: string;
  cells: CellRef[];
}

export interface GuardOptions {
  /** `--max-changes N` / action input `max-changes`; replaces guards.max_changes. Infinity = `--force`. */
  maxChangesOverride: number | null;
  /** `--allow-high-risk` / action input `allow-high-risk: true`. */
  allowHighRisk: boolean;
}

const ref = (c: CellChange): CellRef => ({
  account: c.account,
  sid: c.sid,
  category: c.category,
  country: c.country,
});

export const describeCell = (c: CellRef): string =>
  `${c.account} ${c.category}${c.country ? ` ${c.country}` : ''}`;

const list = (cells: readonly CellChange[], max = 10): string => {
  const shown = cells.slice(0, max).map(describeCell).join(', ');
  return cells.length > max ? `${shown} and ${cells.length - max} more` : shown;
};

/** An enable of a high-risk category, or an inheritance flip that newly enables one (tier critical/high). */
function isHighRiskEnable(c: CellChange): boolean {
  if (!c.to && c.category !== 'voice.inherit') return false;
  if (c.category === 'voice.high_risk_tollfraud' || c.category === 'voice.high_risk_special') return true;
  return c.category === 'voice.inherit' && (c.risk === 'critical' || c.risk === 'high');
}

/** Checks a plan against the policy's guards; an empty answer means apply may proceed. Pure. */
export function checkGuards(plan: Plan, desired: DesiredState, options: GuardOptions): GuardRefusal[] {
  const refusals: GuardRefusal[] = [];
  const all = plan.accounts.flatMap((a) => a.changes);
  const writes = all.filter((c) => c.kind === 'write');
  const where = (loc: { file: string; line: number; column: number } | null) =>
    loc ? ` (${loc.file}:${loc.line}:${loc.column})` : '';

  const limit = options.maxChangesOverride ?? desired.guards.maxChanges;
  if (limit !== null && writes.length > limit) {
    const origin =
      options.maxChangesOverride !== null
        ? `the --max-changes override of ${limit}`
        : `guards.max_changes = ${limit}${where(desired.guards.maxChangesLocation)}`;
    refusals.push({
      guard: 'max_changes',
      message: `the plan writes ${writes.length} cells, over ${origin}. To apply it anyway, pass --max-changes ${writes.length} (action input max-changes: ${writes.length}) or --force, or raise guards.max_changes in the policy.`,
      cells: writes.map(ref),
    });
  }

  const locked = all.filter(
    (c) =>
      !c.to &&
      c.country !== null &&
      c.category !== 'voice.inherit' &&
      c.country in desired.guards.neverDisable,
  );
  for (const country of [...new Set(locked.map((c) => c.country as string))].sort()) {
    const cells = locked.filter((c) => c.country === country);
    refusals.push({
      guard: 'never_disable',
      message: `the plan disables ${country}, which guards.never_disable protects${where(desired.guards.neverDisable[country] ?? null)}: ${list(cells)}. No flag overrides this; if it is intended, remove ${country} from guards.never_disable in the same change.`,
      cells: cells.map(ref),
    });
  }

  const trialAccounts = new Set(plan.accounts.filter((a) => a.type === 'Trial').map((a) => a.sid));
  const highRisk = all.filter(isHighRiskEnable);
  const onTrial = highRisk.filter((c) => trialAccounts.has(c.sid));
  if (onTrial.length > 0) {
    refusals.push({
      guard: 'trial_account',
      message: `trial accounts can only enable low-risk voice destinations (Twilio requires an upgraded account for high-risk ranges), so these are refused: ${list(onTrial)}. Upgrade the account in the Console or remove them from the policy; --allow-high-risk does not override this.`,
      cells: onTrial.map(ref),
    });
  }
  const others = highRisk.filter((c) => !trialAccounts.has(c.sid));
  if (others.length > 0 && !options.allowHighRisk) {
    refusals.push({
      guard: 'high_risk',
      message: `the plan enables high-risk voice permissions (toll-fraud or special numbers): ${list(others)}. If this is intended, pass --allow-high-risk (action input allow-high-risk: true).`,
      cells: others.map(ref),
    });
  }
  return refusals;
}
