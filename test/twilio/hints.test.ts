// The hint table (src/twilio/hints.ts), case by case against the emulator: each Twilio refusal gets
// the one cause that applies to it, and a refusal no row fits gets no hint at all.
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import type { Credentials, TwilioOptions } from '../../src/twilio/index.js';
import { control, gatewayOn } from '../support/emulator-helpers.js';
import { fleetState, PARENT_TOKEN, SANDBOX_TOKEN, SIDS, startFleet } from '../support/hardening.js';

/** A phrase only each row's hint holds. */
const PHRASES: Record<string, RegExp> = {
  'key-type': /Standard and Restricted API keys cannot call \/Accounts or \/Keys/,
  'subaccount-credentials-on-another-account': /a subaccount's credentials never act on its parent/,
  'parent-key-given-for-subaccount': /the API key given for .* must be created inside/,
  'parent-token-given-for-subaccount': /the auth token given for .* must be its own current token/,
  'derived-token-refused': /through its parent was refused/,
  'main-credentials': /check the credentials of .*TWILIO_ACCOUNT_SID/,
  'restricted-key-permission': /a Restricted API key needs a permission for/,
  forbidden: /Twilio does not allow .* this request/,
  'not-in-family': /is neither .* nor one of its subaccounts/,
  'rate-limited': /Twilio rate-limited/,
};

const PARENT: Credentials = { kind: 'authToken', accountSid: SIDS.production, authToken: PARENT_TOKEN };
const PARENT_KEY = 'SK' + '1'.repeat(32);
const STANDARD_PARENT: Credentials = {
  kind: 'apiKey',
  accountSid: SIDS.production,
  apiKey: PARENT_KEY,
  apiSecret: 'parent-secret',
};
const production = { sid: SIDS.production, parentSid: null };
const supportEu = { sid: SIDS.supportEu, parentSid: SIDS.production };

function withKeys(type: 'standard' | 'restricted', permissions?: string[]): EmulatorState {
  const state = fleetState();
  state.accounts[0]!.apiKeys = [
    { sid: PARENT_KEY, secret: 'parent-secret', type, ...(permissions ? { permissions } : {}) },
  ];
  state.accounts[1]!.apiKeys = [{ sid: SIDS.supportEuKey, secret: 'hardening-key-secret', type: 'standard' }];
  return state;
}

let emulator: RunningEmulator;
afterEach(() => emulator.stop());

