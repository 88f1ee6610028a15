import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  demoState,
  parseEmulatorState,
  startEmulator,
  type Fault,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import { TwilioError } from '../../src/twilio/index.js';
import {
  DEMO,
  PARENT_TOKEN,
  MARKETING_TOKEN,
  SUPPORT_EU_TOKEN,
  control,
  gatewayOn,
  rawTwilio,
  requestLog,
  startDemoEmulator,
} from '../support/emulator-helpers.js';

const parent = { sid: DEMO.production, parentSid: null };
const supportEu = { sid: DEMO.supportEu, parentSid: DEMO.production };
const sandbox = { sid: DEMO.marketing, parentSid: DEMO.production };
const GB_ON = { iso: 'GB', low_risk: true, high_risk_special: false, high_risk_tollfraud: false };

let emulator: RunningEmulator;
beforeEach(async () => void (emulator = await startDemoEmulator()));
afterEach(() => emulator.stop());

async function caught(promise: Promise<unknown>): Promise<TwilioError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TwilioError);
    return err as TwilioError;
  }
  throw new Error('expected a TwilioError');
}

describe('reads', () => {
  it('a plan-shaped read of a parent and its subaccounts costs at most 4 requests per account', async () => {
    const { gateway } = gatewayOn(emulator);
    for (const target of [parent, supportEu, sandbox]) {
      const client = await gateway.forAccount(target);
      await client.fetchIdentity();
      await client.listVoiceCountries();
      await client.fetchVoiceInheritance();
      await client.fetchMessaging();
    }
    const perAccount = new Map<string, number>();
    for (const r of await requestLog(emulator))
      perAccount.set(r.subject!, (perAccount.get(r.subject!) ?? 0) + 1);
    // Printed for the report: identity/token, countries page, settings (subaccounts only), messaging.
    console.log('requests per account:', Object.fromEntries(perAccount));
    expect(perAccount.get(DEMO.production)).toBe(3);
    expect(perAccount.get(DEMO.supportEu)).toBe(4);
    expect(perAccount.get(DEMO.marketing)).toBe(4);
    expect(gateway.requestCount()).toBe(11);
  });

  it('reads identity, every voice country, inheritance and messaging as the account itself', async () => {
    const { gateway } = gatewayOn(emulator);
    const prod = await gateway.forAccount(parent);
    expect(await prod.fetchIdentity()).toEqual({
      sid: DEMO.production,
      friendlyName: 'production',
      type: 'Full',
      status: 'active',
      ownerAccountSid: null,
    });
    const voice = await prod.listVoiceCountries();
    expect(voice.length).toBeGreaterThan(240);
    expect(voice.find((c) => c.iso === 'MX')).toMatchObject({
      continent: 'NORTH_AMERICA',
      callingCodes: ['+52'],
      low_risk: true,
    });
    expect(await prod.fetchVoiceInheritance()).toBeNull();
    const messaging = await prod.fetchMessaging();
    expect(messaging.find((c) => c.iso === 'IE')).toMatchObject({
      enabled: true,
      prefix: '+353',
      message: null,
    });
    expect(messaging.find((c) => c.iso === 'PK')?.message).toBe('High Risk Country');

    const sand = await gateway.forAccount(sandbox);
    expect((await sand.fetchIdentity()).type).toBe('Trial');
    expect(await sand.fetchVoiceInheritance()).toBe(true);
    // An inheriting subaccount reports its parent's effective voice values (docs/emulator.md).
    expect((await sand.listVoiceCountries()).find((c) => c.iso === 'MX')?.low_risk).toBe(true);
    expect(await (await gateway.forAccount(supportEu)).fetchVoiceInheritance()).toBe(false);
  });

  it('maps Monitor events to ISO codes, oldest first, with who changed what', async () => {
    const { gateway } = gatewayOn(emulator);
    const eu = await gateway.forAccount(supportEu);
    await eu.updateMessaging([{ iso: 'GB', enabled: false }]);
    await control(emulator, 'POST', 'console', {
      account: DEMO.supportEu,
      actor: DEMO.consoleUser,
      voice: { DE: { highRiskTollfraud: true } },
    });
    const events = await eu.listGeoEvents(new Date(Date.now() - 7 * 86_400_000));
    expect(events.map((e) => [e.actorType, e.source])).toEqual([
      ['account', 'api'],
      ['account', 'api'],
      ['user', 'web'],
    ]);
    expect(events[0]!.changes).toEqual([
      { country: 'FR', field: 'enabled', previous: 'enabled', updated: 'disabled' },
    ]);
    expect(events[1]).toMatchObject({ actorSid: DEMO.supportEu });
    expect(events[1]!.changes).toEqual([
      { country: 'GB', field: 'enabled', previous: 'enabled', updated: 'disabled' },
    ]);
    expect(events[2]).toMatchObject({ actorSid: DEMO.consoleUser });
    expect(events[2]!.changes).toEqual([
      { country: 'DE', field: 'high_risk_tollfraud_numbers_enabled', previous: 'false', updated: 'true' },
    ]);
    const log = await requestLog(emulator);
    // One request: the window fits in one page, so no listing per event type is needed.
    const listed = log.filter((r) => r.path === '/v1/Events').map((r) => new URLSearchParams(r.query));
    expect(listed.map((q) => [q.get('EventType'), q.get('PageSize'), q.has('StartDate')])).toEqual([
      [null, '1000', true],
    ]);
  });

  it('keeps only the geo-permission events of the unfiltered page, the same events as a listing per type', async () => {
    const state = demoState();
    const at = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const other = (n: number, eventType: string) => ({
      sid: `AE${String(n).padStart(32, 'e')}`,
      accountSid: DEMO.supportEu,
      eventType,
      resourceType: eventType.split('.')[0]!,
      eventDate: at(n),
      actorSid: null,
      actorType: 'account',
      source: 'api',
      sourceIpAddress: '198.51.100.20',
      description: null,
      // Other types carry payloads of their own; they are never parsed as geo events.
      eventData: n % 2 ? 'not an object' : { resource_properties: { GB: { updated: 'true' } } },
    });
    state.events.push(
      other(1, 'phone-number.created'),
      other(2, 'api-key.deleted'),
      other(3, 'voice-geographic-permissions.updated.extra'),
    );
    await control(emulator, 'PUT', 'state', state);
    await control(emulator, 'POST', 'console', {
      account: DEMO.supportEu,
      actor: DEMO.consoleUser,
      voice: { DE: { highRiskTollfraud: true } },
    });
    const since = new Date(Date.now() - 7 * 86_400_000);
    const events = await (await gatewayOn(emulator).gateway.forAccount(supportEu)).listGeoEvents(since);
    expect(events.length).toBeGreaterThan(0);
    expect(
      events.every((e) =>
        /^(voice|sms)-geographic-permissions\.(created|updated|deleted)$/.test(e.eventType),
      ),
    ).toBe(true);
    expect((await requestLog(emulator)).filter((r) => r.path === '/v1/Events')).toHaveLength(1);

    // A busier log than one page (here pages of 2) is listed again per type: 1 + 6 requests, same events.
    const saved = await control(emulator, 'GET', 'state');
    await emulator.stop();
    emulator = await startEmulator({ state: parseEmulatorState(saved), pageSizeCap: 2 });
    const byType = await (await gatewayOn(emulator).gateway.forAccount(supportEu)).listGeoEvents(since);
    expect(byType).toEqual(events);
    const listed = (await requestLog(emulator))
      .filter((r) => r.path === '/v1/Events')
      .map((r) => new URLSearchParams(r.query).get('EventType'));
    expect(listed[0]).toBeNull();
    expect(new Set(listed.slice(1))).toEqual(
      new Set([
        'voice-geographic-permissions.created',
        'voice-geographic-permissions.updated',
        'voice-geographic-permissions.deleted',
        'sms-geographic-permissions.created',
        'sms-geographic-permissions.updated',
        'sms-geographic-permissions.deleted',
      ]),
    );
  });

  it('reads the created and deleted geo-permission events too', async () => {
    const state = demoState();
    const at = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const seeded = (n: number, eventType: string, eventDate: string, properties: unknown) => ({
      sid: `AE${String(n).padStart(32, 'f')}`,
      accountSid: DEMO.supportEu,
      eventType,
      resourceType: eventType.split('.')[0]!,
      eventDate,
      actorSid: DEMO.consoleUser,
      actorType: 'user',
      source: 'web',
      sourceIpAddress: '203.0.113.7',
      description: null,
      eventData: { resource_properties: properties },
    });
    state.events.push(
      seeded(1, 'sms-geographic-permissions.created', at(2), { Nigeria: { updated: 'enabled' } }),
      seeded(2, 'voice-geographic-permissions.deleted', at(1), {
        DE: { low_risk_numbers_enabled: { previous: 'true' } },
      }),
    );
    await control(emulator, 'PUT', 'state', state);
    const { gateway } = gatewayOn(emulator);
    const events = await (
      await gateway.forAccount(supportEu)
    ).listGeoEvents(new Date(Date.now() - 7 * 86_400_000));
    const read = events.filter((e) => !e.eventType.endsWith('.updated'));
    expect(read.map((e) => [e.eventType, e.changes])).toEqual([
      [
        'sms-geographic-permissions.created',
        [{ country: 'NG', field: 'enabled', previous: null, updated: 'enabled' }],
      ],
      [
        'voice-geographic-permissions.deleted',
        [{ country: 'DE', field: 'low_risk_numbers_enabled', previous: 'true', updated: null }],
      ],
    ]);
  });

  it('follows next_page_url when Twilio pages (rewritten to the base URL)', async () => {
    await emulator.stop();
    emulator = await startEmulator({ state: demoState(), pageSizeCap: 100 });
    const { gateway } = gatewayOn(emulator);
    const prod = await gateway.forAccount(parent);
    const countries = await prod.listVoiceCountries();
    expect(countries.length).toBeGreaterThan(240);
    expect(new Set(countries.map((c) => c.iso)).size).toBe(countries.length);
    const pages = (await requestLog(emulator)).filter((r) => r.path === '/v1/DialingPermissions/Countries');
    expect(pages).toHaveLength(Math.ceil(countries.length / 100));
  });

  it('lists high-risk special prefixes of a country', async () => {
    const { gateway } = gatewayOn(emulator);
    const prefixes = await (await gateway.forAccount(parent)).listHighRiskSpecialPrefixes!('LV');
    expect(prefixes).toEqual(['+37190', '+37170']);
  });
});

