// The gateway's sender lookups (AccountClient.findSender) against the emulator: one request for an
// account that does not own the sender, Twilio's partial PhoneNumber filter narrowed to the number
// itself, 404 as "not this account's", every other failure an error.
import { afterEach, describe, expect, it } from 'vitest';
import { demoState, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { DEMO, control, gatewayOn, requestLog } from '../support/emulator-helpers.js';

const parent = { sid: DEMO.production, parentSid: null };
const supportEu = { sid: DEMO.supportEu, parentSid: DEMO.production };
const pn = (n: number) => `PN${n.toString(16).padStart(32, '0')}`;

let emulator: RunningEmulator;
afterEach(() => emulator.stop());

/** The demo fleet, production owning numbers that contain +14155550100 without being it. */
async function start(pageSizeCap?: number) {
  const state = demoState();
  const production = state.accounts.find((a) => a.sid === DEMO.production)!;
  production.phoneNumbers = [
    { sid: pn(0x21), phoneNumber: '+141555501001' },
    { sid: pn(0x22), phoneNumber: '+141555501002' },
  ];
  const eu = state.accounts.find((a) => a.sid === DEMO.supportEu)!;
  eu.phoneNumbers!.push({ sid: pn(0x23), phoneNumber: '+442071838751' });
  eu.messagingServices![0]!.phoneNumbers.push(pn(0x23));
  emulator = await startEmulator({ state, pageSizeCap });
  return gatewayOn(emulator).gateway;
}

describe('findSender', () => {
  it('counts only the number itself, not the partial matches Twilio lists, following every page', async () => {
    const gateway = await start(1);
    const client = await gateway.forAccount(parent);
    expect(await client.findSender!({ kind: 'phone-number', e164: '+14155550100' })).toBeNull();
    // Both partial matches were paged through (one per page), and nothing else was asked.
    const log = await requestLog(emulator);
    expect(log.map((l) => l.path)).toEqual([
      `/2010-04-01/Accounts/${DEMO.production}/IncomingPhoneNumbers.json`,
      `/2010-04-01/Accounts/${DEMO.production}/IncomingPhoneNumbers.json`,
    ]);
    expect(log[0]!.query).toBe('PhoneNumber=%2B14155550100&PageSize=1000');
    expect(await client.findSender!({ kind: 'phone-number', e164: '+141555501002' })).toEqual({
      kind: 'phone-number',
      sid: pn(0x22),
      accountSid: DEMO.production,
      friendlyName: '+141555501002',
      phoneNumber: '+141555501002',
      capabilities: { voice: true, sms: true },
      senders: null,
    });
  });

  it("answers null for another account's PN or MG (Twilio's 404), one request each", async () => {
    const gateway = await start();
    const client = await gateway.forAccount(parent);
    expect(await client.findSender!({ kind: 'phone-number-sid', sid: DEMO.supportEuNumber })).toBeNull();
    expect(await client.findSender!({ kind: 'messaging-service', sid: DEMO.supportEuService })).toBeNull();
    expect((await requestLog(emulator)).map((l) => l.status)).toEqual([404, 404]);
  });

  it("reads the owner's Messaging Service with its whole sender pool, page by page", async () => {
    const gateway = await start(1);
    const client = await gateway.forAccount(supportEu);
    expect(await client.findSender!({ kind: 'messaging-service', sid: DEMO.supportEuService })).toEqual({
      kind: 'messaging-service',
      sid: DEMO.supportEuService,
      accountSid: DEMO.supportEu,
      friendlyName: 'EU alerts',
      phoneNumber: null,
      capabilities: null,
      senders: ['+442071838750', '+442071838751'],
    });
  });

  it('fails on anything but a 404, so an account that could not answer is never taken as a non-owner', async () => {
    const gateway = await start();
    await control(emulator, 'POST', 'faults', [
      { type: 'status', status: 403, code: 20003, path: '/v1/Services' },
    ]);
    const client = await gateway.forAccount(parent);
    await expect(
      client.findSender!({ kind: 'messaging-service', sid: DEMO.supportEuService }),
    ).rejects.toThrow(/HTTP 403/);
  });
});
