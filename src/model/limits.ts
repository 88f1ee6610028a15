/** Every size limit the tool enforces, with the reason it has that value. */

/** A policy larger than this is refused before it is read (use groups and continents instead). */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** GitHub refuses comment and issue bodies over 65,536 characters; leave headroom for notices and markers. */
export const MAX_BODY_CHARS = 60_000;

/** The job summary upload fails above 1 MiB; stay well under it. */
export const MAX_SUMMARY_BYTES = 1_000_000;

export const DAY_MS = 86_400_000;