describe('writes', () => {
  it('sends voice flags as strings and messaging flags as booleans, and reports per-country failures', async () => {
    const { gateway } = gatewayOn(emulator);
    const eu = await gateway.forAccount(supportEu);
    expect(
      await eu.bulkUpdateVoice([
        { iso: 'FR', low_risk: true, high_risk_special: false, high_risk_tollfraud: false },
        GB_ON,
      ]),
    ).toEqual({
      updateCount: 2,
    });
    const results = await eu.updateMessaging([
      { iso: 'FR', enabled: true },
      { iso: 'PK', enabled: true },
      { iso: 'IR', enabled: true },
    ]);
    expect(results.map((r) => [r.iso, r.errorCode])).toEqual([
      ['FR', 0],
      ['PK', 30649],
      ['IR', 30649],
    ]);
    const account = emulator.state().accounts.find((a) => a.sid === DEMO.supportEu)!;
    expect(account.voice.countries.FR).toEqual({
      lowRisk: true,
      highRiskSpecial: false,
      highRiskTollfraud: false,
    });
    expect(account.voice.countries.GB?.highRiskSpecial).toBe(false);
    expect(account.messaging).toMatchObject({ FR: true });
    expect(account.messaging.PK).toBeUndefined();
    // The parent was not touched.
    const prod = emulator.state().accounts.find((a) => a.sid === DEMO.production)!;
    expect(prod.voice.countries.FR).toBeUndefined();
    expect(prod.messaging.FR).toBeUndefined();
  });

  it('the emulator refuses the wrong boolean encodings, so the tests above prove the wire format', async () => {
    const auth: [string, string] = [DEMO.supportEu, SUPPORT_EU_TOKEN];
    const voice = await rawTwilio(emulator, 'POST', '/v1/DialingPermissions/BulkCountryUpdates', auth, {
      UpdateRequest: JSON.stringify([{ iso_code: 'FR', low_risk_numbers_enabled: true }]),
    });
    expect(voice.status).toBe(400);
    expect(voice.body.message).toMatch(/must be the string "true" or "false", not the JSON boolean/);
    const messaging = await rawTwilio(emulator, 'PATCH', '/v1/Messaging/GeoPermissions', auth, {
      Permissions: JSON.stringify({ country_code: 'FR', type: 'country', enabled: 'true' }),
    });
    expect(messaging.status).toBe(400);
    expect(messaging.body.message).toMatch(/JSON boolean/);
  });

  it('switches inheritance (202) and refuses bulk updates while a subaccount inherits', async () => {
    const { gateway } = gatewayOn(emulator);
    const sand = await gateway.forAccount(sandbox);
    const refused = await caught(sand.bulkUpdateVoice([GB_ON]));
    expect(refused).toMatchObject({ status: 400, kind: 'rejected', account: DEMO.marketing });
    expect(refused.message).toMatch(/inherited from its parent/);
    await sand.setVoiceInheritance(false);
    expect(await sand.fetchVoiceInheritance()).toBe(false);
    expect(await sand.bulkUpdateVoice([GB_ON])).toEqual({ updateCount: 1 });
    const log = await requestLog(emulator);
    expect(log.find((r) => r.method === 'POST' && r.path === '/v1/Settings')?.status).toBe(202);
  });

  it('a trial account cannot enable high-risk numbers', async () => {
    const { gateway } = gatewayOn(emulator);
    const sand = await gateway.forAccount(sandbox);
    await sand.setVoiceInheritance(false);
    const err = await caught(sand.bulkUpdateVoice([{ ...GB_ON, high_risk_tollfraud: true }]));
    expect(err.message).toMatch(/Trial accounts can only enable low-risk/);
  });
});

