/**
 * What is live, compared with what a run expects there. Twilio has no lock and no compare-and-set, so the
 * apply reads the truth at the points where what comes next depends on it: right after a write whose
 * answer was uncertain (readTruth), and before the first enable of an account (confirmUnchanged), where
 * anything in its voice and messaging lists that changed since the run re-read the account, other than
 * its own writes, means someone else (another apply, a Console user) is writing it now.
 */
import { VOICE_CATEGORIES } from '../model/desired.js';
import type { ReadParts } from '../live/read.js';
import type { LiveAccount } from '../model/live.js';
import type { CellCategory, CellChange } from '../model/plan.js';
import { messageOf } from './errors.js';
import { VOICE_FLAG, isVoiceFlag } from '../model/plan.js';
import { DETAIL } from './schedule.js';

/** Reads: how often, and how long apart, a read waits for the run's own writes to show. */
export interface ReadBackPolling {
  /** Reads of the touched cells at most. */
  attempts: number;
  /** The pause between two reads. */
  delayMs: number;
}

/** How the truth of one account is read. */
export interface TruthReader {
  read: () => Promise<LiveAccount>;
  /** Reads only `parts`, the rest as `base` has it (without it, `read` serves). */
  readOver?: (base: LiveAccount, parts: ReadParts) => Promise<LiveAccount>;
  polling: ReadBackPolling;
  sleep: (ms: number) => Promise<void>;
}

/**
 * What the check before the enables reads: the voice and messaging lists, where the run's own
 * restrictive writes went (the order guarantee: they must show first) and where another writer's
 * change refuses the enables. Not the inheritance setting: the re-read after leaving it already saw
 * it, Twilio refuses a subaccount's country writes while it inherits, and the end pass reads it and
 * reports a subaccount that follows its parent against its policy (read-back.ts).
 */
export const CONFIRM_READS: ReadParts = { voice: true, inheritance: false, messaging: true };

/** What the wait for an accepted Settings change saw. */
export interface SettingWait {
  /** It read as wanted. */
  shown: boolean;
  /** Reads of the setting made (not counting the read that came before the wait). */
  reads: number;
  /** The pauses between them, in ms. */
  waitedMs: number;
}

/**
 * Reads a setting Twilio accepted (202) until it shows `want`: at most `polling.attempts` reads, the
 * pause doubling from `polling.delayMs`. A read that fails counts as not shown (the next may work).
 */
export async function waitForSetting(
  read: () => Promise<boolean | null>,
  want: boolean,
  polling: ReadBackPolling,
  sleep: (ms: number) => Promise<void>,
): Promise<SettingWait> {
  let waitedMs = 0;
  for (let reads = 1; reads <= polling.attempts; reads++) {
    const pause = polling.delayMs * 2 ** (reads - 1);
    await sleep(pause);
    waitedMs += pause;
    const value = await read().catch(() => null);
    if (value === want) return { shown: true, reads, waitedMs };
  }
  return { shown: false, reads: polling.attempts, waitedMs };
}

/** The live value of a cell; null when Twilio does not list its country. */
export function liveValue(live: LiveAccount, c: Pick<CellChange, 'category' | 'country'>): boolean | null {
  if (c.category === 'voice.inherit') return live.voiceInheritance;
  if (c.category === 'messaging') return live.messaging[c.country as string]?.enabled ?? null;
  const flags = live.voice[c.country as string];
  return flags && isVoiceFlag(c.category) ? flags[VOICE_FLAG[c.category]] : null;
}

/** The read, or why it failed. */
export async function readTruth(read: () => Promise<LiveAccount>): Promise<LiveAccount | Error> {
  try {
    return await read();
  } catch (err) {
    return err instanceof Error ? err : new Error(messageOf(err));
  }
}

/** One cell whose live value is not the one the run expected there. */
export interface CellDifference {
  category: CellCategory;
  country: string | null;
  expected: boolean | null;
  actual: boolean | null;
}

const keyOf = (c: Pick<CellChange, 'category' | 'country'>): string => `${c.category}|${c.country ?? ''}`;

const VOICE_CELLS = VOICE_CATEGORIES.map((flag) => ({ flag, category: `voice.${flag}` as const }));

/**
 * The cells of `actual` that differ from `base` with the run's `written` cells at their new value. A
 * country listed on one side only counts as off on the other (Twilio does not list what it does not serve).
 * Compared in place, country by country: no map of the account's thousand cells is built (this runs
 * before the enables of every account of a fleet).
 */
