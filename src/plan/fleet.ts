// What each discovered subaccount is: an explicit account, a template member, unmanaged, or matched by two
// templates (an error). Pure: policy templates + the listed subaccounts -> the accounts to plan and read.
import type { DesiredAccount, DesiredState, FleetTemplate, GrantSet } from '../model/desired.js';
import type { AccountIdentity, Discovery, LiveRead } from '../model/live.js';
import type { FleetConflict, PlanFleet, PlanShard, UnmanagedTarget } from '../model/plan.js';
import { narrowGoverned, type Shard } from './shard.js';

/**
 * A friendly-name glob: `*` any run of characters, `?` one, `\\` makes the next character literal (`\\all`
 * is the name "all", which the policy refuses as a bare word); case-insensitive, whole name.
 */
export function globMatches(glob: string, name: string): boolean {
  const literal = (ch: string) => ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  const source = (glob.match(/\\.|[\s\S]/g) ?? [])
    .map((t) =>
      t.length === 2 && t[0] === '\\' ? literal(t.slice(1)) : t === '*' ? '.*' : t === '?' ? '.' : literal(t),
    )
    .join('');
  return new RegExp(`^${source}$`, 'is').test(name);
}

/** Does the template cover this subaccount by its own match (not through `unmanaged: enforce`)? */
export function templateCovers(template: FleetTemplate, sub: AccountIdentity): boolean {
  if (sub.ownerAccountSid !== template.parentSid || excepted(template, sub)) return false;
  return template.match === null || template.match.some((g) => globMatches(g, sub.friendlyName));
}

/** Does the template's `except` leave this subaccount out (then `enforce` does not bring it in either)? */
const excepted = (template: FleetTemplate, sub: AccountIdentity): boolean =>
  template.except.some((e) => e === sub.sid || globMatches(e, sub.friendlyName));

export interface GovernedFleet {
  /** The policy's accounts, then one per template member (named by friendly name, unique). */
  desired: DesiredState;
  /** The accounts to read: every account but conflicted members, and the unmanaged to report. */
  reads: Array<Pick<DesiredAccount, 'name' | 'sid' | 'parentSid'>>;
  /** Accounts known not to be read: subaccounts two templates match. */
  preset: LiveRead['errors'];
  discovery: Discovery;
  unmanaged: UnmanagedTarget[];
  suspended: PlanFleet['suspended'];
  conflicts: FleetConflict[];
  /** A sharded run: what of the fleet this shard covers, and each template's members in the whole fleet. */
  shard?: { coverage: PlanShard; allMembers: ReadonlyMap<string, number> };
}

const NOTHING: GrantSet = {};

/** The profile nothing grants: an unmanaged subaccount's exposure is everything it has open against it. */
export function denyAll(target: UnmanagedTarget): DesiredAccount {
  const location = { file: '', line: 0, column: 0 };
  return {
    name: target.friendlyName,
    sid: target.sid,
    parent: target.parent,
    parentSid: target.parentSid,
    location,
    voice: {
      inherit: false,
      location,
      low_risk: NOTHING,
      high_risk_special: NOTHING,
      high_risk_tollfraud: NOTHING,
    },
    messaging: NOTHING,
  };
}

function uniqueName(sub: AccountIdentity, taken: Set<string>): string {
  const base = sub.friendlyName.trim() === '' ? sub.sid : sub.friendlyName;
  const name = taken.has(base) ? `${base} (${sub.sid})` : base;
  taken.add(name);
  return name;
}

function member(
  template: FleetTemplate,
  sub: AccountIdentity,
  name: string,
  enforced: boolean,
): DesiredAccount {
  return {
    name,
    sid: sub.sid,
    parent: template.parent,
    parentSid: template.parentSid,
    location: template.location,
    voice: template.voice,
    messaging: template.messaging,
    fleet: { fleet: template.name, friendlyName: sub.friendlyName, enforced },
  };
}

