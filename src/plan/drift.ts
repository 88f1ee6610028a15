// The plan framed as drift, each drifted cell attributed to the Monitor Event that set it. Pure: the
// events are read beforehand (live/events.ts), so the same plan and events always frame the same report.
import type { CellChange, DriftItem, DriftReport, Plan } from '../model/plan.js';
import type { GeoEvent, GeoEventChange } from '../model/twilio-port.js';

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
 * that set it when one exists. `eventsBySid` holds the events of each drifted account; an account
 * missing from it (its events could not be read) keeps its items, unattributed.
 */
export function frameDrift(
  plan: Plan,
  eventsBySid: Readonly<Record<string, readonly GeoEvent[]>>,
): DriftReport {
  const items: DriftItem[] = [];
  for (const account of plan.accounts) {
    const events = eventsBySid[account.sid] ?? [];
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
