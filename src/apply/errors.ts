/** How apply reads a failed call: its message, Twilio's code, and whether the write may have happened. */

export { messageOf } from '../model/errors.js';

/** Twilio's error code, when the error carries one. */
export const codeOf = (err: unknown): number | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : null;
};

/**
 * An answer without a Twilio error code (a dropped connection, a timeout, a body that is not Twilio's):
 * Twilio may have applied the write all the same, so only a read says what is true. An error with a code
 * is Twilio refusing the request, which it then did not apply.
 */
export const isUncertain = (err: unknown): boolean => codeOf(err) === null;
