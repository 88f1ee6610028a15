import type { SourceLocation } from './diagnostics.js';

/**
 * The clean-up of expired exceptions (issue 15, item 2): the policy file with every expired exception
 * entry cut out (policy/expired-cleanup.ts), what the clean-up pull request's body says about it
 * (report/cleanup-pr.ts), and what the scan knows of the cells those entries granted.
 */

/** Who one list entry granted: an account (or a `fleets.NAME` template) and its list, e.g. `voice.low_risk`. */
export interface ExceptionUse {
  account: string;
  list: string;
}

/** One expired exception entry the clean-up removes. */
export interface RemovedException {
  country: string;
  /** YYYY-MM-DD: the last day it counted. */
  expires: string;
  reason: string | null;
  ticket: string | null;
  /** Where it is written: `groups.pilot`, `defaults.messaging`, `accounts.prod.voice.low_risk`, ... */
  list: string;
  /** Where the entry starts in the file as it was before the edit. */
  location: SourceLocation;
  /** The lists it granted, as the policy's exceptions name them (a group's entry: each list using it); empty when none does. */
  uses: ExceptionUse[];
}

/** A list whose every entry was an expired exception: it is left as `[]`, which allows nothing. */
export interface EmptiedList {
  list: string;
  location: SourceLocation;
}

/** An expired exception the edit leaves in place, and why (it must be removed by hand). */
export interface LeftException {
  country: string;
  expires: string;
  list: string;
  location: SourceLocation;
  why: string;
}

/** The clean-up, or why none can be proposed (the policy does not load, or the edit would change it). */
export type ExpiredCleanupResult = { ok: true; cleanup: ExpiredCleanup } | { ok: false; reason: string };

export interface ExpiredCleanup {
  policyFile: string;
  /** The policy text without the removed entries: every other byte as it was. */
  text: string;
  /** In file order. */
  removed: RemovedException[];
  emptied: EmptiedList[];
  left: LeftException[];
}

/**
 * What the run knows of one cell an expired exception granted: `disabled` by this run, `still open` live
 * (beyond the policy), `not open` live, or `not read` (an account this run did not read: another shard,
 * an account that errored).
 */
export type ExpiredCellOutcome = 'disabled' | 'still open' | 'not open' | 'not read';

export interface ExpiredCellState {
  /** As the policy's exceptions name it (`ExceptionUse.account`): an account, or `fleets.NAME`. */
  account: string;
  /** `voice.low_risk`, `voice.high_risk_special`, `voice.high_risk_tollfraud` or `messaging`. */
  list: string;
  country: string;
  outcome: ExpiredCellOutcome;
}
