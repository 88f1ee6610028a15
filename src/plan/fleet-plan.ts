// The plan of a policy with discovered subaccounts: the ordinary plan of its accounts and template
// members, plus what discovery found (unmanaged subaccounts with their exposure, conflicts). Pure.
import type { Diagnostic } from '../model/diagnostics.js';
import { excerpt } from '../model/diagnostics.js';
import type { LiveRead } from '../model/live.js';
import type { Plan, PlanFleet, UnmanagedAccount, UnmanagedTarget } from '../model/plan.js';
import type { Guards } from '../model/desired.js';
import { buildPlan, compareChanges, diffAccount } from './build.js';
import { liveSide } from './drift.js';
import { countExposure, exposureUnits, RISK_ORDER } from './exposure.js';
import { denyAll, type GovernedFleet } from './fleet.js';

/** What an unmanaged subaccount has open: its cells against a profile that allows nothing, live side. */
function unmanagedAccount(
  target: UnmanagedTarget,
  live: LiveRead,
  guards: Guards,
  parentDesired: Parameters<typeof diffAccount>[0]['parent']['desired'],
): UnmanagedAccount {
  const liveAccount = live.accounts[target.sid];
  if (!liveAccount) {
    const error = live.errors.find((e) => e.sid === target.sid)?.message ?? 'the subaccount was not read';
    return { ...target, open: [], exposure: countExposure([]), error };
  }
  const diff = diffAccount({
    account: denyAll(target),
    live: liveAccount,
    guards,
    parent: { desired: parentDesired, live: live.accounts[target.parentSid] ?? null },
  });
  const open = diff.changes
    .map((c) => liveSide(c, guards))
    .filter((c) => c.direction === 'opens')
    .sort(compareChanges);
  return { ...target, open, exposure: countExposure(exposureUnits(open)), error: null };
}

/** Riskiest first: by the worst tier it has open, then by how much is open at that tier. */
function compareUnmanaged(a: UnmanagedAccount, b: UnmanagedAccount): number {
  const worst = (u: UnmanagedAccount) => {
    const i = RISK_ORDER.findIndex((r) => u.exposure.opensByRisk[r] > 0);
    return i < 0 ? RISK_ORDER.length : i;
  };
  const tier = RISK_ORDER[worst(a)];
  return (
    worst(a) - worst(b) ||
    (tier ? b.exposure.opensByRisk[tier] - a.exposure.opensByRisk[tier] : 0) ||
    a.friendlyName.localeCompare(b.friendlyName)
  );
}

/**
 * The plan of the governed fleet: template members are planned like any account (suspended and
 * conflicted ones as accounts that were not read), unmanaged subaccounts are reported, never planned.
 */
export function buildFleetPlan(governed: GovernedFleet, live: LiveRead): Plan {
  const { desired } = governed;
  const withPreset: LiveRead = { accounts: live.accounts, errors: [...live.errors, ...governed.preset] };
  const plan = buildPlan(desired, withPreset);
  const { shard } = governed;
  if (governed.discovery.parents.length === 0 && !shard) return plan;
  const byName = new Map(desired.accounts.map((a) => [a.name, a]));
  const fleet: PlanFleet = {
    parents: governed.discovery.parents.map((p) => ({
      parent: p.parent,
      sid: p.sid,
      subaccounts: p.subaccounts?.length ?? null,
      error: p.error,
      refused: p.refused ?? false,
    })),
    templates: (desired.fleets ?? []).map((f) => ({
      name: f.name,
      parent: f.parent,
      members: desired.accounts.filter((a) => a.fleet?.fleet === f.name).length,
      ...(shard ? { allMembers: shard.allMembers.get(f.name) ?? 0 } : {}),
    })),
    unmanagedRule: desired.unmanaged?.mode ?? 'report',
    unmanaged: governed.unmanaged
      .map((t) => unmanagedAccount(t, live, desired.guards, byName.get(t.parent) ?? null))
      .sort(compareUnmanaged),
    suspended: governed.suspended,
    conflicts: governed.conflicts,
    ...(shard ? { shard: shard.coverage } : {}),
  };
  const fleetOf = new Map(desired.accounts.flatMap((a) => (a.fleet ? [[a.sid, a.fleet.fleet]] : [])));
  const accounts = plan.accounts.map((a) => {
    const name = fleetOf.get(a.sid);
    return name ? { ...a, fleet: name } : a;
  });
  return { ...plan, accounts, fleet, warnings: [...plan.warnings, ...emptyTemplates(governed, fleet)] };
}

/**
 * A template whose parent was listed but whose `match` covers no subaccount: a typo in a glob would
 * otherwise govern nothing without a word (and, with `unmanaged: ignore`, report nothing either).
 */
function emptyTemplates(governed: GovernedFleet, fleet: PlanFleet): Diagnostic[] {
  const listed = new Set(fleet.parents.filter((p) => p.error === null).map((p) => p.parent));
  return (governed.desired.fleets ?? [])
    .filter(
      (t) =>
        listed.has(t.parent) &&
        // The whole fleet's members: a shard may hold none of a template's few.
        !fleet.templates.some((m) => m.name === t.name && (m.allMembers ?? m.members) > 0),
    )
    .map((t) => ({
      severity: 'warning' as const,
      location: t.location,
      message: `fleet "${excerpt(t.name)}" matches no subaccount of ${excerpt(t.parent)}: check its match (and except) against the subaccounts' friendly names`,
    }));
}
