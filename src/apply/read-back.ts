/**
 * Read-back: Twilio answers writes "accepted", so every touched cell is re-read until it shows the
 * wanted value, a bounded number of times (DEFAULT_READ_BACK); then one more read of the writes that
 * failed without a Twilio code, because those may have been applied anyway.
 */
import { DEFAULT_READ_BACK } from '../model/defaults.js';
import type { LiveAccount } from '../model/live.js';
import type { CellChange } from '../model/plan.js';
import { VOICE_FLAG, isVoiceFlag } from './schedule.js';
import { messageOf, type CellRun } from './write.js';

export interface ReadBackPolling {
  /** Reads of the touched cells at most. */
  attempts: number;
  /** The pause between two reads. */
  delayMs: number;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The live value of a cell; null when Twilio does not list its country. */
export function liveValue(live: LiveAccount, c: CellChange): boolean | null {
  if (c.category === 'voice.inherit') return live.voiceInheritance;
  if (c.category === 'messaging') return live.messaging[c.country as string]?.enabled ?? null;
  const flags = live.voice[c.country as string];
  return flags && isVoiceFlag(c.category) ? flags[VOICE_FLAG[c.category]] : null;
}

function settle(pending: readonly CellRun[], live: LiveAccount, attempt: number, last: boolean): void {
  for (const c of pending) {
    const value = liveValue(live, c.change);
    if (value === c.change.to) {
      c.outcome = 'verified';
    } else if (last) {
      c.outcome = 'failed';
      c.detail = `read back ${String(value)} after ${attempt} reads (wanted ${String(c.change.to)})`;
    }
  }
}

/** Reads until every unsettled cell shows its wanted value, or the attempts run out (then it failed). */
export async function readBack(
  cells: readonly CellRun[],
  read: () => Promise<LiveAccount>,
  polling: ReadBackPolling = DEFAULT_READ_BACK,
  sleep: (ms: number) => Promise<void> = defaultSleep,
): Promise<void> {
  let pending = cells.filter((c) => c.outcome === null);
  for (let attempt = 1; pending.length > 0 && attempt <= polling.attempts; attempt++) {
    if (attempt > 1) await sleep(polling.delayMs);
    const last = attempt === polling.attempts;
    let live: LiveAccount;
    try {
      live = await read();
    } catch (err) {
      if (last)
        for (const c of pending) {
          c.outcome = 'failed';
          c.detail = `could not read back: ${messageOf(err)}`;
        }
      continue;
    }
    settle(pending, live, attempt, last);
    pending = pending.filter((c) => c.outcome === null);
  }
}

/**
 * A write whose answer was an error may still have been applied (a dropped connection, an unreadable
 * body after Twilio handled it): one read says what is true, so the report never calls a done cell failed.
 */
export async function recheckUnsure(
  cells: readonly CellRun[],
  read: () => Promise<LiveAccount>,
): Promise<void> {
  const unsure = cells.filter((c) => c.write && c.outcome === 'failed' && c.errorCode === null);
  if (unsure.length === 0) return;
  let live: LiveAccount;
  try {
    live = await read();
  } catch {
    return; // The cells stay failed with the write's own error; the next plan shows their true state.
  }
  for (const c of unsure)
    if (liveValue(live, c.change) === c.change.to) {
      c.outcome = 'verified';
      c.detail = `read back as wanted although the write answered: ${c.detail ?? 'an error'}`;
    }
}
