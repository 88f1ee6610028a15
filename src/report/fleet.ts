// What subaccount discovery found, in every plan and drift report: parents whose subaccounts could not be
// listed (so nothing unmanaged can be seen there), and unmanaged subaccounts with what they have open,
// critical first, in the same rows as every exposure table. Unmanaged subaccounts are never written.
import type { PlanFleet, UnmanagedAccount } from '../model/plan.js';
import { exposureRows, type Fleet } from './exposure-groups.js';
import { EXPOSURE_HEAD, renderRows } from './exposure-table.js';
import { RISK_ORDER } from '../plan/exposure.js';
import { plural, type Escape } from './format.js';
import { mdCode, mdText, termText } from './escape.js';
import { RISK_BADGE, tableOf } from './markdown.js';
import { RISK_STYLE, table, type Paint } from './text.js';

/** How many unmanaged subaccounts are named one by one; more are counted. */
const NAMED_UNMANAGED = 50;

/** "3 critical, 1 medium open", "not read: …", or "nothing open". */
function exposureWords(u: UnmanagedAccount): string {
  if (u.error !== null) return `not read: ${u.error}`;
  const risks = RISK_ORDER.filter((r) => u.exposure.opensByRisk[r] > 0).map(
    (r) => `${u.exposure.opensByRisk[r]} ${r}`,
  );
  return risks.length > 0 ? `${risks.join(', ')} open` : 'nothing open';
}

/** "Shard 2/4 covers 2503 of 10001 accounts and 3 of 12 unmanaged subaccounts; …": a sharded report's scope. */
function shardLine(shard: NonNullable<PlanFleet['shard']>): string {
  const unmanaged =
    shard.allUnmanaged > 0
      ? ` and ${shard.unmanaged} of ${plural(shard.allUnmanaged, 'unmanaged subaccount')}`
      : '';
  return `Shard ${shard.shard} covers ${shard.accounts} of ${plural(shard.allAccounts, 'account')}${unmanaged}; the other shards cover the rest.`;
}

/** The line each report's verdict gains when discovery found something a reader must know, and its shard. */
export function fleetVerdict(fleet: PlanFleet | undefined): string | null {
  if (!fleet) return null;
  const found = discoveryVerdict(fleet);
  const scope = fleet.shard ? shardLine(fleet.shard) : null;
  return [found, scope].filter((x) => x !== null).join(' ') || null;
}

function discoveryVerdict(fleet: PlanFleet): string | null {
  const parts: string[] = [];
  if (fleet.unmanaged.length > 0) {
    const critical = fleet.unmanaged.filter((u) => u.exposure.opensByRisk.critical > 0).length;
    const extra = critical > 0 ? ` (${critical} with critical exposure)` : '';
    parts.push(`${plural(fleet.unmanaged.length, 'unmanaged subaccount')}${extra}, never written`);
  }
  if (fleet.suspended.length > 0)
    parts.push(`${plural(fleet.suspended.length, 'suspended subaccount')}, never read or written`);
  const unlisted = fleet.parents.filter((p) => p.error !== null);
  if (unlisted.length > 0) parts.push(`subaccounts of ${plural(unlisted.length, 'parent')} not listed`);
  if (fleet.conflicts.length > 0)
    parts.push(`${plural(fleet.conflicts.length, 'subaccount')} matched by two fleets`);
  return parts.length > 0 ? `Fleet: ${parts.join('; ')}.` : null;
}

const unlistedLine = (p: PlanFleet['parents'][number], esc: Escape, code: Escape): string =>
  `Subaccounts of ${esc(p.parent)} ${code(p.sid)} were not listed, so unmanaged subaccounts there cannot be seen and fleets cover none of them: ${esc(p.error ?? '')}`;

/** The unmanaged subaccounts as the rows' "accounts" label counts them ("all 3 subaccounts of prod"). */
const fleetOf = (fleet: PlanFleet): Fleet =>
  fleet.unmanaged.map((u) => ({ account: u.friendlyName, sid: u.sid, parent: u.parent }));

function templatesLine(fleet: PlanFleet): string | null {
  if (fleet.templates.length === 0) return null;
  const each = fleet.templates.map((t) =>
    t.allMembers === undefined
      ? `${t.name} (${plural(t.members, 'subaccount')} of ${t.parent})`
      : `${t.name} (${t.members} of ${plural(t.allMembers, 'subaccount')} of ${t.parent} in this shard)`,
  );
  return `Fleets: ${each.join(', ')}; unmanaged subaccounts: ${fleet.unmanagedRule}.`;
}