describe('the subaccount trap', () => {
  it('a subaccount client authenticates as the subaccount, never as the parent', async () => {
    const { gateway } = gatewayOn(emulator);
    const eu = await gateway.forAccount(supportEu);
    expect(eu.sid).toBe(DEMO.supportEu);
    await eu.listVoiceCountries();
    await eu.bulkUpdateVoice([GB_ON]);
    await eu.updateMessaging([{ iso: 'FR', enabled: true }]);
    await eu.setVoiceInheritance(false);
    const log = await requestLog(emulator);
    // Only the token derivation (a v2010 read of the subaccount) uses the parent's credentials.
    expect(log.filter((r) => r.account === DEMO.production).map((r) => r.path)).toEqual([
      `/2010-04-01/Accounts/${DEMO.supportEu}.json`,
    ]);
    expect(log.filter((r) => r.kind === 'write').every((r) => r.account === DEMO.supportEu)).toBe(true);
  });

  it("refuses to write with a parent's API key given for a subaccount, before any write", async () => {
    const state = demoState();
    state.accounts[0]!.apiKeys.push({ sid: 'SK' + '1'.repeat(32), secret: 'parent-key-secret' });
    await emulator.stop();
    emulator = await startDemoEmulator(state);
    const { gateway } = gatewayOn(emulator, undefined, {
      perAccount: { [DEMO.supportEu]: { apiKey: 'SK' + '1'.repeat(32), apiSecret: 'parent-key-secret' } },
    });
    const eu = await gateway.forAccount(supportEu);
    const err = await caught(eu.bulkUpdateVoice([GB_ON]));
    expect(err.kind).toBe('identity');
    expect(err.message).toMatch(
      /refusing to act on ACfedcba9876543210fedcba9876543210: API key SK1+ is not a key of ACfedcba9876543210fedcba9876543210/,
    );
    expect(err.message).toMatch(/silently change the parent/);
    const err2 = await caught(eu.updateMessaging([{ iso: 'FR', enabled: true }]));
    expect(err2.kind).toBe('identity');
    const log = await requestLog(emulator);
    expect(log.filter((r) => r.kind === 'write')).toEqual([]);
    expect(emulator.state().accounts[0]!.voice.countries.GB?.highRiskSpecial).toBe(false);
  });

  it("writes with a Standard API key created inside the subaccount once the key's owner is proven", async () => {
    const { gateway } = gatewayOn(emulator, undefined, {
      perAccount: {
        [DEMO.supportEu]: { apiKey: DEMO.supportEuKey, apiSecret: 'demo-secret-support-eu-key' },
      },
    });
    const eu = await gateway.forAccount(supportEu);
    expect(await eu.bulkUpdateVoice([GB_ON])).toEqual({ updateCount: 1 });
    const log = await requestLog(emulator);
    // A Standard key may not read /Keys (401): its Balance, under the subaccount's own path, proves it.
    expect(log.map((r) => [r.path, r.status])).toEqual([
      [`/2010-04-01/Accounts/${DEMO.supportEu}/Keys/${DEMO.supportEuKey}.json`, 401],
      [`/2010-04-01/Accounts/${DEMO.supportEu}/Balance.json`, 200],
      ['/v1/DialingPermissions/BulkCountryUpdates', 201],
    ]);
    expect(log.every((r) => r.account === DEMO.supportEu)).toBe(true);
  });

  it('a wrong per-account token is a 401 that names the account and what to check', async () => {
    const { gateway } = gatewayOn(emulator, undefined, {
      perAccount: { [DEMO.supportEu]: { authToken: PARENT_TOKEN } },
    });
    const eu = await gateway.forAccount(supportEu);
    const err = await caught(eu.listVoiceCountries());
    expect(err).toMatchObject({ status: 401, code: 20003, kind: 'auth', account: DEMO.supportEu });
    expect(err.message).toMatch(/the auth token given for ACfedcba\w+ must be its own current token/);
    expect(err.message).not.toContain(PARENT_TOKEN);
    expect((await requestLog(emulator)).filter((r) => r.status === 401)).toHaveLength(1); // not retried
  });

  it('a subaccount cannot read its parent, and a wrong parent in the policy is refused', async () => {
    const { gateway } = gatewayOn(emulator, {
      kind: 'authToken',
      accountSid: DEMO.marketing,
      authToken: MARKETING_TOKEN,
    });
    const err = await caught(gateway.forAccount(parent));
    expect(err).toMatchObject({ status: 401, kind: 'auth', account: DEMO.production });
    expect(err.message).toMatch(/a subaccount's credentials never act on its parent/);
    const { gateway: g2 } = gatewayOn(emulator);
    const wrong = await caught(g2.forAccount({ sid: DEMO.supportEu, parentSid: DEMO.marketing }));
    expect(wrong.kind).toBe('identity');
    expect(wrong.message).toMatch(/Twilio says its owner is AC0123456789abcdef0123456789abcdef/);
  });
});

describe('secrets', () => {
  it('masks the given and derived secrets, including the Basic-auth form, and errors never carry them', async () => {
    const { gateway, masked, logs } = gatewayOn(emulator);
    const eu = await gateway.forAccount(supportEu);
    await eu.listVoiceCountries();
    expect(masked).toContain(PARENT_TOKEN);
    expect(masked).toContain(SUPPORT_EU_TOKEN);
    expect(masked).toContain(Buffer.from(`${DEMO.production}:${PARENT_TOKEN}`).toString('base64'));
    expect(masked).toContain(Buffer.from(`${DEMO.supportEu}:${SUPPORT_EU_TOKEN}`).toString('base64'));
    await eu.fetchMessaging();
    expect(masked.length).toBe(new Set(masked).size); // each secret registered once
    await control(emulator, 'POST', 'faults', { type: 'status', status: 503, path: '/v1/Messaging' });
    const err = await caught(eu.fetchMessaging());
    for (const secret of masked) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err)).not.toContain(secret);
      for (const line of logs) expect(line).not.toContain(secret);
    }
  });
});

