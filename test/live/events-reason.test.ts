import { describe, expect, it } from 'vitest';
import { unavailableReason } from '../../src/live/events.js';
import { TwilioError } from '../../src/twilio/errors.js';

/** The short reason a drift report gives for cells whose account's Monitor Events could not be read. */
const ACCOUNT = 'AC00000000000000000000000000000001';

describe('unavailableReason', () => {
  it("keeps the HTTP status and Twilio's code and message, not the request or the hint", () => {
    const err = new TwilioError(
      `GET /v1/Events for ${ACCOUNT}: HTTP 403. Twilio error 20003: Authenticate. the credentials for ${ACCOUNT} are not allowed to do this.`,
      'auth',
      ACCOUNT,
      403,
      20003,
    );
    expect(unavailableReason(err)).toBe('HTTP 403, Twilio error 20003: Authenticate');
  });

  it("keeps a Twilio message with dots inside, up to the sentence's end", () => {
    const err = new TwilioError(
      `GET /v1/Events for ${ACCOUNT}: HTTP 404. Twilio error 20404: The requested resource /v1/Events.json was not found. check that ${ACCOUNT} exists.`,
      'not-found',
      ACCOUNT,
      404,
      20404,
    );
    expect(unavailableReason(err)).toBe(
      'HTTP 404, Twilio error 20404: The requested resource /v1/Events.json was not found',
    );
  });

  it('says the status alone when Twilio sent no error code', () => {
    const err = new TwilioError(
      `GET /v1/Events for ${ACCOUNT}: HTTP 502 after 4 attempts. Twilio answered HTTP 502.`,
      'unavailable',
      ACCOUNT,
      502,
    );
    expect(unavailableReason(err)).toBe('HTTP 502');
  });

  it('without a status, says what happened without the request it describes, in at most 160 characters', () => {
    const dropped = new TwilioError(
      `GET /v1/Events for ${ACCOUNT}: connection failed (ECONNRESET) after 4 attempts (gave up after 4 attempts)`,
      'unavailable',
      ACCOUNT,
    );
    expect(unavailableReason(dropped)).toBe(
      'connection failed (ECONNRESET) after 4 attempts (gave up after 4 attempts)',
    );
    expect(unavailableReason(new Error('x'.repeat(500)))).toHaveLength(160);
    expect(unavailableReason('offline')).toBe('offline');
  });
});
