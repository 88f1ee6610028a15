/**
 * Every default the CLI and the action share, in one place: a front end that lets the user choose
 * starts from these, and a help text that names a default imports it from here.
 */
import { MONITOR_RETENTION_DAYS } from './limits.js';

/** Accounts read or written at once (each account is a few requests). */
export const DEFAULT_CONCURRENCY = 8;

/** How far back drift looks for Monitor Events: as far as the free edition keeps them (MONITOR_RETENTION_DAYS). */
export const DEFAULT_LOOKBACK_DAYS = MONITOR_RETENTION_DAYS.free;

/**
 * An exception this many days (or fewer) from its end is listed as expiring soon: the default of the
 * policy's `expiry_warning_days:` (DesiredState.expiry.warningDays), which every reader takes instead.
 */
export const EXPIRY_WARNING_DAYS = 14;

/** What an expired exception's cell gets on the scheduled drift run when the policy has no `expired:`. */
export const DEFAULT_EXPIRED_MODE = 'enforce' as const;

/** Countries per BulkCountryUpdates request. */
export const DEFAULT_VOICE_BATCH_SIZE = 50;

/**
 * Read-back polling: Twilio answers writes "accepted", so a cell is re-read up to 6 times, 2 s apart
 * (about 10 s), before it is reported as not verified.
 */
export const DEFAULT_READ_BACK = { attempts: 6, delayMs: 2_000 } as const;

/**
 * The wait after leaving inheritance: `POST /v1/Settings` answers 202 Accepted, and Twilio refuses a
 * subaccount's country writes while it still inherits. When the re-read still shows it inheriting,
 * `GET /v1/Settings` is read up to 4 more times, the pause doubling from 1 s (1 + 2 + 4 + 8 = 15 s),
 * before its country writes are given up for this run.
 */
export const DEFAULT_SETTINGS_WAIT = { attempts: 4, delayMs: 1_000 } as const;

/** The policy file every command and the action read when none is named. */
export const DEFAULT_POLICY_FILE = 'geo-permissions.yml';

/** How long one GitHub request may take before it is abandoned (the action's `github-timeout`). */
export const DEFAULT_GITHUB_TIMEOUT_SECONDS = 30;
