import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoState, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import {
  DEMO,
  PARENT_TOKEN,
  MARKETING_TOKEN,
  SUPPORT_EU_TOKEN,
  control,
  rawTwilio,
  requestLog,
} from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
beforeEach(async () => void (emulator = await startEmulator({ seed: 'demo' })));
afterEach(() => emulator.stop());

const parentAuth: [string, string] = [DEMO.production, PARENT_TOKEN];
const euAuth: [string, string] = [DEMO.supportEu, SUPPORT_EU_TOKEN];

describe('authentication and accounts', () => {
  it('answers 401 with a Twilio error body without valid credentials', async () => {
    for (const auth of [
      [DEMO.production, 'wrong'],
      [DEMO.supportEu, PARENT_TOKEN],
    ] as Array<[string, string]>) {
      const r = await rawTwilio(emulator, 'GET', '/v1/Settings', auth);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    }
  });

  it('lets a parent read its subaccount (with auth_token), but not the reverse', async () => {
    const sub = await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${DEMO.supportEu}.json`, parentAuth);
    expect(sub.status).toBe(200);
    expect(sub.body).toMatchObject({
      sid: DEMO.supportEu,
      auth_token: SUPPORT_EU_TOKEN,
      owner_account_sid: DEMO.production,
      type: 'Full',
      status: 'active',
    });
    const self = await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${DEMO.production}.json`, parentAuth);
    expect(self.body.owner_account_sid).toBe(DEMO.production);
    // Twilio's 20003: "You used subaccount credentials to access the main account or another subaccount".
    const up = await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${DEMO.production}.json`, euAuth);
    expect(up.status).toBe(401);
    expect(up.body.code).toBe(20003);
    const sibling = await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${DEMO.marketing}.json`, euAuth);
    expect(sibling.status).toBe(401);
  });

  it('lists the caller then the subaccounts it owns; a subaccount sees only itself', async () => {
    const all = await rawTwilio(emulator, 'GET', '/2010-04-01/Accounts.json', parentAuth);
    expect(all.status).toBe(200);
    expect(all.body.accounts.map((a: { sid: string }) => a.sid)).toEqual([
      DEMO.production,
      DEMO.supportEu,
      DEMO.marketing,
    ]);
    expect(all.body.accounts[1]).toMatchObject({
      auth_token: SUPPORT_EU_TOKEN,
      owner_account_sid: DEMO.production,
      status: 'active',
    });
    expect(all.body).toMatchObject({ page: 0, page_size: 50, start: 0, end: 2, next_page_uri: null });
    expect(all.body.uri).toBe('/2010-04-01/Accounts.json?PageSize=50&Page=0');
    const named = await rawTwilio(
      emulator,
      'GET',
      '/2010-04-01/Accounts.json?FriendlyName=marketing',
      parentAuth,
    );
    expect(named.body.accounts.map((a: { sid: string }) => a.sid)).toEqual([DEMO.marketing]);
    const own = await rawTwilio(emulator, 'GET', '/2010-04-01/Accounts.json', euAuth);
    expect(own.body.accounts.map((a: { sid: string }) => a.sid)).toEqual([DEMO.supportEu]);
    const tooBig = await rawTwilio(emulator, 'GET', '/2010-04-01/Accounts.json?PageSize=1001', parentAuth);
    expect(tooBig.status).toBe(400);
  });

  it('pages the account list with v2010 fields (next_page_uri paths) under pageSizeCap', async () => {
    const capped = await startEmulator({ seed: 'demo', pageSizeCap: 2 });
    try {
      const first = await rawTwilio(capped, 'GET', '/2010-04-01/Accounts.json?PageSize=1000', parentAuth);
      expect(first.body).toMatchObject({ page: 0, page_size: 2, start: 0, end: 1, previous_page_uri: null });
      expect(first.body.accounts).toHaveLength(2);
      expect(first.body.next_page_uri).toBe('/2010-04-01/Accounts.json?PageSize=2&Page=1&PageToken=PT2');
      const second = await rawTwilio(capped, 'GET', first.body.next_page_uri, parentAuth);
      expect(second.body.accounts.map((a: { sid: string }) => a.sid)).toEqual([DEMO.marketing]);
      expect(second.body).toMatchObject({ page: 1, start: 2, end: 2, next_page_uri: null });
      expect(second.body.previous_page_uri).toBe('/2010-04-01/Accounts.json?PageSize=2&Page=0');
    } finally {
      await capped.stop();
    }
  });

  it('an API key acts as the account it was created in', async () => {
    const keyAuth: [string, string] = [DEMO.supportEuKey, 'demo-secret-support-eu-key'];
    const r = await rawTwilio(emulator, 'GET', '/v1/Messaging/GeoPermissions?CountryCode=DE,FR', keyAuth);
    expect(
      r.body.permissions.map((p: { country_code: string; enabled: boolean }) => [p.country_code, p.enabled]),
    ).toEqual([
      ['DE', true],
      ['FR', false],
    ]);
    expect((await requestLog(emulator)).at(-1)?.account).toBe(DEMO.supportEu);
    const key = await rawTwilio(
      emulator,
      'GET',
      `/2010-04-01/Accounts/${DEMO.production}/Keys/${DEMO.supportEuKey}.json`,
      parentAuth,
    );
    expect(key.status).toBe(404);
  });
});

