/**
 * The order accounts are applied in, by family (a parent and its subaccounts), and what one account's
 * outcome means for another's schedule. Pure.
 *
 * Inheritance ties a subaccount's voice lists to its parent's:
 *  - A subaccount that joins inheritance must do so only once its parent's voice disables verified (else
 *    it would take on the parent's unnarrowed lists), so subaccounts go after their parent.
 *  - Except a subaccount that is to leave inheritance: it goes before its parent. Should it still follow
 *    the parent afterwards (Twilio refused to let it leave, or it left but its own lists could not be
 *    narrowed and it was put back), every voice enable of the parent would reach it. Those its own policy
 *    does not allow are then held back on the parent (heldEnables). Holding them is the safe side of the
 *    promise: the parent stays narrower than its policy for one run and the run fails, instead of the
 *    subaccount becoming wider than both its old and its new policy (toll-fraud ranges included) through
 *    a parent whose enables were reviewed for the parent only. The next run, once the subaccount left,
 *    enables them.
 */
import type { DesiredAccount } from '../model/desired.js';
import type { AccountPlan } from '../model/plan.js';
import { cellId } from '../plan/cells.js';
import { VOICE_FLAG, isVoiceFlag } from '../model/plan.js';
import { heldForChild } from './schedule.js';
import type { CellRun } from './write.js';

export interface FamilyWaves {
  /** Subaccounts the plan takes out of inheritance (their parent is applied too). */
  leaving: AccountPlan[];
  /** Every account that is not a subaccount of another account being applied. */
  parents: AccountPlan[];
  /** The other subaccounts of accounts being applied. */
  children: AccountPlan[];
}

const leavesInheritance = (planned: AccountPlan): boolean =>
  planned.changes.some((c) => c.category === 'voice.inherit' && !c.to);

export function familyWaves(
  work: readonly AccountPlan[],
  bySid: ReadonlyMap<string, DesiredAccount>,
): FamilyWaves {
  const workSids = new Set(work.map((a) => a.sid));
  const waves: FamilyWaves = { leaving: [], parents: [], children: [] };
  for (const planned of work) {
    if (!workSids.has(bySid.get(planned.sid)?.parentSid ?? '')) waves.parents.push(planned);
    else if (leavesInheritance(planned)) waves.leaving.push(planned);
    else waves.children.push(planned);
  }
  return waves;
}

/**
 * Nothing later in the run depends on this account's outcome: a subaccount (never anyone's parent) that
 * does not leave inheritance (a parent's enables wait for those). Its read-back is left to the end pass,
 * which reads every account once all are done anyway (apply.ts). A parent is read back before its
 * subaccounts are applied: those that join inheritance need its voice disables verified.
 */
export const readBackAtEnd = (planned: AccountPlan, bySid: ReadonlyMap<string, DesiredAccount>): boolean =>
  (bySid.get(planned.sid)?.parentSid ?? null) !== null && !leavesInheritance(planned);

/** Parents whose voice disables (inheritance left included) did not all verify. */
export function unnarrowedParents(cells: readonly CellRun[]): Set<string> {
  return new Set(
    cells
      .filter((c) => c.change.category.startsWith('voice.') && !c.change.to && c.outcome !== 'verified')
      .map((c) => c.change.sid),
  );
}

/**
 * Subaccounts (by SID) that may still follow their parent against their policy: their inheritance cell
 * (leaving it, or found inheriting at the end) did not verify.
 */
export function stillFollowing(cells: readonly CellRun[]): Set<string> {
  return new Set(
    cells
      .filter((c) => c.change.category === 'voice.inherit' && !c.change.to && c.outcome !== 'verified')
      .map((c) => c.change.sid),
  );
}

/** The parent's planned voice enables that a subaccount still following it does not allow, with why. */
export function heldEnables(
  parent: AccountPlan,
  following: ReadonlySet<string>,
  bySid: ReadonlyMap<string, DesiredAccount>,
): Map<string, string> {
  const children = [...following]
    .map((sid) => bySid.get(sid))
    .filter((c): c is DesiredAccount => c?.parentSid === parent.sid);
  const held = new Map<string, string>();
  for (const change of parent.changes) {
    if (!change.to || !isVoiceFlag(change.category)) continue;
    const flag = VOICE_FLAG[change.category];
    const refusing = children.filter(
      (child) => !child.voice.inherit && !(change.country! in child.voice[flag]),
    );
    if (refusing.length > 0) held.set(cellId(change), heldForChild(refusing.map((c) => c.name).join(', ')));
  }
  return held;
}
