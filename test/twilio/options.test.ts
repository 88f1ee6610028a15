import { DEFAULT_VOICE_BATCH_SIZE } from '../../src/model/defaults.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TWILIO_OPTIONS, parsePerAccountCredentials, twilioOptions } from '../../src/twilio/index.js';

const SUB = 'AC00000000000000000000000000000002';

describe('per-account credentials JSON', () => {
  it('accepts auth tokens and API keys keyed by account SID', () => {
    const parsed = parsePerAccountCredentials(
      JSON.stringify({
        [SUB]: { authToken: 'tok' },
        AC00000000000000000000000000000003: { apiKey: 'SK' + 'a'.repeat(32), apiSecret: 's' },
      }),
    );
    expect(parsed[SUB]).toEqual({ authToken: 'tok' });
    expect(Object.keys(parsed)).toHaveLength(2);
  });

  it('names the bad key or path, never the secret values', () => {
    for (const bad of [
      JSON.stringify({ 'not-a-sid': { authToken: 'secret-value-1' } }),
      JSON.stringify({ [SUB]: { authToken: 'secret-value-1', extra: 'secret-value-2' } }),
      JSON.stringify({ [SUB]: { apiKey: 'KEY-secret-value-1', apiSecret: 'x' } }),
      '{"secret-value-1": ',
    ]) {
      let message = '';
      try {
        parsePerAccountCredentials(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/per-account Twilio credentials/);
      expect(message).not.toMatch(/secret-value/);
    }
  });
});

describe('options builder', () => {
  it('documents its defaults', () => {
    expect(DEFAULT_TWILIO_OPTIONS.concurrency).toBe(8);
    expect(DEFAULT_VOICE_BATCH_SIZE).toBe(50);
    const s = twilioOptions({ kind: 'authToken', accountSid: SUB, authToken: 't' });
    expect(s.baseUrl).toBeNull();
    expect(s.retry.maxAttempts).toBe(5);
  });

  it('rejects malformed SIDs, keys, concurrency and base URLs', () => {
    expect(() => twilioOptions({ kind: 'authToken', accountSid: 'AC1', authToken: 't' })).toThrow(
      /AC followed by 32/,
    );
    expect(() =>
      twilioOptions({ kind: 'apiKey', accountSid: SUB, apiKey: 'AC' + '0'.repeat(32), apiSecret: 's' }),
    ).toThrow(/SK/);
    expect(() =>
      twilioOptions({ kind: 'authToken', accountSid: SUB, authToken: 't' }, { concurrency: 0 }),
    ).toThrow(/concurrency/);
    expect(() =>
      twilioOptions({ kind: 'authToken', accountSid: SUB, authToken: 't' }, { baseUrl: 'ftp://x' }),
    ).toThrow(/base URL/);
  });
});