describe('faults', () => {
  async function fault(body: object) {
    await control(emulator, 'POST', 'faults', body);
  }
  async function readParentVoice() {
    const { gateway, logs } = gatewayOn(emulator, undefined, { timeoutMs: 300 });
    const prod = await gateway.forAccount(parent);
    const result = await prod.listVoiceCountries().then(
      (v) => v,
      (e: unknown) => e,
    );
    return { result, logs, count: gateway.requestCount() };
  }
  const countries = '/v1/DialingPermissions/Countries';

  it.each<[string, Fault, number]>([
    ['429 with Retry-After', { type: 'status', status: 429, retryAfter: 1, count: 2 }, 2],
    ['5xx', { type: 'status', status: 502, count: 1 }, 1],
    ['dropped connection', { type: 'drop', count: 1 }, 1],
    ['response slower than the timeout', { type: 'slow', ms: 2_000, count: 1 }, 1],
    ['latency under the timeout', { type: 'latency', ms: 50 }, 0],
  ])('%s ends in the right result', async (_name, spec, expectedRetries) => {
    await fault({ ...spec, path: countries });
    const { result, logs } = await readParentVoice();
    expect(Array.isArray(result)).toBe(true);
    const retries = (await requestLog(emulator)).filter((r) => r.path === countries).length - 1;
    expect(retries).toBe(expectedRetries);
    expect(logs.filter((l) => l.includes('retry'))).toHaveLength(retries);
  });

  it('honours Retry-After, capped by the policy, instead of a jittered delay', async () => {
    await fault({ type: 'status', status: 429, retryAfter: 1, count: 1, path: countries });
    const { logs } = await readParentVoice();
    // FAST_RETRY jitters below 5 ms but caps Retry-After at 20 ms: the 1 s hint gives exactly 20.
    expect(logs).toEqual([expect.stringMatching(/HTTP 429, retry 1 in 20 ms$/)]);
  });

  it('retries a write after a 5xx and applies it once', async () => {
    await fault({ type: 'status', status: 503, count: 1, path: '/v1/DialingPermissions/BulkCountryUpdates' });
    const { gateway } = gatewayOn(emulator);
    const eu = await gateway.forAccount(supportEu);
    expect(await eu.bulkUpdateVoice([GB_ON])).toEqual({ updateCount: 1 });
    const writes = (await requestLog(emulator)).filter((r) => r.kind === 'write').map((r) => r.status);
    expect(writes).toEqual([503, 201]);
    expect(emulator.state().events.filter((e) => e.accountSid === DEMO.supportEu)).toHaveLength(2);
  });

  it('persistent 5xx gives a clean named error after the retry budget', async () => {
    await fault({ type: 'status', status: 503, path: countries });
    const { result } = await readParentVoice();
    expect(result).toBeInstanceOf(TwilioError);
    expect(result).toMatchObject({ kind: 'unavailable', status: 503, account: DEMO.production });
    expect((result as Error).message).toMatch(/HTTP 503 after 4 attempts/);
  });

  it('persistent drops and timeouts give a clean named error', async () => {
    await fault({ type: 'drop', path: countries });
    const dropped = (await readParentVoice()).result as TwilioError;
    expect(dropped).toMatchObject({ kind: 'unavailable', status: null });
    expect(dropped.message).toMatch(/connection failed .* after 4 attempts/);
    await control(emulator, 'DELETE', 'faults');
    await fault({ type: 'slow', ms: 1_000, path: countries });
    const slow = (await readParentVoice()).result as TwilioError;
    expect(slow.message).toMatch(/no answer within 300 ms after 4 attempts/);
  });

  it.each([
    ['not-json', /not JSON \(\d+ bytes\)/],
    ['missing-fields', /could not be read|missing or has unexpected fields/],
  ])('a malformed body (%s) is a named error, not a crash, and is not retried', async (mode, message) => {
    await fault({ type: 'malformed', mode, path: '/2010-04-01' });
    const { gateway } = gatewayOn(emulator);
    const err = await caught((await gateway.forAccount(parent)).fetchIdentity());
    expect(err).toMatchObject({ kind: 'malformed', account: DEMO.production });
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain(PARENT_TOKEN);
    expect(gateway.requestCount()).toBe(1);
  });

  it('a malformed list page and messaging body are named errors too', async () => {
    await fault({ type: 'malformed', mode: 'missing-fields', path: '/v1/' });
    const { gateway } = gatewayOn(emulator);
    const prod = await gateway.forAccount(parent);
    expect((await caught(prod.listVoiceCountries())).kind).toBe('malformed');
    expect((await caught(prod.fetchMessaging())).kind).toBe('malformed');
  });

  it('every Nth request fails and the retry covers it', async () => {
    await fault({ type: 'status', status: 500, every: 2 });
    const { gateway } = gatewayOn(emulator);
    for (const target of [parent, supportEu, sandbox]) {
      const c = await gateway.forAccount(target);
      await c.listVoiceCountries();
      await c.fetchMessaging();
    }
    const log = await requestLog(emulator);
    expect(log.filter((r) => r.status === 500).length).toBe(Math.floor(log.length / 2));
  });

  it('caps requests in flight across accounts', async () => {
    await fault({ type: 'latency', ms: 30 });
    const { gateway } = gatewayOn(emulator, undefined, { concurrency: 2 });
    const clients = await Promise.all([parent, supportEu, sandbox].map((t) => gateway.forAccount(t)));
    await Promise.all(
      clients.flatMap((c) => [c.listVoiceCountries(), c.fetchMessaging(), c.fetchIdentity()]),
    );
    const { peakConcurrency } = await control(emulator, 'GET', 'requests');
    // Nine slow requests against a cap of two: the cap is reached and never passed.
    expect(peakConcurrency).toBe(2);
  });
});

