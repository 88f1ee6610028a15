/** Twilio's SID formats: two letters and 32 hex digits. Every check of a SID uses these. */

const sid = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);

/** An account or subaccount. */
export const ACCOUNT_SID = sid('AC');
/** An API key. */
export const API_KEY_SID = sid('SK');
/** A Console user (the actor of a Console change). */
export const USER_SID = sid('US');

/** The same pattern as a fragment, for paths that embed a SID (the emulator's routes). */
export const SID_FRAGMENT = (prefix: string) => `${prefix}[0-9a-fA-F]{32}`;

/** A base URL that names a host (--twilio-url, twilio-api-url). */
export const HTTP_URL = /^https?:\/\/[^/]+/;

/** Any SID of `prefix`, for schema messages. */
export const sidPattern = sid;
