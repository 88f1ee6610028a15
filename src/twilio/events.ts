import type { GeoEvent, GeoEventChange } from '../model/twilio-port.js';

/**
 * The Monitor event types that record geo-permission changes (Twilio's "Monitor Events" docs, full list
 * of resource and event types: `.created`, `.updated`, `.deleted` for both resources). Monitor takes one
 * EventType per request (more than one filter is a 400), so a listing by type is one request each; the
 * gateway first tries one page without any type and keeps these from it.
 */
export const GEO_EVENT_TYPES = [
  'voice-geographic-permissions.created',
  'voice-geographic-permissions.updated',
  'voice-geographic-permissions.deleted',
  'sms-geographic-permissions.created',
  'sms-geographic-permissions.updated',
  'sms-geographic-permissions.deleted',
] as const;

const GEO_TYPES: ReadonlySet<string> = new Set(GEO_EVENT_TYPES);

/** Whether a Monitor event records a geo-permission change (an exact match, as Twilio's EventType filter). */
export const isGeoEventType = (eventType: unknown): boolean =>
  typeof eventType === 'string' && GEO_TYPES.has(eventType);

export interface RawGeoEvent {
  sid: string;
  eventType: string;
  eventDate: Date;
  actorSid: string | null;
  actorType: string | null;
  source: string | null;
  sourceIpAddress: string | null;
  description: string | null;
  eventData: unknown;
}

/**
 * Flattens `event_data.resource_properties` into changed cells. Keys are ISO codes or country
 * names (messaging events use names, e.g. "United Kingdom"); `isoForName` maps names back and
 * unknown keys are kept verbatim. A value is either {previous, updated} (messaging) or a map of
 * field -> {previous, updated} (voice, per flag). A composite name ("guernsey/jersey") yields one
 * change per code.
 */
export function toGeoEvent(raw: RawGeoEvent, isoForName: (name: string) => readonly string[]): GeoEvent {
  const properties = asRecord(asRecord(raw.eventData)?.resource_properties) ?? {};
  const changes: GeoEventChange[] = [];
  const defaultField = raw.eventType.startsWith('sms-') ? 'enabled' : null;
  for (const [key, value] of Object.entries(properties)) {
    const named = /^[A-Z]{2}$/.test(key) ? [key] : isoForName(key);
    const record = asRecord(value);
    for (const country of named.length > 0 ? named : [key]) {
      if (record && ('previous' in record || 'updated' in record)) {
        changes.push({
          country,
          field: defaultField,
          previous: text(record.previous),
          updated: text(record.updated),
        });
        continue;
      }
      for (const [field, cell] of Object.entries(record ?? {})) {
        const pair = asRecord(cell);
        changes.push({
          country,
          field,
          previous: text(pair?.previous),
          updated: text(pair ? pair.updated : cell),
        });
      }
    }
  }
  return {
    sid: raw.sid,
    eventType: raw.eventType,
    eventDate: raw.eventDate.toISOString(),
    actorSid: raw.actorSid,
    actorType: raw.actorType,
    source: raw.source,
    sourceIpAddress: raw.sourceIpAddress,
    description: raw.description,
    changes,
  };
}

/** Oldest first; Twilio answers newest first. */
export function sortEvents(events: GeoEvent[]): GeoEvent[] {
  return [...events].sort((a, b) => a.eventDate.localeCompare(b.eventDate) || a.sid.localeCompare(b.sid));
}

function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
