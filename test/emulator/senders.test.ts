// The sender lookups `why --from` makes, as twilio-oai describes them: v2010 IncomingPhoneNumbers (list
// with the PhoneNumber filter, fetch by PN SID) and messaging v1 Services (fetch, PhoneNumbers list).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  demoState,
  parseEmulatorState,
  startEmulator,
  type EmulatorState,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import { DEMO, PARENT_TOKEN, SUPPORT_EU_TOKEN, rawTwilio } from '../support/emulator-helpers.js';

const parentAuth: [string, string] = [DEMO.production, PARENT_TOKEN];
const euAuth: [string, string] = [DEMO.supportEu, SUPPORT_EU_TOKEN];
const pn = (n: number) => `PN${n.toString(16).padStart(32, '0')}`;

/** The demo fleet, support-eu owning five numbers more (+4420718387501..5, beside +442071838750). */
function withNumbers(): EmulatorState {
  const state = demoState();
  const eu = state.accounts.find((a) => a.sid === DEMO.supportEu)!;
  for (let i = 1; i <= 5; i++)
    eu.phoneNumbers!.push({ sid: pn(0x10 + i), phoneNumber: `+44207183875${i}`, friendlyName: `Desk ${i}` });
  eu.messagingServices![0]!.phoneNumbers.push(pn(0x11), pn(0x12));
  return parseEmulatorState(state);
}

const numbersOf = (body: { incoming_phone_numbers: Array<{ phone_number: string }> }) =>
  body.incoming_phone_numbers.map((n) => n.phone_number);

let emulator: RunningEmulator;
beforeEach(async () => void (emulator = await startEmulator({ state: withNumbers() })));
afterEach(() => emulator.stop());

describe('GET /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers.json', () => {
  const list = (query: string, auth = euAuth, sid: string = DEMO.supportEu) =>
    rawTwilio(emulator, 'GET', `/2010-04-01/Accounts/${sid}/IncomingPhoneNumbers.json${query}`, auth);

  it("answers the account's numbers with the spec's fields, in the v2010 envelope", async () => {
    const r = await list('?PhoneNumber=%2B442071838750');
    expect(r.status).toBe(200);
    expect(numbersOf(r.body)).toEqual(['+442071838750']);
    expect(r.body.incoming_phone_numbers[0]).toMatchObject({
      sid: DEMO.supportEuNumber,
      account_sid: DEMO.supportEu,
      phone_number: '+442071838750',
      friendly_name: 'London support',
      capabilities: { voice: true, sms: true, mms: false, fax: false },
      uri: `/2010-04-01/Accounts/${DEMO.supportEu}/IncomingPhoneNumbers/${DEMO.supportEuNumber}.json`,
    });
    expect(r.body).toMatchObject({ page: 0, page_size: 50, start: 0, next_page_uri: null });
  });

  it('matches PhoneNumber as a partial number with * for any digit', async () => {
    // Every number holds 207183875; the wildcard takes the last digit; "+" unencoded reads as a space.
    expect(numbersOf((await list('?PhoneNumber=207183875')).body)).toHaveLength(6);
    expect(numbersOf((await list('?PhoneNumber=%2B4420718387*3')).body)).toEqual(['+442071838753']);
    expect(numbersOf((await list('?PhoneNumber=+442071838754')).body)).toEqual(['+442071838754']);
    expect(numbersOf((await list('?PhoneNumber=%2B14155550100')).body)).toEqual([]);
    expect(numbersOf((await list('?FriendlyName=Desk%202')).body)).toEqual(['+442071838752']);
  });

  it('pages with PageSize, Page and PageToken, the links being paths', async () => {
    const first = await list('?PageSize=4');
    expect(numbersOf(first.body)).toHaveLength(4);
    const next: string = first.body.next_page_uri;
    expect(next).toMatch(/^\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/IncomingPhoneNumbers\.json\?/);
    const second = await rawTwilio(emulator, 'GET', next, euAuth);
    expect(numbersOf(second.body)).toEqual(['+442071838754', '+442071838755']);
    expect(second.body.next_page_uri).toBeNull();
  });

  it('follows the v2010 read rule: a parent reads its subaccount, not the reverse; others are 404', async () => {
    expect(numbersOf((await list('', parentAuth)).body)).toHaveLength(6);
    const up = await list('', euAuth, DEMO.production);
    expect(up.status).toBe(401);
    expect(up.body.code).toBe(20003);
    const stranger = await list('', parentAuth, 'AC' + 'e'.repeat(32));
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe(20404);
  });
});

