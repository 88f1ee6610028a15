import type { DesiredState } from '../model/desired.js';
import type { LiveRead } from '../model/live.js';
import type { CellChange, DriftItem, DriftReport } from '../model/plan.js';
import type { GeoEvent, GeoEventChange, TwilioGateway } from '../model/twilio-port.js';
import { buildPlan } from './build.js';
import { DAY_MS } from '../model/limits.js';

export interface DriftOptions {
  now: Date;
  /** How far back to look for Monitor Events (Twilio keeps 30 days on free editions, 13 months on paid). */
  lookbackDays: number;
}

const VOICE_FIELDS: Record<string, string[]> = {
  'voice.low_risk': ['low_risk_numbers_enabled', 'low_risk', 'low_risk_numbers'],
  'voice.high_risk_special': [
    'high_risk_special_numbers_enabled',
    'high_risk_special',
    'high_risk_special_numbers',
  ],
  'voice.high_risk_tollfraud': [
    'high_risk_tollfraud_numbers_enabled',
    'high_risk_tollfraud',
    'high_risk_tollfraud_numbers',
    'high_risk_irsf_numbers',
  ],
  'voice.inherit': ['dialing_permissions_inheritance', 'inheritance'],
};

const truthy = (value: string | null): boolean | null => {
  if (value === null) return null;
  const v = value.trim().toLowerCase();
  if (['true', 'enabled', 'on', '1', 'yes'].includes(v)) return true;
  if (['false', 'disabled', 'off', '0', 'no'].includes(v)) return false;
  return null;
};

/** Does this event change say the cell was set to its current live value? */
function matches(item: CellChange, event: GeoEvent, change: GeoEventChange): boolean {
  const voice = item.category.startsWith('voice.');
  if (voice !== event.eventType.startsWith('voice-')) return false;
  const fields = VOICE_FIELDS[item.category] ?? [];
  if (item.category === 'voice.inherit') {
    // The inheritance flag has no country: Twilio's payload names it as the property itself.
    if (!fields.includes(change.field ?? '') && !fields.includes(change.country.toLowerCase())) return false;
  } else {
    if (change.country.toUpperCase() !== item.country) return false;
    if (voice && change.field !== null && !fields.includes(change.field)) return false;
  }
  const updated = truthy(change.updated);
  return updated === null || updated === item.from;
}

/** The newest event that explains the live value of a drifted cell, if the retention window still has it. */
export function attribute(item: CellChange, events: readonly GeoEvent[]): GeoEvent | null {
  let best: GeoEvent | null = null;
  for (const event of events) {
    if (!event.changes.some((change) => matches(item, event, change))) continue;
    if (!best || event.eventDate > best.eventDate) best = event;
  }
  return best;
}

/**
 * The plan framed as drift: every cell whose live value differs from the policy, with the Monitor Event
 * that set it when one exists. An account whose events cannot be read keeps its items, unattributed.
 */
export async function buildDriftReport(
  desired: DesiredState,
  live: LiveRead,
  gateway: TwilioGateway,
  options: DriftOptions,
): Promise<DriftReport> {
  const plan = buildPlan(desired, live);
  const since = new Date(options.now.getTime() - options.lookbackDays * DAY_MS);
  const items: DriftItem[] = [];
  for (const account of plan.accounts) {
    if (account.changes.length === 0) continue;
    const target = desired.accounts.find((a) => a.sid === account.sid);
    let events: GeoEvent[] = [];
    if (target) {
      try {
        const client = await gateway.forAccount({ sid: target.sid, parentSid: target.parentSid });
        events = await client.listGeoEvents(since);
      } catch {
        // Attribution is a courtesy: without events the drift is still reported, as "unknown".
        events = [];
      }
    }
    for (const change of account.changes) items.push({ ...change, attribution: attribute(change, events) });
  }
  return {
    schemaVersion: 1,
    policyFile: plan.policyFile,
    fingerprint: plan.fingerprint,
    complete: plan.accounts.every((a) => a.error === null),
    items,
    plan,
  };
}
