/** Why a Twilio call failed, in words that say which account and what to check. Never holds secrets. */
export type TwilioErrorKind =
  | 'auth' // 401/403: wrong or revoked credentials, or a credential of another account
  | 'not-found' // 404
  | 'rejected' // other 4xx: Twilio refused the request as sent
  | 'unavailable' // 429/5xx/network/timeout after our retries
  | 'malformed' // a 2xx whose body is not what Twilio documents
  | 'identity' // the credential does not act as the account the policy names
  | 'inactive'; // the account is suspended or closed (InactiveAccountError)

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

/**
 * An account Twilio reports suspended or closed (the Account resource's `status`): Twilio refuses
 * every request of such an account, so nothing is read or written there.
 */
export class InactiveAccountError extends TwilioError {
  constructor(
    message: string,
    account: string,
    readonly accountStatus: 'suspended' | 'closed',
  ) {
    super(message, 'inactive', account);
  }
}