describe('voice', () => {
  it('paginates with meta: PageSize default 50, max 1000, next_page_url on Twilio hosts', async () => {
    const first = await rawTwilio(emulator, 'GET', '/v1/DialingPermissions/Countries', parentAuth);
    expect(first.body.content).toHaveLength(50);
    expect(first.body.meta).toMatchObject({
      key: 'content',
      page: 0,
      page_size: 50,
      previous_page_url: null,
    });
    const next = new URL(first.body.meta.next_page_url);
    expect(next.origin).toBe('https://voice.twilio.com');
    const second = await rawTwilio(emulator, 'GET', next.pathname + next.search, parentAuth);
    expect(second.body.meta.page).toBe(1);
    expect(second.body.content[0].iso_code).not.toBe(first.body.content[0].iso_code);
    const all = await rawTwilio(
      emulator,
      'GET',
      '/v1/DialingPermissions/Countries?PageSize=1000',
      parentAuth,
    );
    expect(all.body.meta.next_page_url).toBeNull();
    const us = all.body.content.find((c: { iso_code: string }) => c.iso_code === 'US');
    expect(us).toMatchObject({
      continent: 'NORTH_AMERICA',
      country_codes: ['+1'],
      low_risk_numbers_enabled: true,
    });
    expect(us.links.highrisk_special_prefixes).toBe(
      'https://voice.twilio.com/v1/DialingPermissions/Countries/US/HighRiskSpecialPrefixes',
    );
    const tooBig = await rawTwilio(
      emulator,
      'GET',
      '/v1/DialingPermissions/Countries?PageSize=1001',
      parentAuth,
    );
    expect(tooBig.status).toBe(400);
  });

  it('filters and fetches one country; unknown is 404', async () => {
    const r = await rawTwilio(
      emulator,
      'GET',
      '/v1/DialingPermissions/Countries?LowRiskNumbersEnabled=true&PageSize=1000',
      parentAuth,
    );
    expect(r.body.content.map((c: { iso_code: string }) => c.iso_code).sort()).toEqual([
      'AR',
      'BR',
      'CL',
      'GB',
      'IE',
      'MX',
      'NG',
      'US',
    ]);
    expect(
      (await rawTwilio(emulator, 'GET', '/v1/DialingPermissions/Countries/GB', parentAuth)).body.name,
    ).toBe('United Kingdom');
    expect((await rawTwilio(emulator, 'GET', '/v1/DialingPermissions/Countries/QQ', parentAuth)).status).toBe(
      404,
    );
  });

  it('serves voice its own list (US is United States/Canada for +1, no CA) and messaging the ISO list with CA', async () => {
    const voice = await rawTwilio(
      emulator,
      'GET',
      '/v1/DialingPermissions/Countries?PageSize=1000',
      parentAuth,
    );
    const byIso = new Map(voice.body.content.map((c: { iso_code: string }) => [c.iso_code, c]));
    expect(byIso.get('US')).toMatchObject({
      iso_code: 'US',
      name: 'United States/Canada',
      continent: 'NORTH_AMERICA',
      country_codes: ['+1'],
    });
    expect(byIso.has('CA')).toBe(false);
    expect(byIso.get('PR')).toMatchObject({ name: 'Puerto Rico', country_codes: ['+1787', '+1939'] });
    expect(byIso.get('JM')).toMatchObject({ country_codes: ['+1876'] });
    expect((await rawTwilio(emulator, 'GET', '/v1/DialingPermissions/Countries/CA', parentAuth)).status).toBe(
      404,
    );
    const plusOne = await rawTwilio(
      emulator,
      'GET',
      '/v1/DialingPermissions/Countries?CountryCode=%2B1',
      parentAuth,
    );
    expect(plusOne.body.content.map((c: { iso_code: string }) => c.iso_code)).toEqual(['US']);
    const bulk = await rawTwilio(emulator, 'POST', '/v1/DialingPermissions/BulkCountryUpdates', euAuth, {
      UpdateRequest: JSON.stringify([{ iso_code: 'CA', low_risk_numbers_enabled: 'true' }]),
    });
    expect(bulk.status).toBe(400);
    expect(bulk.body.message).toContain('Twilio dials it through US (United States/Canada)');
    const sms = await rawTwilio(
      emulator,
      'GET',
      '/v1/Messaging/GeoPermissions?CountryCode=US,CA',
      parentAuth,
    );
    expect(sms.body.permissions).toEqual([
      expect.objectContaining({ country_code: 'CA', prefix: '+1', enabled: true }),
      expect.objectContaining({ country_code: 'US', prefix: '+1', enabled: true }),
    ]);
  });

  it('bulk updates answer 201 "accepted", keep omitted flags, and record per-field events', async () => {
    const r = await rawTwilio(emulator, 'POST', '/v1/DialingPermissions/BulkCountryUpdates', euAuth, {
      UpdateRequest: JSON.stringify([{ iso_code: 'GB', high_risk_special_numbers_enabled: 'false' }]),
    });
    expect(r).toMatchObject({ status: 201, body: { update_count: 1, update_request: 'accepted' } });
    const gb = emulator.state().accounts[1]!.voice.countries.GB;
    expect(gb).toEqual({ lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false });
    const event = emulator.state().events.at(-1)!;
    expect(event).toMatchObject({
      accountSid: DEMO.supportEu,
      actorSid: DEMO.supportEu,
      actorType: 'account',
      source: 'api',
    });
    expect(event.eventData).toEqual({
      resource_properties: {
        GB: { high_risk_special_numbers_enabled: { previous: 'true', updated: 'false' } },
      },
    });
  });

  it('Settings: 202 on POST for subaccounts, 400 for a main account', async () => {
    const sandboxAuth: [string, string] = [DEMO.marketing, MARKETING_TOKEN];
    const r = await rawTwilio(emulator, 'POST', '/v1/Settings', sandboxAuth, {
      DialingPermissionsInheritance: 'false',
    });
    expect(r).toMatchObject({ status: 202, body: { dialing_permissions_inheritance: false } });
    expect(
      (await rawTwilio(emulator, 'GET', '/v1/Settings', parentAuth)).body.dialing_permissions_inheritance,
    ).toBe(false);
    expect(
      (
        await rawTwilio(emulator, 'POST', '/v1/Settings', parentAuth, {
          DialingPermissionsInheritance: 'true',
        })
      ).status,
    ).toBe(400);
  });
});

