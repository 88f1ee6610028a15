// Words and numbers every report format shares, so text, Markdown and the action's summary agree. The
// ones that hold a policy- or Twilio-sourced string take the format's escaper (report/escape.ts):
// termText for terminals, mdText for Markdown.
import { RISK_ORDER } from '../plan/exposure.js';
import { fleetVerdict } from './fleet.js';
import { EXPIRY_WARNING_DAYS } from '../model/defaults.js';
import type { ExpiringException } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostics.js';
import type {
  ApplyResult,
  CellChange,
  CellCategory,
  CellResult,
  DriftItem,
  DriftReport,
  Plan,
  RiskTier,
} from '../model/plan.js';

export const CATEGORY_LABEL: Record<CellCategory, string> = {
  'voice.low_risk': 'voice low-risk',
  'voice.high_risk_special': 'voice high-risk special',
  'voice.high_risk_tollfraud': 'voice high-risk toll-fraud',
  'voice.inherit': 'voice inheritance',
  messaging: 'messaging',
};

/** A cell's value in words: "on"/"off", or for voice inheritance "inherits"/"own lists". */
export const valueLabel = (value: boolean, category: CellCategory): string =>
  category === 'voice.inherit' ? (value ? 'inherits' : 'own lists') : value ? 'on' : 'off';

/** "off -> on": the change column, where one column holds both values. */
export const transition = (c: Pick<CellChange, 'from' | 'to' | 'category'>): string =>
  `${valueLabel(c.from, c.category)} -> ${valueLabel(c.to, c.category)}`;

/** How a format makes a sourced string safe: `termText` or `mdText`. */
export type Escape = (text: string) => string;

/** "file:line", unescaped: the caller escapes it whole (in Markdown it goes in a code span). */
export const where = (loc: SourceLocation | null): string => (loc ? `${loc.file}:${loc.line}` : '');

/** "FR France": the code and the name come from the catalog or from Twilio; "-" for no country. */
export const country = (c: Pick<CellChange, 'country' | 'countryName'>, esc: Escape): string =>
  c.country === null ? '-' : c.countryName ? `${esc(c.country)} ${esc(c.countryName)}` : esc(c.country);

/** Why an applied cell ended as it did: Twilio's error code and the detail, whichever there are. */
export const cellDetail = (c: Pick<CellResult, 'errorCode' | 'detail'>, esc: Escape): string =>
  [c.errorCode !== null ? `Twilio ${c.errorCode}` : '', c.detail ? esc(c.detail) : '']
    .filter(Boolean)
    .join(': ');

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** The first names, then how many are not named: "a, b and 3 more". */
export function named(names: readonly string[], max: number): string {
  const shown = names.slice(0, max);
  return names.length > shown.length
    ? `${shown.join(', ')} and ${names.length - shown.length} more`
    : shown.join(', ');
}

/** "3 cells (1 critical, 2 medium)": a count of cells and, when given, its risks that are not zero. */
function cellsByRisk(n: number, byRisk: Record<RiskTier, number>): string {
  const risks = RISK_ORDER.filter((r) => byRisk[r] > 0)
    .map((r) => `${byRisk[r]} ${r}`)
    .join(', ');
  return `${plural(n, 'cell')}${risks ? ` (${risks})` : ''}`;
}

/**
 * The first line of every plan report, the verdict: what opens by risk, what closes (its risks above
 * low), in how many accounts, then what needs a person. A reviewer knows the exposure before any detail.
 */
export function planSummaryLine(plan: Plan): string {
  const s = plan.summary;
  if (s.changes === 0 && s.errors === 0 && s.unknown === 0)
    return withFleet(`No changes: ${plural(s.accounts, 'account')} match the policy.`, plan.fleet);
  // Closing low is the usual case; only what a close puts at risk (never_disable, a last route) is counted.
  const closesByRisk = { ...s.byRisk, low: 0 };
  for (const r of ['critical', 'high', 'medium'] as const) closesByRisk[r] = s.byRisk[r] - s.opensByRisk[r];
  const opens = s.opens > 0 ? `opens ${cellsByRisk(s.opens, s.opensByRisk)}` : 'opens nothing';
  const closes = s.closes > 0 ? `closes ${cellsByRisk(s.closes, closesByRisk)}` : 'closes nothing';
  const parts = [`${opens} and ${closes}, in ${s.accountsWithChanges} of ${plural(s.accounts, 'account')}`];
  if (s.manual > 0) parts.push(`${plural(s.manual, 'manual step')}`);
  if (s.unknown > 0) parts.push(`${plural(s.unknown, 'unknown country', 'unknown countries')} to decide`);
  if (s.errors > 0) parts.push(`${plural(s.errors, 'account')} not read`);
  return withFleet(`Plan: ${parts.join('; ')}.`, plan.fleet);
}

