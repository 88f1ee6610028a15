import type { DesiredState, Guards } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostics.js';
import type { CellChange, CellRef, EffectiveCell, Plan } from '../model/plan.js';
import { describeCell } from './cells.js';
import { isJoin } from './exposure.js';

export type GuardName = 'max_changes' | 'never_disable' | 'never_enable' | 'high_risk' | 'trial_account';

/** One reason apply will not run; `message` names what was refused and exactly how to pass it. */
export interface GuardRefusal {
  guard: GuardName;
  message: string;
  cells: CellRef[];
}

/** Where the guards run, so a refusal names only the overrides that exist there. */
export type GuardSurface = 'cli' | 'action';

export interface GuardOptions {
  /** `--max-changes N` / action input `max-changes`; replaces guards.max_changes. Infinity = `--force`. */
  maxChangesOverride: number | null;
  /** `--allow-high-risk` / action input `allow-high-risk: true`. */
  allowHighRisk: boolean;
  surface: GuardSurface;
}

/** One guard's verdict on a plan, as the PR shows it before the merge. */
export interface GuardCheck {
  guard: GuardName;
  passed: boolean;
  /** One line: what was counted or found, e.g. "12 of 25 cells (guards.max_changes, geo.yml:14)". */
  detail: string;
}

export interface GuardVerdict {
  /** True when apply would refuse at least part of the plan. */
  refused: boolean;
  checks: GuardCheck[];
  refusals: GuardRefusal[];
}

const ref = (c: CellChange): CellRef => ({
  account: c.account,
  sid: c.sid,
  category: c.category,
  country: c.country,
});

/** A cell a guard looks at: a planned cell, or an effective cell of an inheritance join (named by its flip). */
interface GuardedCell {
  change: CellChange;
  category: CellChange['category'];
  country: string | null;
  direction: CellChange['direction'];
  acknowledged?: string;
}

const describe = (g: GuardedCell): string =>
  g.change.category === 'voice.inherit' && g.country !== null
    ? `${describeCell({ ...g.change, category: g.category, country: g.country })} (through joining voice inheritance)`
    : describeCell(g.change);

const list = (cells: readonly GuardedCell[], max = 10): string => {
  const shown = cells.slice(0, max).map(describe).join(', ');
  return cells.length > max ? `${shown} and ${cells.length - max} more` : shown;
};

const where = (loc: SourceLocation | null): string => (loc ? ` (${loc.file}:${loc.line}:${loc.column})` : '');

/**
 * The cells the guards count: every write, and for an inheritance join each effective cell it opens or
 * closes (the plan has no per-country cell for them). A leave's effective cells are already writes.
 */
function guardedCells(all: readonly CellChange[]): GuardedCell[] {
  return all
    .filter((c) => c.kind === 'write')
    .flatMap((change): GuardedCell[] => {
      if (isJoin(change) && change.effective && change.effective.length > 0)
        return change.effective.map((e: EffectiveCell) => ({
          change,
          category: e.category,
          country: e.country,
          direction: e.direction,
          acknowledged: e.acknowledged,
        }));
      return [{ ...change, change }];
    });
}

const refsOf = (cells: readonly GuardedCell[]): CellRef[] => {
  const seen = new Set<CellChange>();
  return cells.flatMap((g) => (seen.has(g.change) ? [] : (seen.add(g.change), [ref(g.change)])));
};

/** Checks a plan against the policy's guards; an empty answer means apply may proceed. Pure. */
export function checkGuards(plan: Plan, desired: DesiredState, options: GuardOptions): GuardRefusal[] {
  return guardVerdict(plan, desired, options).refusals;
}

/** Every guard's verdict on a plan, with the refusals apply would make. Pure. */
export function guardVerdict(plan: Plan, desired: DesiredState, options: GuardOptions): GuardVerdict {
  const cells = guardedCells(plan.accounts.flatMap((a) => a.changes));
  const trial = new Set(plan.accounts.filter((a) => a.type === 'Trial').map((a) => a.sid));
  const results: Array<{ check: GuardCheck; refusals: GuardRefusal[] }> = [
    maxChanges(cells, desired.guards, options),
    neverDisable(cells, desired),
    neverEnable(cells, desired.guards),
    trialAccounts(cells, trial, unknownType(plan)),
    highRisk(cells, trial, options),
  ];
  const refusals = results.flatMap((r) => r.refusals);
  return { refused: refusals.length > 0, checks: results.map((r) => r.check), refusals };
}