describe('monitor events', () => {
  it('answers newest first and refuses more than one non-date filter', async () => {
    await control(emulator, 'POST', 'console', {
      account: DEMO.production,
      actor: DEMO.consoleUser,
      messaging: { BD: true },
    });
    const r = await rawTwilio(
      emulator,
      'GET',
      '/v1/Events?EventType=sms-geographic-permissions.updated',
      parentAuth,
    );
    expect(r.body.events).toHaveLength(1);
    expect(r.body.events[0]).toMatchObject({
      actor_type: 'user',
      source: 'web',
      actor_sid: DEMO.consoleUser,
      event_data: { resource_properties: { Bangladesh: { previous: 'disabled', updated: 'enabled' } } },
    });
    const both = await rawTwilio(
      emulator,
      'GET',
      `/v1/Events?EventType=x&ActorSid=${DEMO.consoleUser}`,
      parentAuth,
    );
    expect(both.status).toBe(400);
    const future = await rawTwilio(emulator, 'GET', '/v1/Events?StartDate=2999-01-01T00:00:00Z', parentAuth);
    expect(future.body.events).toEqual([]);
  });
});

describe('control API', () => {
  it('round-trips the state and validates it', async () => {
    const state = await control(emulator, 'GET', 'state');
    expect(state.accounts.map((a: { friendlyName: string }) => a.friendlyName)).toEqual([
      'production',
      'support-eu',
      'marketing',
    ]);
    await control(emulator, 'PUT', 'state', {
      accounts: [
        {
          sid: DEMO.production,
          authToken: 't',
          voice: { countries: { US: { lowRisk: true } } },
          messaging: { US: true },
        },
      ],
    });
    expect(emulator.state().accounts[0]).toMatchObject({
      type: 'Full',
      ownerAccountSid: null,
      voice: { inheritance: false },
    });
    await expect(control(emulator, 'PUT', 'state', { accounts: [{ sid: 'AC1' }] })).rejects.toThrow(
      /400.*accounts\.0\.sid/,
    );
    expect(emulator.state().accounts).toHaveLength(1);
    expect(demoState().accounts).toHaveLength(3);
  });

  it('logs requests with account, subject and kind; DELETE resets the log', async () => {
    await rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${DEMO.supportEu}.json`, parentAuth);
    await rawTwilio(emulator, 'PATCH', '/v1/Messaging/GeoPermissions', euAuth, {
      Permissions: [JSON.stringify({ country_code: 'FR', type: 'country', enabled: true })],
    });
    const log = await requestLog(emulator);
    expect(log).toEqual([
      {
        method: 'GET',
        path: `/2010-04-01/Accounts/${DEMO.supportEu}.json`,
        query: '',
        account: DEMO.production,
        subject: DEMO.supportEu,
        status: 200,
        kind: 'read',
        fault: null,
      },
      {
        method: 'PATCH',
        path: '/v1/Messaging/GeoPermissions',
        query: '',
        account: DEMO.supportEu,
        subject: DEMO.supportEu,
        status: 200,
        kind: 'write',
        fault: null,
      },
    ]);
    await control(emulator, 'DELETE', 'requests');
    expect(await requestLog(emulator)).toEqual([]);
  });

  it('injects faults on every Nth matching request up to a count, lists and clears them', async () => {
    await control(emulator, 'POST', 'faults', {
      type: 'status',
      status: 429,
      retryAfter: 3,
      every: 2,
      count: 1,
      path: '/v1/Settings',
    });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await rawTwilio(emulator, 'GET', '/v1/Settings', parentAuth);
      statuses.push(r.status);
      retryAfter ??= r.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 429, 200, 200]);
    expect(retryAfter).toBe('3');
    const { faults } = await control(emulator, 'GET', 'faults');
    expect(faults[0]).toMatchObject({ fired: 1 });
    await control(emulator, 'DELETE', 'faults');
    expect((await control(emulator, 'GET', 'faults')).faults).toEqual([]);
    await expect(control(emulator, 'POST', 'faults', { type: 'explode' })).rejects.toThrow(/400/);
  });

  it('answers malformed bodies and drops connections on request', async () => {
    await control(emulator, 'POST', 'faults', [
      { type: 'malformed', mode: 'not-json', count: 1 },
      { type: 'drop', count: 1, path: '/v1/Events' },
    ]);
    const bad = await rawTwilio(emulator, 'GET', '/v1/Settings', parentAuth);
    expect(bad.status).toBe(200);
    expect(typeof bad.body).toBe('string');
    await expect(rawTwilio(emulator, 'GET', '/v1/Events', parentAuth)).rejects.toThrow();
    expect((await requestLog(emulator)).map((r) => [r.status, r.fault])).toEqual([
      [200, 'malformed'],
      [0, 'drop'],
    ]);
  });

  it('a Console change skips the API restrictions and is attributed to the user', async () => {
    const { events } = await control(emulator, 'POST', 'console', {
      account: DEMO.marketing,
      actor: DEMO.consoleUser,
      voice: { GB: { highRiskTollfraud: true } },
      messaging: { NG: true },
    });
    expect(events).toHaveLength(2);
    const sandbox = emulator.state().accounts[2]!;
    expect(sandbox.voice.countries.GB?.highRiskTollfraud).toBe(true);
    expect(sandbox.messaging.NG).toBe(true);
    await expect(
      control(emulator, 'POST', 'console', { account: DEMO.marketing, actor: DEMO.marketing }),
    ).rejects.toThrow(/400/);
  });
});