/** A verdict line with what discovery found after it (unmanaged subaccounts, unlisted parents). */
export function withFleet(line: string, fleet: Plan['fleet']): string {
  const found = fleetVerdict(fleet);
  return found ? `${line} ${found}` : line;
}

/** "No drift: …", or, when unmanaged subaccounts are drift by themselves, "Drift: … match the policy." */
export function noCellDrift(report: DriftReport, partial: string): string {
  const accounts = plural(report.plan.summary.accounts, 'account');
  const line =
    (report.plan.fleet?.unmanaged.length ?? 0) > 0
      ? `Drift: the policy's ${accounts} match it.${partial}`
      : `No drift: ${accounts} match the policy.${partial}`;
  return withFleet(line, report.plan.fleet);
}

export function applySummaryLine(result: ApplyResult): string {
  const s = result.summary;
  const counts = `${s.verified} verified, ${s.failed} failed, ${s.manual} manual, ${s.skipped} skipped`;
  const errors =
    result.accountErrors.length > 0 ? `; ${plural(result.accountErrors.length, 'account error')}` : '';
  if (result.cells.length === 0 && result.accountErrors.length === 0)
    return 'Apply: nothing to do, 0 write requests.';
  const verdict = result.cancelled ? 'CANCELLED' : result.ok ? 'succeeded' : 'FAILED';
  return `Apply ${verdict}: ${counts}${errors}; ${plural(result.writeRequests, 'write request')}.`;
}

export function driftSummaryLine(report: DriftReport): string {
  const accounts = new Set(report.items.map((i) => i.sid)).size;
  const attributed = report.items.filter((i) => i.attribution).length;
  const partial = report.complete
    ? ''
    : ` Incomplete scan: ${plural(report.plan.summary.errors, 'account')} not read.`;
  if (report.items.length === 0) return noCellDrift(report, partial);
  return withFleet(
    `Drift: ${plural(report.items.length, 'cell')} in ${accounts} of ${plural(report.plan.summary.accounts, 'account')} differ from the policy (${attributed} attributed).${partial}`,
    report.plan.fleet,
  );
}

/**
 * Who set a drifted cell: "Console user US… from 203.0.113.9 at 2026-…" or the API equivalent; when no
 * event names one, whether the events were read and none matched, or could not be read, and why. Every
 * field is Twilio's, so each goes through the format's escaper.
 */
export function describeActor(
  item: Pick<DriftItem, 'attribution' | 'attributionUnavailable'>,
  lookbackDays: number,
  esc: Escape,
): string {
  const event = item.attribution;
  if (!event)
    return item.attributionUnavailable !== null
      ? `attribution unavailable: ${esc(item.attributionUnavailable)}`
      : `no Monitor Event in the lookback window (${lookbackDays} days)`;
  const actor = event.actorSid ? esc(event.actorSid) : '';
  const who =
    event.actorType === 'user'
      ? `Console user ${actor || '?'}`
      : event.actorType === 'account'
        ? `API (account ${actor || '?'})`
        : `${event.actorType ? esc(event.actorType) : 'unknown actor'} ${actor}`.trim();
  const from = event.sourceIpAddress ? ` from ${esc(event.sourceIpAddress)}` : '';
  return `${who}${from} at ${esc(event.eventDate)}`;
}

/** The plan's warning horizon: the policy's `expiry_warning_days`, or the default for a plan built by hand. */
export const warningDaysOf = (plan: Pick<Plan, 'expiry'>): number =>
  plan.expiry?.warningDays ?? EXPIRY_WARNING_DAYS;

/** The exceptions within the horizon (`days` or fewer left), expired ones included: what drift lists. */
export function expiringSoon(list: readonly ExpiringException[], days: number): ExpiringException[] {
  return list.filter((e) => e.daysLeft <= days);
}

/** "production voice.low_risk FR: expires … (pilot, OPS-42), file:line": every name is the policy's. */
export function describeExpiring(e: ExpiringException, esc: Escape): string {
  const expires = esc(e.expires);
  const when =
    e.daysLeft < 0 ? `expired ${expires}` : `expires ${expires} (${plural(e.daysLeft, 'day')} left)`;
  const why = [e.reason, e.ticket]
    .filter((x): x is string => Boolean(x))
    .map(esc)
    .join(', ');
  return `${esc(e.account)} ${esc(e.list)} ${esc(e.country)}: ${when}${why ? ` (${why})` : ''}, ${esc(where(e.location))}`;
}
