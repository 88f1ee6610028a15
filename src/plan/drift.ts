// The plan framed as drift, each drifted cell attributed to the Monitor Event that set it. Pure: the
// events are read beforehand (live/events.ts), so the same plan and events always frame the same report.
import type {
  AccountAttribution,
  CellChange,
  DriftEvents,
  DriftItem,
  DriftReport,
  Plan,
} from '../model/plan.js';
import type { GeoEvent, GeoEventChange } from '../model/twilio-port.js';
import type { EffectiveCell, Exposure } from '../model/plan.js';
import {
  countExposure,
  driftExposure,
  exposureUnits,
  flipExposure,
  type ExposureGuards,
} from './exposure.js';
import { lookbackNotices } from './retention.js';
import { unlistedMembers } from './fleet.js';

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

/**
 * The value an event's type implies where its payload states none: a permission `.created` is on, a
 * `.deleted` one off (UNCONFIRMED: Twilio documents the types, not their payloads; docs/emulator.md).
 */
const impliedBy = (eventType: string): boolean | null =>
  eventType.endsWith('.created') ? true : eventType.endsWith('.deleted') ? false : null;

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
  const updated = truthy(change.updated) ?? impliedBy(event.eventType);
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
 * Whether each drifted account's events were read. An account missing from both `bySid` and `errors`
 * was not read at all: its cells are not attributed either, and the report says so.
 */
function attributionOf(plan: Plan, events: DriftEvents): AccountAttribution[] {
  return plan.accounts
    .filter((account) => account.changes.length > 0)
    .map(({ account, sid }) => {
      if (events.bySid[sid]) return { account, sid, available: true, reason: null };
      const error = events.errors.find((e) => e.sid === sid);
      return { account, sid, available: false, reason: error?.reason ?? 'Monitor Events not read' };
    });
}

/** No guard lists: only a test frames drift without a policy's guards. */
const NO_EXPOSURE_GUARDS: ExposureGuards = { neverDisable: {}, neverEnable: {} };

/** An exposure without the plan's acknowledgement: in drift nothing was reviewed. */
const bare = (e: Exposure): Exposure => ({ direction: e.direction, risk: e.risk, note: e.note });

/**
 * A planned change framed from the live side: live wider than the policy opens, with the risk of what
 * is open; live narrower closes (service impact). An inheritance flip is framed by its effective cells.
 */
export function liveSide(change: CellChange, guards: ExposureGuards): CellChange {
  const { acknowledged: _reviewedInPlan, ...rest } = change;
  const { category, country } = change;
  if (category !== 'voice.inherit') {
    if (country === null) return rest;
    return { ...rest, ...driftExposure({ category, country, from: change.from, to: change.to }, guards) };
  }
  const effective =
    change.effective === null || change.effective === undefined
      ? change.effective
      : change.effective.map((c): EffectiveCell => {
          const { acknowledged: _reviewed, ...cell } = c;
          return { ...cell, ...driftExposure(c, guards) };
        });
  return { ...rest, ...bare(flipExposure(effective ?? null)), effective };
}

/**
 * The plan framed as drift: every cell whose live value differs from the policy, framed from the live
 * side, with the Monitor Event that set it when one exists. `events` holds the events of each drifted
 * account; an account whose events could not be read keeps its items, unattributed, each saying why.
 */
export function frameDrift(
  plan: Plan,
  events: DriftEvents,
  guards: ExposureGuards = NO_EXPOSURE_GUARDS,
): DriftReport {
  const attributionByAccount = attributionOf(plan, events);
  const unavailable = new Map(attributionByAccount.map((a) => [a.sid, a.reason]));
  const items: DriftItem[] = [];
  for (const account of plan.accounts) {
    const accountEvents = events.bySid[account.sid] ?? [];
    const attributionUnavailable = unavailable.get(account.sid) ?? null;
    for (const change of account.changes)
      items.push({
        ...liveSide(change, guards),
        attribution: attribute(change, accountEvents),
        attributionUnavailable,
      });
  }
  return {
    schemaVersion: 1,
    policyFile: plan.policyFile,
    fingerprint: plan.fingerprint,
    complete: plan.accounts.every((a) => a.error === null) && fleetsListed(plan),
    lookbackDays: events.lookbackDays,
    notices: lookbackNotices(events.lookbackDays),
    attributionByAccount,
    exposure: countExposure(exposureUnits(items)),
    items,
    plan,
  };
}

/**
 * Whether the subaccount lists the scan needed were read: a parent whose list failed (an outage, a
 * timeout) hides its unmanaged subaccounts, and a template's parent hides its members, so such a scan
 * must never close a drift issue. Only a parent without templates whose credentials Twilio refused the
 * listing to (a Standard key) is reported and counted complete, so those setups keep a drift issue.
 */
function fleetsListed(plan: Plan): boolean {
  const parents = plan.fleet?.parents ?? [];
  return unlistedMembers(plan).length === 0 && parents.every((p) => p.error === null || p.refused === true);
}

/** Drift is any drifted cell, or any unmanaged subaccount (reported, never written). */
export const driftDetected = (report: DriftReport): boolean =>
  report.items.length > 0 || (report.plan.fleet?.unmanaged.length ?? 0) > 0;

/** The drift issue's state keys: its drifted cells, then one per unmanaged subaccount. */
export const driftStateKeys = (report: DriftReport, cellKey: (item: DriftItem) => string): string[] => [
  ...report.items.map(cellKey),
  ...(report.plan.fleet?.unmanaged ?? []).map((u) => `unmanaged:${u.sid}`),
];
