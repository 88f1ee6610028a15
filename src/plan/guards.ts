import type { DesiredState } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostics.js';
import type { CellChange, CellRef, Plan } from '../model/plan.js';
import { describeCell } from './cells.js';

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

const where = (loc: SourceLocation | null): string => (loc ? ` (${loc.file}:${loc.line}:${loc.column})` : '');

/** Checks a plan against the policy's guards; an empty answer means apply may proceed. Pure. */
export function checkGuards(plan: Plan, desired: DesiredState, options: GuardOptions): GuardRefusal[] {
  const all = plan.accounts.flatMap((a) => a.changes);
  return [
    ...maxChangesRefusal(all, desired, options),
    ...neverDisableRefusals(all, desired),
    ...inheritanceJoinRefusals(all, desired),
    ...highRiskRefusals(plan, all, options),
  ];
}

function maxChangesRefusal(
  all: readonly CellChange[],
  desired: DesiredState,
  options: GuardOptions,
): GuardRefusal[] {
  const writes = all.filter((c) => c.kind === 'write');
  const limit = options.maxChangesOverride ?? desired.guards.maxChanges;
  if (limit === null || writes.length <= limit) return [];
  const origin =
    options.maxChangesOverride !== null
      ? `the --max-changes override of ${limit}`
      : `guards.max_changes = ${limit}${where(desired.guards.maxChangesLocation)}`;
  return [
    {
      guard: 'max_changes',
      message: `the plan writes ${writes.length} cells, over ${origin}. To apply it anyway, pass --max-changes ${writes.length} (action input max-changes: ${writes.length}) or --force, or raise guards.max_changes in the policy.`,
      cells: writes.map(ref),
    },
  ];
}

/** One refusal per protected country the plan disables, in code order. */
function neverDisableRefusals(all: readonly CellChange[], desired: DesiredState): GuardRefusal[] {
  const locked = all.filter(
    (c) =>
      !c.to &&
      c.country !== null &&
      c.category !== 'voice.inherit' &&
      c.country in desired.guards.neverDisable,
  );
  // Leaving inheritance shows what goes off as per-country cells; say how to keep the country too.
  const leaving = new Set(all.filter((c) => c.category === 'voice.inherit' && !c.to).map((c) => c.sid));
  return [...new Set(locked.map((c) => c.country as string))].sort().map((country) => {
    const cells = locked.filter((c) => c.country === country);
    const leavers = [
      ...new Set(cells.filter((c) => c.category !== 'messaging' && leaving.has(c.sid)).map((c) => c.account)),
    ];
    const leaveHint =
      leavers.length > 0
        ? ` ${leavers.join(', ')} ${leavers.length > 1 ? 'leave' : 'leaves'} voice inheritance (voice.inherit: false) without ${country} in ${leavers.length > 1 ? 'their' : 'its'} own voice lists: add ${country} to them, or keep voice.inherit: true.`
        : '';
    return {
      guard: 'never_disable',
      message: `the plan disables ${country}, which guards.never_disable protects${where(desired.guards.neverDisable[country] ?? null)}: ${list(cells)}.${leaveHint} No flag overrides this; if it is intended, remove ${country} from guards.never_disable in the same change.`,
      cells: cells.map(ref),
    };
  });
}

/** Joining inheritance switches off what the parent's lists leave off, with no per-country cell to show it. */
function inheritanceJoinRefusals(all: readonly CellChange[], desired: DesiredState): GuardRefusal[] {
  const byName = new Map(desired.accounts.map((a) => [a.name, a]));
  return all
    .filter((c) => c.category === 'voice.inherit' && c.to)
    .flatMap((join) => {
      const lost = (join.inheritDisables ?? []).filter((d) => d.country in desired.guards.neverDisable);
      const parent = byName.get(join.account)?.parent ?? 'the parent account';
      return [...new Set(lost.map((d) => d.country))].sort().map((country) => {
        const categories = lost.filter((d) => d.country === country).map((d) => d.category);
        return joinRefusal(join, country, categories, parent, desired);
      });
    });
}

function joinRefusal(
  join: CellChange,
  country: string,
  categories: readonly string[],
  parent: string,
  desired: DesiredState,
): GuardRefusal {
  const lists =
    categories.length > 1
      ? `${categories.slice(0, -1).join(', ')} and ${categories[categories.length - 1]}`
      : categories.join('');
  return {
    guard: 'never_disable',
    message: `${join.account} joins voice inheritance (voice.inherit: true${join.source ? `, ${join.source.file}:${join.source.line}:${join.source.column}` : ''}), which switches off ${country} in ${lists}: it is enabled live on ${join.account}, but ${parent}'s voice lists do not enable it, and guards.never_disable protects ${country}${where(desired.guards.neverDisable[country] ?? null)}. No flag overrides this; add ${country} to ${parent}'s ${lists}, keep voice.inherit: false on ${join.account}, or remove ${country} from guards.never_disable in the same change.`,
    cells: [ref(join)],
  };
}

/** High-risk enables: refused outright on trial accounts, elsewhere unless --allow-high-risk. */
function highRiskRefusals(plan: Plan, all: readonly CellChange[], options: GuardOptions): GuardRefusal[] {
  const refusals: GuardRefusal[] = [];
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
