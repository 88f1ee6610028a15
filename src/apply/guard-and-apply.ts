/**
 * The one guard-then-apply sequence of the CLI apply, the action's merge apply and the drift revert:
 * the guards first, then (the CLI only) the confirmation, then the apply. Each caller keeps its own
 * decisions before it (the action binds the plan to the reviewed one) and renders the answer itself.
 * A cancel (`apply.signal`, aborted by the caller's signal handler) reaches applyPlan, which then starts
 * no account; one that came before or while asking is an answer of no.
 */
import type { DesiredState } from '../model/desired.js';
import type { ApplyResult, Plan } from '../model/plan.js';
import type { TwilioGateway } from '../model/twilio-port.js';
import { unlistedMembers } from '../plan/fleet.js';
import { checkGuards, type GuardOptions, type GuardRefusal } from '../plan/guards.js';
import { applyPlan, type ApplyOptions } from './apply.js';

export interface GuardAndApplyInput {
  desired: DesiredState;
  plan: Plan;
  gateway: TwilioGateway;
  guards: GuardOptions;
  apply: ApplyOptions;
  /** Asked once the guards passed, before the first write; false: nothing is written (the CLI prompt). */
  confirm?: () => Promise<boolean>;
}

export type Refused = { status: 'refused'; refusals: GuardRefusal[] };
export type NotConfirmed = { status: 'not-confirmed' };
export type Applied = { status: 'applied'; result: ApplyResult };

/** Without `confirm`, the answer is refused or applied. */
export function guardAndApply(
  input: GuardAndApplyInput & { confirm?: undefined },
): Promise<Refused | Applied>;
export function guardAndApply(input: GuardAndApplyInput): Promise<Refused | NotConfirmed | Applied>;
export async function guardAndApply(input: GuardAndApplyInput): Promise<Refused | NotConfirmed | Applied> {
  const refusals = checkGuards(input.plan, input.desired, input.guards);
  if (refusals.length > 0) return { status: 'refused', refusals };
  const cancelled = () => input.apply.signal?.aborted === true;
  if (input.confirm && (cancelled() || !(await input.confirm()) || cancelled()))
    return { status: 'not-confirmed' };
  const result = await applyPlan(input.desired, input.plan, input.gateway, input.apply);
  // Members of a template whose parent could not be listed were never planned: not a success.
  const unlisted = unlistedMembers(input.plan);
  if (unlisted.length === 0) return { status: 'applied', result };
  return {
    status: 'applied',
    result: { ...result, ok: false, accountErrors: [...result.accountErrors, ...unlisted] },
  };
}