/** Where the max_changes limit comes from, briefly, for a verdict's detail. */
function limitSource(guards: Guards, options: GuardOptions): string {
  if (options.maxChangesOverride !== null)
    return options.surface === 'cli' ? '--max-changes' : 'the max-changes input';
  const at = guards.maxChangesLocation;
  return at ? `guards.max_changes, ${at.file}:${at.line}:${at.column}` : 'guards.max_changes';
}

const count = (n: number, word: string): string => `${n} ${n === 1 ? word : `${word}s`}`;

function maxChanges(
  cells: readonly GuardedCell[],
  guards: Guards,
  options: GuardOptions,
): { check: GuardCheck; refusals: GuardRefusal[] } {
  const n = cells.length;
  const limit = options.maxChangesOverride ?? guards.maxChanges;
  const origin =
    options.maxChangesOverride !== null
      ? options.maxChangesOverride === Number.POSITIVE_INFINITY
        ? '--force'
        : options.surface === 'cli'
          ? `the --max-changes override of ${limit}`
          : `the max-changes input of ${limit}`
      : `guards.max_changes = ${limit}${where(guards.maxChangesLocation)}`;
  const cellWord = n === 1 ? 'cell' : 'cells';
  if (limit === null)
    return {
      check: { guard: 'max_changes', passed: true, detail: `${n} ${cellWord}, no limit set` },
      refusals: [],
    };
  const within = n <= limit;
  const detail =
    limit === Number.POSITIVE_INFINITY
      ? `${n} ${cellWord}, limit lifted by --force`
      : `${n} ${cellWord}, limit ${limit} (${limitSource(guards, options)})`;
  if (within) return { check: { guard: 'max_changes', passed: true, detail }, refusals: [] };
  const override =
    options.surface === 'cli'
      ? `, or run apply with --max-changes ${n} or --force once`
      : `, or set the action input max-changes: ${n} for one run`;
  return {
    check: { guard: 'max_changes', passed: false, detail },
    refusals: [
      {
        guard: 'max_changes',
        message: `the plan changes ${n} ${cellWord}, over ${origin}. Raise guards.max_changes to ${n} in the policy (a change reviewed in its pull request), or split the change into smaller ones${override}.`,
        cells: refsOf(cells),
      },
    ],
  };
}

/**
 * One refusal per protected country the plan disables through its own cells, in code order, then one per
 * join and protected country it switches off (a join has no per-country cell, so it says which lists).
 */
function neverDisable(
  cells: readonly GuardedCell[],
  desired: DesiredState,
): { check: GuardCheck; refusals: GuardRefusal[] } {
  const protectedCountries = desired.guards.neverDisable;
  const locked = cells.filter(
    (g) =>
      g.direction === 'closes' &&
      g.country !== null &&
      g.category !== 'voice.inherit' &&
      g.country in protectedCountries,
  );
  const own = locked.filter((g) => !isJoin(g.change));
  // Leaving inheritance shows what goes off as per-country cells; say how to keep the country too.
  const leaving = new Set(
    cells.filter((g) => g.change.category === 'voice.inherit' && !g.change.to).map((g) => g.change.sid),
  );
  const countries = [...new Set(own.map((g) => g.country as string))].sort();
  const refusals: GuardRefusal[] = countries.map((country) => {
    const hit = own.filter((g) => g.country === country);
    return {
      guard: 'never_disable',
      message: `the plan disables ${country}, which guards.never_disable protects${where(protectedCountries[country] ?? null)}: ${list(hit)}.${leaveHint(hit, leaving, country)} No flag or input overrides this; if it is intended, remove ${country} from guards.never_disable in the same change.`,
      cells: refsOf(hit),
    };
  });
  refusals.push(
    ...joinRefusals(
      locked.filter((g) => isJoin(g.change)),
      desired,
    ),
  );
  const closed = [...new Set(locked.map((g) => g.country as string))].sort();
  const guarded = Object.keys(protectedCountries).length;
  const detail =
    guarded === 0
      ? 'no country protected'
      : closed.length === 0
        ? `no protected country closes (${guarded} protected)`
        : `closes ${closed.join(', ')}`;
  return { check: { guard: 'never_disable', passed: refusals.length === 0, detail }, refusals };
}