describe('listSubaccounts', () => {
  const listed = (ids: Array<{ sid: string }>) => ids.map((a) => a.sid);

  it('answers the active subaccounts the parent owns, masking every listed token', async () => {
    const { gateway, masked } = gatewayOn(emulator);
    const subs = await (await gateway.forAccount(parent)).listSubaccounts!();
    expect(subs).toEqual([
      {
        sid: DEMO.supportEu,
        friendlyName: 'support-eu',
        type: 'Full',
        status: 'active',
        ownerAccountSid: DEMO.production,
      },
      {
        sid: DEMO.marketing,
        friendlyName: 'marketing',
        type: 'Trial',
        status: 'active',
        ownerAccountSid: DEMO.production,
      },
    ]);
    expect(masked).toEqual(expect.arrayContaining([PARENT_TOKEN, SUPPORT_EU_TOKEN, MARKETING_TOKEN]));
    const log = await requestLog(emulator);
    expect(log.map((r) => [r.path, r.account])).toEqual([['/2010-04-01/Accounts.json', DEMO.production]]);
  });

  it('leaves out suspended and closed subaccounts; a subaccount lists none', async () => {
    const state = demoState();
    state.accounts.find((a) => a.sid === DEMO.marketing)!.status = 'suspended';
    await control(emulator, 'PUT', 'state', state);
    const { gateway, masked } = gatewayOn(emulator);
    expect(listed(await (await gateway.forAccount(parent)).listSubaccounts!())).toEqual([DEMO.supportEu]);
    expect(await (await gateway.forAccount(supportEu)).listSubaccounts!()).toEqual([]);
    // Twilio filters them (ListAccount's Status parameter), so the suspended one's token never arrives.
    const lists = (await requestLog(emulator)).filter((r) => r.path === '/2010-04-01/Accounts.json');
    expect(lists.map((r) => new URLSearchParams(r.query).get('Status'))).toEqual(['active', 'active']);
    expect(masked).not.toContain(MARKETING_TOKEN);
  });

  it('follows next_page_uri when Twilio pages the list', async () => {
    await emulator.stop();
    emulator = await startEmulator({ state: demoState(), pageSizeCap: 1 });
    const { gateway } = gatewayOn(emulator);
    const subs = await (await gateway.forAccount(parent)).listSubaccounts!();
    expect(listed(subs)).toEqual([DEMO.supportEu, DEMO.marketing]);
    const pages = (await requestLog(emulator)).filter((r) => r.path === '/2010-04-01/Accounts.json');
    expect(pages).toHaveLength(3);
  });

  it('a malformed list is a named error that shows no token', async () => {
    await control(emulator, 'POST', 'faults', {
      type: 'malformed',
      mode: 'missing-fields',
      path: '/2010-04-01/Accounts.json',
    });
    const { gateway } = gatewayOn(emulator);
    const err = await caught((await gateway.forAccount(parent)).listSubaccounts!());
    expect(err).toMatchObject({ kind: 'malformed', account: DEMO.production });
    expect(err.message).toContain('listing the subaccounts');
    expect(err.message).not.toContain(PARENT_TOKEN);
  });
});
