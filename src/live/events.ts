// Monitor Events for drift attribution, read through the Twilio port for the accounts that drifted.
import { mapWithConcurrency } from './concurrency.js';
import { DEFAULT_CONCURRENCY } from '../model/defaults.js';
import type { DesiredAccount } from '../model/desired.js';
import { DAY_MS } from '../model/limits.js';
import type { DriftEvents, Plan } from '../model/plan.js';
import type { GeoEvent, TwilioGateway } from '../model/twilio-port.js';
import { messageOf, numberField } from '../model/errors.js';
import { SID_FRAGMENT } from '../model/patterns.js';

export interface EventsOptions {
  now: Date;
  /** How far back to look for Monitor Events (Twilio keeps 30 days on free editions, 13 months on paid). */
  lookbackDays: number;
  /** Accounts whose events are read at once: the reads' `concurrency` (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
}

/** Events per account SID, the accounts whose events could not be read (and why), and the lookback. */
export type EventsRead = DriftEvents;

const REASON_MAX = 160;
const shorten = (text: string) => (text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text);

/**
 * Why an account's events could not be read, short enough for a report cell: "HTTP 403, Twilio error
 * 20003: Authenticate" when the error carries a status, else the error's own words without the request
 * they describe ("connection failed (ECONNRESET) after 4 attempts …"). Both come from the adapter's
 * error, whose message never holds a credential; the hint that follows Twilio's message is left out.
 */
export function unavailableReason(err: unknown): string {
  const message = messageOf(err);
  const status = numberField(err, 'status');
  if (status === null) return shorten(message.replace(new RegExp(`^[^:]* for ${SID_FRAGMENT('AC')}: `), ''));
  const code = numberField(err, 'code');
  if (code === null) return `HTTP ${status}`;
  // The adapter writes Twilio's own message as "Twilio error CODE: MESSAGE." before its hint.
  const twilio = new RegExp(`Twilio error ${code}: (.+?)\\.(?: |$)`).exec(message)?.[1];
  return shorten(`HTTP ${status}, Twilio error ${code}${twilio ? `: ${twilio}` : ''}`);
}

type Outcome = { sid: string; events: GeoEvent[] } | { error: EventsRead['errors'][number] };

/**
 * The geo-permission Monitor Events of every account of the plan that has changes (the others have
 * nothing to attribute), `concurrency` accounts at once, folded in the plan's order whatever order they
 * finish in. An account whose events cannot be read is listed in `errors` and left out of `bySid`:
 * attribution is a courtesy, the drift is reported without it, and the report says why its cells are
 * not attributed.
 */
export async function readDriftEvents(
  gateway: TwilioGateway,
  desired: { readonly accounts: readonly Pick<DesiredAccount, 'sid' | 'parentSid'>[] },
  plan: Pick<Plan, 'accounts'>,
  options: EventsOptions,
): Promise<EventsRead> {
  const since = new Date(options.now.getTime() - options.lookbackDays * DAY_MS);
  const targets = new Map<string, Pick<DesiredAccount, 'sid' | 'parentSid'>>();
  // The first entry of a SID wins, as a search of the list would find it.
  for (const account of desired.accounts) if (!targets.has(account.sid)) targets.set(account.sid, account);
  const drifted = plan.accounts.flatMap((account) => {
    const target = targets.get(account.sid);
    return account.changes.length > 0 && target ? [{ account, target }] : [];
  });
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const outcomes = await mapWithConcurrency(
    drifted,
    concurrency,
    async ({ account, target }): Promise<Outcome> => {
      try {
        const client = await gateway.forAccount({ sid: target.sid, parentSid: target.parentSid });
        return { sid: target.sid, events: await client.listGeoEvents(since) };
      } catch (err) {
        const reason = unavailableReason(err);
        return { error: { account: account.account, sid: account.sid, message: messageOf(err), reason } };
      }
    },
  );
  const bySid: Record<string, GeoEvent[]> = {};
  const errors: EventsRead['errors'][number][] = [];
  for (const outcome of outcomes)
    if ('error' in outcome) errors.push(outcome.error);
    else bySid[outcome.sid] = outcome.events;
  return { bySid, errors, lookbackDays: options.lookbackDays };
}
