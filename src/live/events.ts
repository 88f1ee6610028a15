// Monitor Events for drift attribution, read through the Twilio port for the accounts that drifted.
import type { DesiredAccount } from '../model/desired.js';
import { DAY_MS } from '../model/limits.js';
import type { Plan } from '../model/plan.js';
import type { GeoEvent, TwilioGateway } from '../model/twilio-port.js';

export interface EventsOptions {
  now: Date;
  /** How far back to look for Monitor Events (Twilio keeps 30 days on free editions, 13 months on paid). */
  lookbackDays: number;
}

/** Events per account SID, and the accounts whose events could not be read. */
export interface EventsRead {
  bySid: Record<string, GeoEvent[]>;
  errors: Array<{ account: string; sid: string; message: string }>;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The geo-permission Monitor Events of every account of the plan that has changes (the others have
 * nothing to attribute), one account at a time. An account whose events cannot be read is listed in
 * `errors` and left out of `bySid`: attribution is a courtesy, the drift is reported without it.
 */
export async function readDriftEvents(
  gateway: TwilioGateway,
  desired: { readonly accounts: readonly Pick<DesiredAccount, 'sid' | 'parentSid'>[] },
  plan: Pick<Plan, 'accounts'>,
  options: EventsOptions,
): Promise<EventsRead> {
  const since = new Date(options.now.getTime() - options.lookbackDays * DAY_MS);
  const read: EventsRead = { bySid: {}, errors: [] };
  for (const account of plan.accounts) {
    if (account.changes.length === 0) continue;
    const target = desired.accounts.find((a) => a.sid === account.sid);
    if (!target) continue;
    try {
      const client = await gateway.forAccount({ sid: target.sid, parentSid: target.parentSid });
      read.bySid[target.sid] = await client.listGeoEvents(since);
    } catch (err) {
      read.errors.push({ account: account.account, sid: account.sid, message: messageOf(err) });
    }
  }
  return read;
}
