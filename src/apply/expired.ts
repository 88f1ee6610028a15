/**
 * Closes the cells expired exceptions left open (plan/expired.ts finds them), as restrictive changes
 * through the one apply (apply.ts applyPlan: the ordered writes, the read-back, the final check). A
 * protected (guards.never_disable) or Console-only cell is reported, never written; every other one ends
 * `disabled` (read back off), `failed` (with Twilio's code and why) or `skipped` (a cancel came first).
 */
import type { DesiredState } from '../model/desired.js';
import type { LiveRead } from '../model/live.js';
import type { ExpiredCell, ExpiredResult, ExpiryEnforcement, Plan } from '../model/plan.js';
import type { TwilioGateway } from '../model/twilio-port.js';
import { compareChanges } from '../plan/build.js';
import { cellId } from '../plan/cells.js';
import { EXPIRED_DETAIL, expiryEnforcementPlan, expiryTargetOf, splitExpired } from '../plan/expired.js';
import { applyPlan, type ApplyOptions } from './apply.js';
import { neededElsewhere } from './shard-followers.js';

export interface ExpiredInput {
  /** The desired state the plan was made from (template members included). */
  desired: DesiredState;
  plan: Plan;
  /** The reads the plan was made from; each account is read again right before its writes. */
  live: LiveRead;
  cells: readonly ExpiredCell[];
  gateway: TwilioGateway;
  options: Omit<ApplyOptions, 'reads' | 'targetOf'>;
}

export async function closeExpired(input: ExpiredInput): Promise<ExpiryEnforcement> {
  // A sharded run did not read the subaccounts other shards apply: a parent's cell one needs stays open.
  const { shard } = input.desired;
  const cells = await neededElsewhere(shard, input.cells, input.gateway, input.options.concurrency);
  const { toDisable, settled } = splitExpired(cells, input.desired.guards);
  if (toDisable.length === 0) return { mode: 'enforce', cells: settled, writeRequests: 0, accountErrors: [] };
  const target = expiryEnforcementPlan(input.desired, input.plan, input.live, toDisable);
  // Not the scan's reads: the scan (Monitor Events included) may be minutes old, and another writer
  // (an apply, a person) may have changed the account since. The target is made from the re-read.
  const result = await applyPlan(target.desired, target.plan, input.gateway, {
    ...input.options,
    targetOf: expiryTargetOf(toDisable),
  });
  const byId = new Map(result.cells.map((c) => [cellId(c), c]));
  const written = toDisable.map((cell): ExpiredResult => {
    const row = byId.get(cellId(cell));
    if (!row) return { ...cell, outcome: 'failed', errorCode: null, detail: EXPIRED_DETAIL.notAttempted };
    const outcome =
      row.outcome === 'verified'
        ? 'disabled'
        : row.outcome === 'skipped' && result.cancelled
          ? 'skipped'
          : row.outcome === 'manual'
            ? 'manual'
            : 'failed';
    return { ...cell, outcome, errorCode: row.errorCode, detail: row.detail };
  });
  return {
    mode: 'enforce',
    cells: [...written, ...settled].sort(compareChanges),
    writeRequests: result.writeRequests,
    accountErrors: result.accountErrors,
    ...(result.cancelled ? { cancelled: true as const } : {}),
  };
}