/** "old-customer (AC…, subaccount of production, fleet customers)": a suspended subaccount, in a list. */
const suspendedLine = (s: PlanFleet['suspended'][number], esc: Escape, code: Escape): string =>
  `${esc(s.friendlyName)} ${code(s.sid)} (subaccount of ${esc(s.parent)}${s.fleet ? `, fleet ${esc(s.fleet)}` : ', unmanaged'})`;

const SUSPENDED_HEAD =
  'Suspended subaccounts (Twilio refuses every request of a suspended account: never read or written):';

/** The fleet section of a text report (plan or drift). */
export function fleetText(fleet: PlanFleet | undefined, paint: Paint): string[] {
  if (!fleet) return [];
  const lines: string[] = [];
  const templates = templatesLine(fleet);
  if (templates) lines.push('', termText(templates));
  for (const p of fleet.parents.filter((q) => q.error !== null))
    lines.push('', paint('red', unlistedLine(p, termText, termText)));
  if (fleet.suspended.length > 0)
    lines.push(
      '',
      SUSPENDED_HEAD,
      ...fleet.suspended.slice(0, NAMED_UNMANAGED).map((x) => `  ${suspendedLine(x, termText, termText)}`),
      ...(fleet.suspended.length > NAMED_UNMANAGED
        ? [`  …and ${fleet.suspended.length - NAMED_UNMANAGED} more`]
        : []),
    );
  if (fleet.unmanaged.length === 0) return lines;
  const open = fleet.unmanaged.flatMap((u) => u.open);
  const rows = renderRows(exposureRows(open), 'opens', 'cells', fleetOf(fleet), termText, (r) =>
    paint(RISK_STYLE[r.risk], r.risk),
  );
  lines.push('', paint('bold', 'Unmanaged subaccounts (covered by no account or fleet; never written):'));
  if (rows.length > 0) lines.push(...table(rows.map((r) => r.cells)));
  for (const u of fleet.unmanaged.slice(0, NAMED_UNMANAGED))
    lines.push(
      `  ${termText(u.friendlyName)} (${termText(u.sid)}, subaccount of ${termText(u.parent)}): ${termText(exposureWords(u))}`,
    );
  if (fleet.unmanaged.length > NAMED_UNMANAGED)
    lines.push(`  …and ${fleet.unmanaged.length - NAMED_UNMANAGED} more (see the JSON report)`);
  return lines;
}

/** The fleet section of a Markdown report (plan or drift); `max` bounds the named subaccounts. */
export function fleetMarkdown(fleet: PlanFleet | undefined, max = NAMED_UNMANAGED): string[] {
  if (!fleet) return [];
  const lines: string[] = [];
  const templates = templatesLine(fleet);
  if (templates) lines.push('', mdText(templates));
  for (const p of fleet.parents.filter((q) => q.error !== null))
    lines.push('', `> [!WARNING]\n> ${unlistedLine(p, mdText, mdCode)}`);
  if (fleet.suspended.length > 0)
    lines.push(
      '',
      SUSPENDED_HEAD,
      '',
      ...fleet.suspended.slice(0, max).map((x) => `- ${suspendedLine(x, mdText, mdCode)}`),
      ...(fleet.suspended.length > max ? [`- …and ${fleet.suspended.length - max} more`] : []),
    );
  if (fleet.unmanaged.length === 0) return lines;
  const open = fleet.unmanaged.flatMap((u) => u.open);
  const rows = renderRows(
    exposureRows(open),
    'opens',
    'cells',
    fleetOf(fleet),
    mdText,
    (r) => RISK_BADGE[r.risk],
  );
  lines.push('', `### Unmanaged subaccounts (${fleet.unmanaged.length})`, '');
  lines.push(
    'Covered by no account or fleet, so never written: add them to the policy, or set `unmanaged:`.',
  );
  if (rows.length > 0)
    lines.push(
      '',
      ...tableOf(
        EXPOSURE_HEAD,
        rows.map((r) => r.cells),
      ),
    );
  lines.push('');
  for (const u of fleet.unmanaged.slice(0, max))
    lines.push(
      `- ${mdText(u.friendlyName)} ${mdCode(u.sid)} (subaccount of ${mdText(u.parent)}): ${mdText(exposureWords(u))}`,
    );
  if (fleet.unmanaged.length > max)
    lines.push(`- …and ${fleet.unmanaged.length - max} more (see the JSON report)`);
  return lines;
}
