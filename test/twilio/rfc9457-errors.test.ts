import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TwilioError } from '../../src/twilio/index.js';
import {
  DEMO,
  PARENT_TOKEN,
  control,
  gatewayOn,
  rawTwilio,
  startDemoEmulator,
} from '../support/emulator-helpers.js';

const parent = { sid: DEMO.production, parentSid: null };

let emulator: RunningEmulator;
beforeEach(async () => void (emulator = await startDemoEmulator()));
afterEach(() => emulator.stop());

async function caught(promise: Promise<unknown>): Promise<TwilioError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TwilioError);
  return err as TwilioError;
}

describe('RFC 9457 error bodies', () => {
  it('reads title, detail and code from a problem-details refusal, as from the classic body', async () => {
    await control(emulator, 'POST', 'faults', {
      type: 'status',
      status: 401,
      code: 20003,
      form: 'rfc9457',
      path: '/2010-04-01/Accounts',
    });
    const err = await caught((await gatewayOn(emulator).gateway.forAccount(parent)).fetchIdentity());
    expect(err.kind).toBe('auth');
    expect(err.code).toBe(20003);
    expect(err.message).toContain(
      'HTTP 401. Twilio error 20003: Unauthorized (Injected fault answering HTTP 401).',
    );
  });

  it('the emulator answers problem details as application/problem+json', async () => {
    await control(emulator, 'POST', 'faults', { type: 'status', status: 404, code: 20404, form: 'rfc9457' });
    const answer = await rawTwilio(emulator, 'GET', '/v1/Settings', [DEMO.production, PARENT_TOKEN]);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toEqual({
      type: 'https://www.twilio.com/docs/errors/20404',
      title: 'Not Found',
      status: 404,
      code: 20404,
      detail: 'Injected fault answering HTTP 404',
      instance: '/v1/Settings',
    });
  });

  it('the classic form stays as it was', async () => {
    await control(emulator, 'POST', 'faults', {
      type: 'status',
      status: 403,
      code: 20003,
      path: '/v1/Messaging',
    });
    const err = await caught((await gatewayOn(emulator).gateway.forAccount(parent)).fetchMessaging());
    expect(err.code).toBe(20003);
    expect(err.message).toContain('HTTP 403. Twilio error 20003: Service unavailable (injected fault).');
  });
});
