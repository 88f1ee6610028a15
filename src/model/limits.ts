/** Every size limit the tool enforces, with the reason it has that value. */

/** A policy larger than this is refused before it is read (use groups and continents instead). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** GitHub refuses comment and issue bodies over 65,536 characters; leave headroom for notices and markers. */
export const MAX_BODY_CHARS = 60_000;

/**
 * The plan's Markdown in the sticky comment: below MAX_BODY_CHARS so the plan degrades its own detail
 * (whole tables) and the comment never needs cutting; the heading, markers and footer fit in the rest.
 */
export const COMMENT_MARKDOWN_CHARS = 55_000;

/** The job summary upload fails above 1 MiB; stay well under it. */
export const MAX_SUMMARY_BYTES = 1_000_000;

export const DAY_MS = 86_400_000;

/**
 * How long Twilio keeps Monitor Events (docs "Monitor Events": "customers using free version can
 * access 30 days of data", 13 months with Administration, Security or Enterprise Edition; 13 months
 * counted as 395 days). Drift cannot attribute a change older than the account's retention.
 */
export const MONITOR_RETENTION_DAYS = { free: 30, paid: 395 } as const;