/** How to keep a protected country that leaving inheritance switches off. */
function leaveHint(hit: readonly GuardedCell[], leavingSids: ReadonlySet<string>, country: string): string {
  const leavers = [
    ...new Set(
      hit
        .filter((g) => g.category !== 'messaging' && leavingSids.has(g.change.sid))
        .map((g) => g.change.account),
    ),
  ];
  if (leavers.length === 0) return '';
  const many = leavers.length > 1;
  return ` ${leavers.join(', ')} ${many ? 'leave' : 'leaves'} voice inheritance (voice.inherit: false) without ${country} in ${many ? 'their' : 'its'} own voice lists: add ${country} to them, or keep voice.inherit: true.`;
}

/** One refusal per join and protected country it switches off, naming the lists. */
function joinRefusals(locked: readonly GuardedCell[], desired: DesiredState): GuardRefusal[] {
  const byName = new Map(desired.accounts.map((a) => [a.name, a]));
  const joins = [...new Set(locked.map((g) => g.change))];
  return joins.flatMap((join) => {
    const lost = locked.filter((g) => g.change === join);
    const parent = byName.get(join.account)?.parent ?? 'the parent account';
    return [...new Set(lost.map((g) => g.country as string))].sort().map((country) => {
      const categories = lost.filter((g) => g.country === country).map((g) => g.category);
      const lists =
        categories.length > 1
          ? `${categories.slice(0, -1).join(', ')} and ${categories[categories.length - 1]}`
          : categories.join('');
      const at = join.source ? `, ${join.source.file}:${join.source.line}:${join.source.column}` : '';
      return {
        guard: 'never_disable' as const,
        message: `${join.account} joins voice inheritance (voice.inherit: true${at}), which switches off ${country} in ${lists}: it is enabled live on ${join.account}, but ${parent}'s voice lists do not enable it, and guards.never_disable protects ${country}${where(desired.guards.neverDisable[country] ?? null)}. No flag or input overrides this; add ${country} to ${parent}'s ${lists}, keep voice.inherit: false on ${join.account}, or remove ${country} from guards.never_disable in the same change.`,
        cells: [ref(join)],
      };
    });
  });
}

/** Openings of a country guards.never_enable forbids: the policy cannot name one, but a join can reach one. */
function neverEnable(
  cells: readonly GuardedCell[],
  guards: Guards,
): { check: GuardCheck; refusals: GuardRefusal[] } {
  const forbidden = cells.filter(
    (g) => g.direction === 'opens' && g.country !== null && g.country in guards.neverEnable,
  );
  const count = Object.keys(guards.neverEnable).length;
  if (forbidden.length === 0)
    return {
      check: {
        guard: 'never_enable',
        passed: true,
        detail: count === 0 ? 'no country forbidden' : `no forbidden country opens (${count} forbidden)`,
      },
      refusals: [],
    };
  const countries = [...new Set(forbidden.map((g) => g.country as string))].sort();
  return {
    check: { guard: 'never_enable', passed: false, detail: `opens ${countries.join(', ')}` },
    refusals: [
      {
        guard: 'never_enable',
        message: `the plan opens ${countries.join(', ')}, which guards.never_enable forbids: ${list(forbidden)}. No flag or input overrides this; change the lists that open ${countries.length > 1 ? 'them' : 'it'}, or remove ${countries.length > 1 ? 'them' : 'it'} from guards.never_enable in the same change.`,
        cells: refsOf(forbidden),
      },
    ],
  };
}

/** A voice opening of a high-risk category (its own cell, or an effective cell of a join). */
const isHighRiskOpening = (g: GuardedCell): boolean =>
  g.direction === 'opens' &&
  (g.category === 'voice.high_risk_tollfraud' || g.category === 'voice.high_risk_special');

