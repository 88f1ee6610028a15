import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO, PARENT_TOKEN, control, rawTwilio, requestLog } from '../support/emulator-helpers.js';

/** How the route table answers what it does not serve: a wrong method (405), an unknown path (404). */

let emulator: RunningEmulator;
beforeEach(async () => void (emulator = await startEmulator({ seed: 'demo' })));
afterEach(() => emulator.stop());

const parentAuth: [string, string] = [DEMO.production, PARENT_TOKEN];

const twilioError = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

async function controlRaw(method: string, path: string, body?: string) {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    body: method === 'GET' ? undefined : body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('a wrong method on a known path', () => {
  it.each([
    ['DELETE', '/2010-04-01/Accounts.json', 'GET'],
    ['POST', `/2010-04-01/Accounts/${DEMO.supportEu}.json`, 'GET'],
    ['PUT', `/2010-04-01/Accounts/${DEMO.supportEu}/Keys/${DEMO.supportEuKey}.json`, 'GET'],
    ['POST', '/v1/DialingPermissions/Countries', 'GET'],
    ['DELETE', '/v1/DialingPermissions/Countries/GB', 'GET'],
    // The method is checked before the country exists.
    ['POST', '/v1/DialingPermissions/Countries/QQ', 'GET'],
    ['POST', '/v1/DialingPermissions/Countries/GB/HighRiskSpecialPrefixes', 'GET'],
    ['GET', '/v1/DialingPermissions/BulkCountryUpdates', 'POST'],
    // Paths with two methods name GET.
    ['DELETE', '/v1/Settings', 'GET'],
    ['POST', '/v1/Messaging/GeoPermissions', 'GET'],
    ['PATCH', '/v1/Events', 'GET'],
  ])('%s %s answers 405 "use %s" and changes nothing', async (method, path, allowed) => {
    const before = structuredClone(emulator.state());
    // A body that would change something were the request served (fetch sends none with GET).
    const form = {
      UpdateRequest: '[{"iso_code":"FR","low_risk_numbers_enabled":"true"}]',
      DialingPermissionsInheritance: 'true',
      Permissions: '{"country_code":"FR","enabled":true}',
    };
    const r = await rawTwilio(emulator, method, path, parentAuth, method === 'GET' ? undefined : form);
    expect(r.status).toBe(405);
    expect(r.body).toEqual(twilioError(405, 20004, `Method not allowed: use ${allowed}`));
    expect(emulator.state()).toEqual(before);
  });
});

describe('an unknown path', () => {
  it.each([
    // api (v2010); the dot of .json is a dot
    ['GET', '/2010-04-01/AccountsXjson'],
    ['GET', `/2010-04-01/Accounts/${DEMO.supportEu}/Calls.json`],
    ['GET', '/2010-04-01/Accounts/ACxyz.json'],
    ['GET', `/2010-04-01/Accounts/${DEMO.supportEu}/Keys/SK${'1'.repeat(32)}.json`],
    // voice
    ['GET', '/v1/DialingPermissions'],
    ['GET', '/v1/DialingPermissions/Countries/gb'],
    ['GET', '/v1/DialingPermissions/Countries/GBR'],
    ['GET', '/v1/DialingPermissions/Countries/QQ/HighRiskSpecialPrefixes'],
    ['GET', '/v1/DialingPermissions/Countries/GB/Other'],
    ['GET', '/v1/Settings/'],
    // accounts
    ['PATCH', '/v1/Messaging/GeoPermissions/FR'],
    // monitor
    ['GET', '/v1/Events/AE00000000000000000000000000000001'],
    // no product; a method no route has is still a 404
    ['GET', '/'],
    ['DELETE', '/v2/Nothing'],
  ])('%s %s answers 404 naming the path', async (method, path) => {
    const r = await rawTwilio(emulator, method, path, parentAuth);
    expect(r.status).toBe(404);
    expect(r.body).toEqual(twilioError(404, 20404, `The requested resource ${path} was not found`));
  });

  it('authenticates before routing: bad credentials are 401 on unknown paths and wrong methods', async () => {
    for (const [method, path] of [
      ['GET', '/v1/Nothing'],
      ['DELETE', '/v1/Settings'],
    ] as const) {
      const r = await rawTwilio(emulator, method, path, [DEMO.production, 'wrong']);
      expect(r.status).toBe(401);
      expect(r.body).toEqual(twilioError(401, 20003, 'Authenticate'));
    }
  });

  it('logs 404 and 405 answers, with the account a v2010 path names as the subject', async () => {
    await control(emulator, 'DELETE', 'requests');
    await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${DEMO.supportEu}/Calls.json`, parentAuth);
    await rawTwilio(emulator, 'POST', '/v1/Events', parentAuth);
    expect(await requestLog(emulator)).toEqual([
      {
        method: 'GET',
        path: `/2010-04-01/Accounts/${DEMO.supportEu}/Calls.json`,
        query: '',
        account: DEMO.production,
        subject: DEMO.supportEu,
        status: 404,
        kind: 'read',
        fault: null,
      },
      {
        method: 'POST',
        path: '/v1/Events',
        query: '',
        account: DEMO.production,
        subject: DEMO.production,
        status: 405,
        kind: 'write',
        fault: null,
      },
    ]);
  });

  it('injected faults answer before routing, on unknown paths and wrong methods too', async () => {
    await control(emulator, 'POST', 'faults', { type: 'status', status: 429, path: '/v1/', retryAfter: 1 });
    for (const [method, path] of [
      ['GET', '/v1/Nothing'],
      ['DELETE', '/v1/Settings'],
    ] as const) {
      const r = await rawTwilio(emulator, method, path, parentAuth);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.body).toEqual(twilioError(429, 20429, 'Too Many Requests'));
    }
  });
});

describe('the control API', () => {
  it.each([
    ['POST', 'state', 'GET'],
    ['GET', 'console', 'POST'],
    ['PUT', 'requests', 'GET'],
    ['PUT', 'faults', 'GET'],
  ])('%s /__emulator/%s answers 405 "use %s" as {error}', async (method, path, allowed) => {
    expect(await controlRaw(method, path, '{}')).toEqual({
      status: 405,
      body: { error: `Method not allowed: use ${allowed}` },
    });
  });

  it('answers 404 {error} for an unknown endpoint, and logs no control request', async () => {
    await control(emulator, 'DELETE', 'requests');
    expect(await controlRaw('GET', 'nothing')).toEqual({
      status: 404,
      body: { error: 'no control endpoint GET /__emulator/nothing' },
    });
    expect(await controlRaw('DELETE', 'state/x')).toEqual({
      status: 404,
      body: { error: 'no control endpoint DELETE /__emulator/state/x' },
    });
    expect(await requestLog(emulator)).toEqual([]);
  });
});
