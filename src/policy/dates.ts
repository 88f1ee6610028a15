const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
import { DAY_MS } from '../model/limits.js';

/** A real calendar date written YYYY-MM-DD, as milliseconds at its UTC midnight; null otherwise. */
export function parseIsoDate(text: string): number | null {
  const m = DATE_PATTERN.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? ms : null;
}

/**
 * Whole days from today (UTC) to the `expires` day: 0 on the last day it counts, negative once expired.
 * An exception counts until the end of its `expires` day, UTC.
 */
export function daysUntil(expiresMs: number, now: Date): number {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((expiresMs - today) / DAY_MS);
}