/** High-risk enables on trial accounts: Twilio requires an upgraded account, so nothing overrides it. */
/** Accounts read whose type Twilio did not say (a Standard or Restricted key cannot read the Account). */
const unknownType = (plan: Plan): ReadonlySet<string> =>
  new Set(plan.accounts.filter((a) => a.error === null && a.type === null).map((a) => a.sid));

function trialAccounts(
  cells: readonly GuardedCell[],
  trial: ReadonlySet<string>,
  unknown: ReadonlySet<string>,
): { check: GuardCheck; refusals: GuardRefusal[] } {
  const onTrial = cells.filter((g) => isHighRiskOpening(g) && trial.has(g.change.sid));
  if (onTrial.length === 0) {
    // Not a pass by knowledge: say when an account with a high-risk enable could not be told apart.
    const untold = new Set(
      cells.filter((g) => isHighRiskOpening(g) && unknown.has(g.change.sid)).map((g) => g.change.sid),
    );
    const known =
      trial.size === 0
        ? 'no trial account'
        : `no high-risk enable on the ${count(trial.size, 'trial account')}`;
    const detail =
      untold.size === 0
        ? known
        : `${known}; the type of ${count(untold.size, 'account')} with high-risk enables is unknown (the API key cannot read it), and Twilio refuses such enables on a trial account`;
    return { check: { guard: 'trial_account', passed: true, detail }, refusals: [] };
  }
  return {
    check: {
      guard: 'trial_account',
      passed: false,
      detail: `${count(onTrial.length, 'high-risk enable')} on trial accounts`,
    },
    refusals: [
      {
        guard: 'trial_account',
        message: `trial accounts can only enable low-risk voice destinations (Twilio requires an upgraded account for high-risk ranges), so these are refused: ${list(onTrial)}. Upgrade the account in the Console or remove them from the policy; no flag or input overrides this.`,
        cells: refsOf(onTrial),
      },
    ],
  };
}

/** High-risk enables elsewhere: passed when the policy acknowledges them, or by the run's override. */
function highRisk(
  cells: readonly GuardedCell[],
  trial: ReadonlySet<string>,
  options: GuardOptions,
): { check: GuardCheck; refusals: GuardRefusal[] } {
  const opening = cells.filter((g) => isHighRiskOpening(g) && !trial.has(g.change.sid));
  const acknowledged = opening.filter((g) => g.acknowledged);
  const open = opening.filter((g) => !g.acknowledged);
  const ack = acknowledged.length > 0 ? `, ${acknowledged.length} acknowledged in the policy` : '';
  if (opening.length === 0)
    return { check: { guard: 'high_risk', passed: true, detail: 'no high-risk enable' }, refusals: [] };
  if (open.length === 0 || options.allowHighRisk) {
    const lifted =
      open.length > 0
        ? `, ${open.length} allowed by ${options.surface === 'cli' ? '--allow-high-risk' : 'the allow-high-risk input'}`
        : '';
    return {
      check: {
        guard: 'high_risk',
        passed: true,
        detail: `${count(opening.length, 'high-risk enable')}${ack}${lifted}`,
      },
      refusals: [],
    };
  }
  const override =
    options.surface === 'cli'
      ? ', or run apply with --allow-high-risk once'
      : ', or set the action input allow-high-risk: true for one run';
  return {
    check: {
      guard: 'high_risk',
      passed: false,
      detail: `${count(open.length, 'high-risk enable')} not acknowledged${ack}`,
    },
    refusals: [
      {
        guard: 'high_risk',
        message: `the plan enables high-risk voice permissions (toll-fraud or special numbers) the policy does not acknowledge: ${list(open)}. To pass this as a reviewed change, acknowledge them in the policy: list the countries in guards.allow_high_risk, or grant each as an exception with a ticket ({country: CC, expires: YYYY-MM-DD, ticket: ID})${override}.`,
        cells: refsOf(open),
      },
    ],
  };
}

/** The guards a verdict refused, in its order: the job's one-line failure names them. */
export const refusedGuards = (verdict: GuardVerdict): GuardName[] =>
  verdict.checks.filter((c) => !c.passed).map((c) => c.guard);