describe('GET /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers/{Sid}.json', () => {
  it("answers the owner's number, and 404 (20404) for another account's", async () => {
    const own = await rawTwilio(
      emulator,
      'GET',
      `/2010-04-01/Accounts/${DEMO.production}/IncomingPhoneNumbers/${DEMO.productionNumber}.json`,
      parentAuth,
    );
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ sid: DEMO.productionNumber, account_sid: DEMO.production });
    const path = `/2010-04-01/Accounts/${DEMO.production}/IncomingPhoneNumbers/${DEMO.supportEuNumber}.json`;
    const other = await rawTwilio(emulator, 'GET', path, parentAuth);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({
      code: 20404,
      message: `The requested resource ${path} was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });
});

describe('GET /v1/Services/{Sid} and /v1/Services/{Sid}/PhoneNumbers (messaging)', () => {
  const service = `/v1/Services/${DEMO.supportEuService}`;

  it("answers the caller's own service, on messaging.twilio.com", async () => {
    const r = await rawTwilio(emulator, 'GET', service, euAuth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      sid: DEMO.supportEuService,
      account_sid: DEMO.supportEu,
      friendly_name: 'EU alerts',
      url: `https://messaging.twilio.com${service}`,
      links: { phone_numbers: `https://messaging.twilio.com${service}/PhoneNumbers` },
    });
  });

  it('answers 404 (20404) to any other account, its parent included: the API has no account in the path', async () => {
    for (const auth of [
      parentAuth,
      ['AC00000000000000000000000000000003', 'demo-token-marketing-00000000003'],
    ])
      for (const path of [service, `${service}/PhoneNumbers`]) {
        const r = await rawTwilio(emulator, 'GET', path, auth as [string, string]);
        expect(r.status, path).toBe(404);
        expect(r.body.code).toBe(20404);
      }
  });

  it('pages the sender pool under `phone_numbers`, with meta links on the messaging host', async () => {
    const first = await rawTwilio(emulator, 'GET', `${service}/PhoneNumbers?PageSize=2`, euAuth);
    expect(first.status).toBe(200);
    expect(first.body.meta).toMatchObject({ key: 'phone_numbers', page: 0, page_size: 2 });
    expect(first.body.phone_numbers[0]).toMatchObject({
      sid: DEMO.supportEuNumber,
      account_sid: DEMO.supportEu,
      service_sid: DEMO.supportEuService,
      phone_number: '+442071838750',
      country_code: 'GB',
      capabilities: ['Voice', 'SMS'],
    });
    const next = new URL(first.body.meta.next_page_url as string);
    expect(next.origin).toBe('https://messaging.twilio.com');
    const second = await rawTwilio(emulator, 'GET', next.pathname + next.search, euAuth);
    expect(second.body.phone_numbers.map((n: { sid: string }) => n.sid)).toEqual([pn(0x12)]);
    expect(second.body.meta.next_page_url).toBeNull();
  });
});

describe('key types on the sender routes', () => {
  it('lets Standard keys read them, and Restricted keys only with the route permission', async () => {
    const state = withNumbers();
    const eu = state.accounts.find((a) => a.sid === DEMO.supportEu)!;
    eu.apiKeys.push({
      sid: 'SK' + '7'.repeat(32),
      secret: 'restricted-secret',
      type: 'restricted',
      permissions: ['GET /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json'],
    });
    await fetch(`${emulator.url}/__emulator/state`, { method: 'PUT', body: JSON.stringify(state) });
    const standard: [string, string] = [DEMO.supportEuKey, 'demo-secret-support-eu-key'];
    const restricted: [string, string] = ['SK' + '7'.repeat(32), 'restricted-secret'];
    const numbers = `/2010-04-01/Accounts/${DEMO.supportEu}/IncomingPhoneNumbers.json`;
    const service = `/v1/Services/${DEMO.supportEuService}`;
    expect((await rawTwilio(emulator, 'GET', numbers, standard)).status).toBe(200);
    expect((await rawTwilio(emulator, 'GET', service, standard)).status).toBe(200);
    expect((await rawTwilio(emulator, 'GET', numbers, restricted)).status).toBe(200);
    const refused = await rawTwilio(emulator, 'GET', service, restricted);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(70051);
    expect(refused.body.message).toContain('GET /v1/Services/{MG}');
  });
});

describe('the state format', () => {
  const base = () => ({ accounts: [{ sid: DEMO.production, authToken: 't' }] });

  it('keeps loading state files without phoneNumbers or messagingServices, and writes none back', () => {
    const state = parseEmulatorState(base());
    expect(state.accounts[0]).not.toHaveProperty('phoneNumbers');
    expect(state.accounts[0]).not.toHaveProperty('messagingServices');
  });

  it("refuses a malformed number, a number twice, a pool holding another account's number, a number in two services", () => {
    const account = (extra: object) => ({ accounts: [{ ...base().accounts[0], ...extra }] });
    expect(() =>
      parseEmulatorState(account({ phoneNumbers: [{ sid: pn(1), phoneNumber: '4155550100' }] })),
    ).toThrow(/accounts\.0\.phoneNumbers\.0\.phoneNumber: a phone number in E\.164 form/);
    const twice = [
      { sid: pn(1), phoneNumber: '+14155550100' },
      { sid: pn(2), phoneNumber: '+14155550100' },
    ];
    expect(() => parseEmulatorState(account({ phoneNumbers: twice }))).toThrow(/\+14155550100 appears twice/);
    const foreign = { sid: 'MG' + '1'.repeat(32), phoneNumbers: [pn(9)] };
    expect(() => parseEmulatorState(account({ messagingServices: [foreign] }))).toThrow(
      /lists PN0{31}9, which is not a phone number of/,
    );
    const number = [{ sid: pn(1), phoneNumber: '+14155550100' }];
    const both = [
      { sid: 'MG' + '1'.repeat(32), phoneNumbers: [pn(1)] },
      { sid: 'MG' + '2'.repeat(32), phoneNumbers: [pn(1)] },
    ];
    expect(() => parseEmulatorState(account({ phoneNumbers: number, messagingServices: both }))).toThrow(
      /is in more than one Messaging Service/,
    );
  });
});
