// The guards' verdict on a plan, as the merge (or `geo-permissions apply`) would reach it: each guard
// passed or refused, and the refusals. INTERIM: plan/guards.ts is gaining `guardVerdict` with these
// types and a `surface` field in GuardOptions; once it lands, `verdictOnPlan` calls it (one line) and
// the types below are re-exported from there. Every caller goes through `verdictOnPlan`.
import type { DesiredState } from '../model/desired.js';
import type { Plan } from '../model/plan.js';
import { checkGuards, type GuardName, type GuardOptions, type GuardRefusal } from './guards.js';

/** Who reads a refusal: its text names only the flags (CLI) or the inputs (action) that exist there. */
export type GuardSurface = 'cli' | 'action';

export type VerdictOptions = GuardOptions & { surface: GuardSurface };

export interface GuardCheck {
  guard: GuardName;
  passed: boolean;
  detail: string;
}

export interface GuardVerdict {
  refused: boolean;
  checks: GuardCheck[];
  refusals: GuardRefusal[];
}

/** Every guard, in the order a verdict lists them. */
const GUARDS: readonly GuardName[] = ['max_changes', 'never_disable', 'high_risk', 'trial_account'];

/** Pure: the verdict of every guard on `plan`, refusals in checkGuards's order. */
export function verdictOnPlan(plan: Plan, desired: DesiredState, options: VerdictOptions): GuardVerdict {
  const refusals = checkGuards(plan, desired, options);
  const checks = GUARDS.map((guard): GuardCheck => {
    const mine = refusals.filter((r) => r.guard === guard);
    const cells = mine.reduce((n, r) => n + r.cells.length, 0);
    return mine.length
      ? { guard, passed: false, detail: `refused: ${cells} cell(s)` }
      : { guard, passed: true, detail: 'nothing refused' };
  });
  return { refused: refusals.length > 0, checks, refusals };
}

/** The guards a verdict refused, in its order: the job's one-line failure names them. */
export const refusedGuards = (verdict: GuardVerdict): GuardName[] =>
  verdict.checks.filter((c) => !c.passed).map((c) => c.guard);