export function differences(
  base: LiveAccount,
  written: readonly CellChange[],
  actual: LiveAccount,
): CellDifference[] {
  // The run's own writes, by category then country (no key string per cell compared).
  const own = new Map<CellCategory, Map<string | null, boolean>>();
  for (const c of written) own.set(c.category, (own.get(c.category) ?? new Map()).set(c.country, c.to));
  const found: CellDifference[] = [];
  const compare = (
    category: CellCategory,
    country: string | null,
    was: boolean | null,
    now: boolean | null,
  ) => {
    const mine = own.get(category)?.get(country);
    const expected = mine ?? was;
    if ((expected ?? false) !== (now ?? false)) found.push({ category, country, expected, actual: now });
  };
  compare('voice.inherit', null, base.voiceInheritance, actual.voiceInheritance);
  eachCountry(base.voice, actual.voice, (iso) => {
    const was = base.voice[iso];
    const now = actual.voice[iso];
    for (const { flag, category } of VOICE_CELLS)
      compare(category, iso, was?.[flag] ?? null, now?.[flag] ?? null);
  });
  eachCountry(base.messaging, actual.messaging, (iso) =>
    compare('messaging', iso, base.messaging[iso]?.enabled ?? null, actual.messaging[iso]?.enabled ?? null),
  );
  // A written cell whose country neither side lists.
  for (const c of written) {
    const table = c.category === 'messaging' ? 'messaging' : c.category === 'voice.inherit' ? null : 'voice';
    if (table && !(c.country! in base[table]) && !(c.country! in actual[table]))
      compare(c.category, c.country, null, null);
  }
  return found.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

/** Each country of two tables: those of `a`, then those only `b` lists. */
function eachCountry(
  a: Readonly<Record<string, unknown>>,
  b: Readonly<Record<string, unknown>>,
  visit: (iso: string) => void,
): void {
  for (const iso in a) visit(iso);
  for (const iso in b) if (!(iso in a)) visit(iso);
}

/** The words report/format.ts shows for each category (apply may not import the report). */
const CATEGORY_WORDS: Readonly<Record<CellCategory, string>> = {
  'voice.low_risk': 'voice low-risk',
  'voice.high_risk_special': 'voice high-risk special',
  'voice.high_risk_tollfraud': 'voice high-risk toll-fraud',
  'voice.inherit': 'voice inheritance',
  messaging: 'messaging',
};

/** "on"/"off", and for inheritance "inherits"/"own lists", as the reports word a value. */
export const valueWords = (value: boolean | null, category: CellCategory): string =>
  category === 'voice.inherit' ? (value ? 'inherits' : 'own lists') : value ? 'on' : 'off';

/** "voice low-risk DE": a cell in words. */
export const cellWords = (c: Pick<CellChange, 'category' | 'country'>): string =>
  c.country ? `${CATEGORY_WORDS[c.category]} ${c.country}` : CATEGORY_WORDS[c.category];

/** "voice low-risk DE off -> on, …": at most `max` cells, then how many more. */
export function describeDifferences(found: readonly CellDifference[], max = 10): string {
  const listed = found
    .slice(0, max)
    .map(
      (d) => `${cellWords(d)} ${valueWords(d.expected, d.category)} -> ${valueWords(d.actual, d.category)}`,
    );
  const more = found.length > max ? ` and ${found.length - max} more` : '';
  return listed.join(', ') + more;
}

export interface ConfirmInput extends TruthReader {
  /** The live state the run scheduled its writes from. */
  base: LiveAccount;
  /** The run's writes so far that did not fail: each is expected at its new value. */
  written: readonly CellChange[];
}

/**
 * Before the first enable of an account: null when live is what the run expects, else why its enables
 * are refused. Its own writes may take a moment to show (Twilio answers "accepted"), so those are polled
 * for as the read-back does; any other difference refuses at once.
 */
export async function confirmUnchanged(input: ConfirmInput): Promise<string | null> {
  const own = new Map(input.written.map((c) => [keyOf(c), c]));
  let notShown: CellDifference[] = [];
  let readError = '';
  for (let attempt = 1; attempt <= input.polling.attempts; attempt++) {
    if (attempt > 1) await input.sleep(input.polling.delayMs);
    const actual = await readTruth(input.read);
    if (actual instanceof Error) {
      readError = actual.message;
      continue;
    }
    const found = differences(input.base, input.written, actual);
    notShown = found.filter((d) => own.get(keyOf(d))?.from === d.actual);
    const others = found.filter((d) => !notShown.includes(d));
    if (others.length > 0) return DETAIL.changedUnder + describeDifferences(others);
    if (notShown.length === 0) return null;
  }
  if (notShown.length > 0) {
    const still = notShown.map((d) => `${cellWords(d)} still ${valueWords(d.actual, d.category)}`);
    return `not attempted: this apply's own restrictive writes did not show when the account was re-read before enabling (${input.polling.attempts} reads), so nothing is enabled: ${still.join(', ')}`;
  }
  return `not attempted: the account could not be re-read before enabling, so nothing is enabled: ${readError}`;
}
