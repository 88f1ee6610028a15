/** Why a Twilio call failed, in words that say which account and what to check. Never holds secrets. */
export type TwilioErrorKind =
  | 'auth' // 401/403: wrong or revoked credentials, or a credential of another account
  | 'not-found' // 404
  | 'rejected' // other 4xx: Twilio refused the request as sent
  | 'unavailable' // 429/5xx/network/timeout after our retries
  | 'malformed' // a 2xx whose body is not what Twilio documents
  | 'identity'; // the credential does not act as the account the policy names

export class TwilioError extends Error {
  override readonly name = 'TwilioError';
  constructor(
    message: string,
    readonly kind: TwilioErrorKind,
    /** The account the request acted for (SID), when known. */
    readonly account: string | null,
    /** HTTP status, null for network failures and checks made before any request. */
    readonly status: number | null = null,
    /** Twilio's error code from the body, when it sent one. */
    readonly code: number | null = null,
  ) {
    super(message);
  }
}

/** What to check for a failed status: the part of a message that makes an error actionable. */
export function hintForStatus(status: number, account: string): string {
  if (status === 401)
    return `check the credentials used for ${account}: a subaccount needs its own auth token or an API key created inside it (the parent's token is not accepted with a subaccount SID)`;
  if (status === 403)
    return `the credentials for ${account} are not allowed to do this; check the API key's permissions and the account's status (suspended or closed accounts refuse changes)`;
  if (status === 404)
    return `check that ${account} exists and that the credentials belong to it or to its parent`;
  if (status === 429) return `Twilio rate-limited ${account}; lower the concurrency setting`;
  return `Twilio answered HTTP ${status} for ${account}`;
}
