// Subaccount discovery: the subaccounts of each parent the policy declares, listed before the plan so
// templates can cover them and unmanaged ones are seen (plan/fleet.ts decides what each one is).
import { mapWithConcurrency } from './concurrency.js';
import type { DesiredState } from '../model/desired.js';
import { DISCOVERED_STATUSES, type Discovery, type ParentDiscovery } from '../model/live.js';
import type { TwilioGateway } from '../model/twilio-port.js';
import { messageOf, numberField } from '../model/errors.js';

/**
 * The parents discovery lists: every top-level account another account or a template names as parent.
 * None with `unmanaged: ignore` and no templates: then nothing would use the list, so nothing is asked.
 */
export function parentsToDiscover(desired: DesiredState): Array<{ name: string; sid: string }> {
  const fleets = desired.fleets ?? [];
  if (desired.unmanaged?.mode === 'ignore' && fleets.length === 0) return [];
  // Every top-level account: a subaccount the policy names nowhere is exactly what must not stay unseen.
  return desired.accounts.filter((a) => a.parent === null);
}

/**
 * Lists each parent's active and suspended subaccounts (closed ones are ignored). A parent whose list
 * fails (a Standard or Restricted API key cannot call /Accounts) is reported with Twilio's reason, so a
 * report says discovery did not happen rather than showing no unmanaged subaccounts.
 */
export async function discoverSubaccounts(
  gateway: TwilioGateway,
  desired: DesiredState,
  options: { concurrency: number },
): Promise<Discovery> {
  const parents = parentsToDiscover(desired);
  const found = await mapWithConcurrency(parents, options.concurrency, async (parent) => {
    const entry: ParentDiscovery = { parent: parent.name, sid: parent.sid, subaccounts: null, error: null };
    try {
      const client = await gateway.forAccount({ sid: parent.sid, parentSid: null });
      if (!client.listSubaccounts) throw new Error('this Twilio client cannot list subaccounts');
      entry.subaccounts = await client.listSubaccounts({ statuses: DISCOVERED_STATUSES });
    } catch (err) {
      entry.error = messageOf(err);
      const status = numberField(err, 'status');
      entry.refused = status === 401 || status === 403;
    }
    return entry;
  });
  return { parents: found };
}