/**
 * Sorts every discovered subaccount. An explicit `accounts:` entry (matched by SID) wins over templates;
 * one matched by two templates is a conflict naming both (neither profile is applied); one matched by
 * none is unmanaged: `report` lists it with its exposure, `ignore` drops it, `enforce` gives it the named
 * template. Suspended subaccounts are never read or planned: they are reported (under `ignore`, only members).
 * With a `shard`, the whole fleet is sorted first, then narrowed to that shard's part (plan/shard.ts).
 */
export function governFleet(
  desired: DesiredState,
  discovery: Discovery,
  shard: Shard | null = null,
): GovernedFleet {
  return narrowGoverned(governWhole(desired, discovery), shard);
}

function governWhole(desired: DesiredState, discovery: Discovery): GovernedFleet {
  const explicit = new Set(desired.accounts.map((a) => a.sid));
  const taken = new Set(desired.accounts.map((a) => a.name));
  const fleets = desired.fleets ?? [];
  const rule = desired.unmanaged ?? { mode: 'report', fleet: null, location: null };
  const enforceWith = rule.mode === 'enforce' ? fleets.find((f) => f.name === rule.fleet) : undefined;
  const out: GovernedFleet = {
    desired: { ...desired, accounts: [...desired.accounts] },
    reads: [...desired.accounts],
    preset: [],
    discovery,
    unmanaged: [],
    suspended: [],
    conflicts: [],
  };
  for (const parent of discovery.parents) {
    for (const sub of parent.subaccounts ?? []) {
      if (explicit.has(sub.sid)) continue;
      const matched = fleets.filter((f) => templateCovers(f, sub));
      const enforced =
        matched.length === 0 &&
        enforceWith !== undefined &&
        enforceWith.parentSid === sub.ownerAccountSid &&
        !excepted(enforceWith, sub);
      const template = matched[0] ?? (enforced ? enforceWith : undefined);
      if (sub.status === 'suspended') {
        if (template || rule.mode !== 'ignore')
          out.suspended.push({
            friendlyName: sub.friendlyName,
            sid: sub.sid,
            parent: parent.parent,
            fleet: template?.name ?? null,
          });
        continue;
      }
      const name = uniqueName(sub, taken);
      if (!template) {
        if (rule.mode === 'ignore') continue;
        out.unmanaged.push({
          friendlyName: name,
          sid: sub.sid,
          parent: parent.parent,
          parentSid: parent.sid,
        });
        out.reads.push({ name, sid: sub.sid, parentSid: parent.sid });
        continue;
      }
      out.desired.accounts.push(member(template, sub, name, enforced));
      if (matched.length > 1) {
        const names = matched.map((f) => `"${f.name}" (line ${f.location.line})`).join(' and ');
        out.conflicts.push({
          friendlyName: sub.friendlyName,
          sid: sub.sid,
          parent: parent.parent,
          fleets: matched.map((f) => f.name),
        });
        out.preset.push({
          account: name,
          sid: sub.sid,
          message: `matched by the fleets ${names}: a subaccount takes one template, so narrow a "match" or add it to an "except" (or give it its own entry under "accounts:"); neither profile was applied`,
        });
      } else out.reads.push({ name, sid: sub.sid, parentSid: parent.sid });
    }
  }
  return out;
}

/**
 * The parents a template governs (by its own match, or `unmanaged: {enforce}`) whose subaccounts could not
 * be listed: their members were neither planned nor applied, so an apply of the plan did not do what the
 * policy asks of them, and a scan of it is incomplete (plan/drift.ts). One error per parent.
 */
export function unlistedMembers(plan: {
  fleet?: PlanFleet;
}): Array<{ account: string; sid: string; message: string }> {
  const fleet = plan.fleet;
  if (!fleet) return [];
  return fleet.parents.flatMap((p) => {
    const templates = fleet.templates.filter((t) => t.parent === p.parent).map((t) => t.name);
    if (p.error === null || templates.length === 0) return [];
    const which = `${templates.length === 1 ? 'fleet' : 'fleets'} ${templates.join(', ')}`;
    const message = `its subaccounts could not be listed, so the members of ${which} were neither planned nor applied: ${p.error}`;
    return [{ account: p.parent, sid: p.sid, message }];
  });
}
