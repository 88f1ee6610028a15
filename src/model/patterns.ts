/** Twilio's SID formats: two letters and 32 hex digits. Every check of a SID uses these. */

const sid = (prefix: string) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);

/** An account or subaccount. */
export const ACCOUNT_SID = sid('AC');
/** An API key. */
export const API_KEY_SID = sid('SK');
/** A Console user (the actor of a Console change). */
export const USER_SID = sid('US');
/** An IncomingPhoneNumber (a number an account owns). */
export const PHONE_NUMBER_SID = sid('PN');
/** A Messaging Service. */
export const MESSAGING_SERVICE_SID = sid('MG');

/** A phone number in E.164 form: "+", a country code and at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** The same pattern as a fragment, for paths that embed a SID (the emulator's routes). */
export const SID_FRAGMENT = (prefix: string) => `${prefix}[0-9a-fA-F]{32}`;

/** A base URL that names a host (--twilio-url, twilio-api-url). */
export const HTTP_URL = /^https?:\/\/[^/]+/;

/** Any SID of `prefix`, for schema messages. */
export const sidPattern = sid;
