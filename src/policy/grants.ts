import type { Grant, GrantSet } from '../model/desired.js';
import type { Entry } from './expand.js';

/**
 * The countries a list grants, one Grant each. When several entries reach a country, a permanent entry
 * wins over an exception (so an expiry never removes a country granted elsewhere), then the later expiry,
 * then the first written. Expired exceptions grant nothing.
 */
export function toGrantSet(listPath: string, entries: readonly Entry[]): GrantSet {
  const out: Record<string, Grant> = {};
  for (const e of entries) {
    if (e.exception && e.exception.daysLeft < 0) continue;
    const current = out[e.country];
    if (current && !better(e, current)) continue;
    out[e.country] = {
      country: e.country,
      location: e.location,
      via: [listPath, ...e.via],
      exception: e.exception
        ? { expires: e.exception.expires, reason: e.exception.reason, ticket: e.exception.ticket }
        : null,
    };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function better(candidate: Entry, current: Grant): boolean {
  if (!current.exception) return false;
  if (!candidate.exception) return true;
  return candidate.exception.expires > current.exception.expires;
}