async function refusal(
  state: EmulatorState,
  credentials: Credentials,
  act: (g: ReturnType<typeof gatewayOn>['gateway']) => Promise<unknown>,
  overrides: Partial<Omit<TwilioOptions, 'credentials'>> = {},
): Promise<string> {
  emulator = await startFleet(state);
  const { gateway } = gatewayOn(emulator, credentials, overrides);
  try {
    await act(gateway);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

/** The message holds the hint of `cause` and of no other row. */
function expectOnly(message: string, cause: string | null): void {
  for (const [name, phrase] of Object.entries(PHRASES))
    if (name === cause) expect(message, name).toMatch(phrase);
    else expect(message, `${name} must not be hinted`).not.toMatch(phrase);
}

describe('every Twilio refusal maps to the cause that applies', () => {
  it('key type: deriving a subaccount token through a Standard key', async () => {
    const message = await refusal(withKeys('standard'), STANDARD_PARENT, (g) => g.forAccount(supportEu));
    expectOnly(message, 'key-type');
    expect(message).toMatch(/deriving the auth token of AC0+2 through AC0+1/);
  });

  it('key type: listing subaccounts through a Standard key', async () => {
    const message = await refusal(withKeys('standard'), STANDARD_PARENT, async (g) =>
      (await g.forAccount(production)).listSubaccounts!(),
    );
    expectOnly(message, 'key-type');
  });

  it('subaccount credentials used on the parent', async () => {
    const sandbox: Credentials = { kind: 'authToken', accountSid: SIDS.sandbox, authToken: SANDBOX_TOKEN };
    expectOnly(
      await refusal(fleetState(), sandbox, (g) => g.forAccount(production)),
      'subaccount-credentials-on-another-account',
    );
  });

  it("parent credentials on a subaccount: the parent's Standard key given for it", async () => {
    const message = await refusal(
      withKeys('standard'),
      PARENT,
      async (g) => (await g.forAccount(supportEu)).fetchIdentity(),
      { perAccount: { [SIDS.supportEu]: { apiKey: PARENT_KEY, apiSecret: 'parent-secret' } } },
    );
    expectOnly(message, 'parent-key-given-for-subaccount');
  });

  it("parent credentials on a subaccount: the parent's token given for it", async () => {
    const message = await refusal(
      fleetState(),
      PARENT,
      async (g) => (await g.forAccount(supportEu)).listVoiceCountries(),
      { perAccount: { [SIDS.supportEu]: { authToken: PARENT_TOKEN } } },
    );
    expectOnly(message, 'parent-token-given-for-subaccount');
  });

  it('a derived token refused: the subaccount was suspended after its token was read', async () => {
    const message = await refusal(fleetState(), PARENT, async (g) => {
      const eu = await g.forAccount(supportEu);
      const state = fleetState();
      state.accounts[1]!.status = 'suspended';
      await control(emulator, 'PUT', 'state', state);
      return eu.listVoiceCountries();
    });
    expectOnly(message, 'derived-token-refused');
  });

  it('wrong main credentials (or a suspended main account, or another Region)', async () => {
    const wrong: Credentials = { ...PARENT, authToken: 'not-the-token' };
    const message = await refusal(fleetState(), wrong, async (g) =>
      (await g.forAccount(production)).fetchIdentity(),
    );
    expectOnly(message, 'main-credentials');
    expect(message).toMatch(/suspended or closed.*another Twilio Region/);
  });

  it('a Restricted key without the permission of a request', async () => {
    const permissions = ['GET /2010-04-01/Accounts/{AC}/Balance.json'];
    const message = await refusal(withKeys('restricted', permissions), STANDARD_PARENT, async (g) =>
      (await g.forAccount(production)).fetchMessaging(),
    );
    expectOnly(message, 'restricted-key-permission');
    expect(message).toMatch(/GET \/v1\/Messaging\/GeoPermissions/);
  });

  it('a Restricted key without the permission of a sender lookup names the path by its template', async () => {
    const permissions = ['GET /2010-04-01/Accounts/{AC}/Balance.json'];
    const service = { kind: 'messaging-service' as const, sid: 'MG' + 'a'.repeat(32) };
    const message = await refusal(withKeys('restricted', permissions), STANDARD_PARENT, async (g) =>
      (await g.forAccount(production)).findSender!(service),
    );
    expectOnly(message, 'restricted-key-permission');
    expect(message).toContain('needs a permission for GET /v1/Services/{Sid} (README');
  });

  it('a 403 to an auth token', async () => {
    const message = await refusal(fleetState(), PARENT, async (g) => {
      await control(emulator, 'POST', 'faults', { type: 'status', status: 403, path: '/v1/Messaging' });
      return (await g.forAccount(production)).fetchMessaging();
    });
    expectOnly(message, 'forbidden');
  });

  it('an account outside the family is a 404 naming it', async () => {
    const stranger = 'AC' + 'f'.repeat(32);
    const message = await refusal(fleetState(), PARENT, (g) =>
      g.forAccount({ sid: stranger, parentSid: SIDS.production }),
    );
    expectOnly(message, 'not-in-family');
  });

  it('a rate limit the retries do not outlast', async () => {
    const message = await refusal(fleetState(), PARENT, async (g) => {
      await control(emulator, 'POST', 'faults', { type: 'status', status: 429, path: '/v1/Messaging' });
      return (await g.forAccount(production)).fetchMessaging();
    });
    expectOnly(message, 'rate-limited');
  });

  it('no hint where none applies: a persistent 5xx', async () => {
    const message = await refusal(fleetState(), PARENT, async (g) => {
      await control(emulator, 'POST', 'faults', { type: 'status', status: 500, path: '/v1/Messaging' });
      return (await g.forAccount(production)).fetchMessaging();
    });
    expectOnly(message, null);
    expect(message).toMatch(/HTTP 500 after \d+ attempts\. Twilio error 20500: [^.]+\.$/);
  });
});
