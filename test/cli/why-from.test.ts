// `why NUMBER --from SENDER` against the emulator (a real HTTP server): the account that owns the
// sender answers, found with as few requests as the search allows.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseEmulatorState,
  startEmulator,
  type EmulatorStateInput,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import { parseSender } from '../../src/plan/why-sender.js';
import { CLI_POLICY, cliFleet, PRODUCTION_TOKEN, runCli, runCliWithEnv, SID } from '../support/cli-fleet.js';
import { control, requestLog } from '../support/emulator-helpers.js';

const pn = (n: number) => `PN${n.toString(16).padStart(32, '0')}`;
const SERVICE = 'MG' + 'a'.repeat(32);
const STORE = 'AC00000000000000000000000000000010';
const LEGACY = 'AC00000000000000000000000000000011';

/**
 * cliFleet with senders: production owns +14155550100, support-eu +442079460000 (its friendly name
 * carries an ANSI escape) in the Messaging Service "EU alerts"; two subaccounts the policy does not
 * name: store-0001 (the `stores` fleet template matches it) and legacy (unmanaged), each with a number.
 */
function senderFleet(): EmulatorStateInput {
  const fleet = cliFleet();
  const [production, supportEu] = fleet.accounts;
  production!.phoneNumbers = [{ sid: pn(1), phoneNumber: '+14155550100', friendlyName: 'HQ' }];
  supportEu!.phoneNumbers = [
    { sid: pn(2), phoneNumber: '+442079460000', friendlyName: 'London \u001b[31mdesk' },
  ];
  supportEu!.messagingServices = [{ sid: SERVICE, friendlyName: 'EU alerts', phoneNumbers: [pn(2)] }];
  fleet.accounts.push(
    {
      sid: STORE,
      authToken: 'store-token',
      friendlyName: 'store-0001',
      ownerAccountSid: SID.production,
      voice: { countries: { US: { lowRisk: true } } },
      messaging: { US: true, MX: true },
      phoneNumbers: [{ sid: pn(3), phoneNumber: '+15125550101' }],
    },
    {
      sid: LEGACY,
      authToken: 'legacy-token',
      friendlyName: 'legacy',
      ownerAccountSid: SID.production,
      voice: { countries: { MX: { lowRisk: true } } },
      phoneNumbers: [{ sid: pn(4), phoneNumber: '+15125550199', capabilities: { voice: true, sms: false } }],
    },
  );
  return fleet;
}

const POLICY = `${CLI_POLICY}fleets:
  stores:
    parent: production
    match: "store-*"
    voice: {low_risk: [US]}
    messaging: [US]
`;

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator({ state: parseEmulatorState(senderFleet()) });
  dir = await mkdtemp(path.join(tmpdir(), 'geo-why-from-'));
  await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
});
afterEach(() => emulator.stop());

const why = (...args: string[]) => runCli(emulator, dir, ['why', ...args]);
const json = async (...args: string[]) => {
  const r = await why(...args, '--format', 'json');
  return { ...r, answer: JSON.parse(r.stdout) };
};
const lookups = async () =>
  (await requestLog(emulator)).filter((r) => /IncomingPhoneNumbers|\/v1\/Services\//.test(r.path));

describe('parseSender (pure)', () => {
  it('reads a number as people write it, and MG / PN SIDs', () => {
    expect(parseSender(' +1 (415) 555-0100 ')).toEqual({ kind: 'phone-number', e164: '+14155550100' });
    expect(parseSender('+44.20.7946.0123')).toEqual({ kind: 'phone-number', e164: '+442079460123' });
    // As pasted from a web page or a document: a non-breaking space, an en dash, a non-breaking hyphen.
    expect(parseSender('+1\u00a0415\u2013555\u20110100')).toEqual({
      kind: 'phone-number',
      e164: '+14155550100',
    });
    expect(parseSender(SERVICE)).toEqual({ kind: 'messaging-service', sid: SERVICE });
    expect(parseSender(pn(7))).toEqual({ kind: 'phone-number-sid', sid: pn(7) });
  });

  it('says what is wrong with a SID cut short, and what to write', () => {
    expect(() => parseSender('mg123')).toThrow(
      /^--from "mg123" is not a sender: MG SIDs are MG followed by 32 hex digits; give a phone number in E\.164 form/,
    );
    expect(() => parseSender('+0123')).toThrow(/^--from "\+0123" is not a sender; give/);
    expect(() => parseSender('AC' + '0'.repeat(32))).toThrow(/is not a sender; give/);
  });

  it('drops the "(0)" written after a country code: +44 (0)20 … is +4420…, as Twilio lists it', () => {
    expect(parseSender('+44 (0)20 7946 0000')).toEqual({ kind: 'phone-number', e164: '+442079460000' });
    expect(parseSender('+44 (0) 20-7946-0000')).toEqual({ kind: 'phone-number', e164: '+442079460000' });
    // Italy's leading 0 is part of the number, not a trunk prefix: kept.
    expect(parseSender('+39 06 1234 5678')).toEqual({ kind: 'phone-number', e164: '+390612345678' });
  });

  it("writes a SID's hex digits in lower case, as Twilio issues them", () => {
    expect(parseSender(`MG${'AB'.repeat(16)}`)).toEqual({
      kind: 'messaging-service',
      sid: `MG${'ab'.repeat(16)}`,
    });
    expect(parseSender(`PN${'0F'.repeat(16)}`)).toEqual({
      kind: 'phone-number-sid',
      sid: `PN${'0f'.repeat(16)}`,
    });
  });
});

describe('why --from: the account that owns the sender answers', () => {
  it('a number owned by a subaccount answers for that subaccount, voice and SMS', async () => {
    const r = await why('+491701234567', '--from', '+442079460000');
    expect(r.code).toBe(0);
    const [numberLine, senderLine, ...rest] = r.stdout.split('\n');
    expect(numberLine).toBe(`+491701234567: Germany (DE, +49), account support-eu (${SID.supportEu})`);
    // The friendly name's ESC is shown, not sent to the terminal.
    expect(senderLine).toBe(
      `sender +442079460000 "London \\u001b[31mdesk" (${pn(2)}), a phone number of support-eu (${SID.supportEu}, subaccount of production); 3 accounts asked`,
    );
    expect(r.stdout).not.toContain('\u001b');
    expect(rest).toContain('voice: ALLOWED (voice.low_risk DE)');
    expect(rest).toContain('sms: ALLOWED (messaging DE)');
    // The lookup asked Twilio for exactly that number, "+" encoded.
    const asked = (await lookups()).filter((l) => l.subject === SID.supportEu);
    expect(asked.map((l) => l.query)).toEqual(['PhoneNumber=%2B442079460000&PageSize=1000']);
  });

  it('a Messaging Service answers SMS only, naming the numbers it sends from', async () => {
    const { code, answer, stdout } = await json('+33612345678', '--from', SERVICE);
    expect(code).toBe(0);
    expect(answer).toMatchObject({
      kind: 'why',
      account: 'support-eu',
      voice: null,
      sms: { country: 'FR', live: 'blocked', policy: 'allowed' },
      sender: {
        given: SERVICE,
        kind: 'messaging-service',
        sid: SERVICE,
        accountSid: SID.supportEu,
        friendlyName: 'EU alerts',
        senders: ['+442079460000'],
      },
      owner: { account: 'support-eu', governance: 'account', parent: 'production' },
    });
    // support-eu's FR messaging is off live though the policy allows it: said, with Twilio's error.
    expect(answer.sms.errors).toEqual([{ code: 21408, where: 'Messages create' }]);
    expect(answer.sms.notes).toContain(
      'live differs from the policy (drift or an unapplied change): Twilio blocks it now',
    );
    expect(stdout).not.toContain('\u001b');
    const text = await why('+33612345678', '--from', SERVICE);
    expect(text.stdout).toContain('a Messaging Service of support-eu');
    expect(text.stdout).toContain('; sends from +442079460000; messaging only;');
    expect(text.stdout).not.toMatch(/^voice:/m);
    expect(text.stdout).toContain('sms: BLOCKED (messaging FR)');
  });

  it('a Messaging Service whose sender pool cannot be listed still answers for its owner', async () => {
    await control(emulator, 'POST', 'faults', [
      {
        type: 'status',
        status: 403,
        code: 20003,
        account: SID.supportEu,
        path: `/v1/Services/${SERVICE}/PhoneNumbers`,
      },
    ]);
    const { code, answer } = await json('+33612345678', '--from', SERVICE);
    expect(answer.owner).toMatchObject({ account: 'support-eu' });
    expect(answer.sender).toMatchObject({ sid: SERVICE, senders: null });
    expect(answer.sms).toMatchObject({ country: 'FR', live: 'blocked' });
    expect(answer.sms.notes.join('\n')).toMatch(/^the sender pool of MGa{32} was not listed: .*20003/m);
    expect(code).toBe(0);
  });

  it('a PN SID answers for its owner, where live differs from the policy', async () => {
    // production has MX on live for voice; the policy's core list does not allow it.
    const r = await why('+5215512345678', '--from', pn(1));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sender +14155550100 "HQ" (${pn(1)}), a phone number of production`);
    expect(r.stdout).toContain('voice: ALLOWED (voice.low_risk MX)');
    expect(r.stdout).toContain('add MX to voice.low_risk of production');
    expect(r.stdout).toContain(
      'note: live differs from the policy (drift or an unapplied change): Twilio allows it now',
    );
    expect(r.stdout).toContain('sms: BLOCKED (messaging MX)');
    expect(r.stdout).toContain('Twilio would answer: 21408 (Messages create)');
  });

  it('stops at the first owner: with one lookup at a time, the accounts after it are not asked', async () => {
    const { answer } = await json('+491701234567', '--from', '+14155550100', '--concurrency', '1');
    expect(answer.search.asked).toEqual(['production']);
    const log = await requestLog(emulator);
    expect((await lookups()).map((l) => l.subject)).toEqual([SID.production]);
    // Found among the policy's accounts: no subaccount listing was needed.
    expect(log.filter((l) => l.path === '/2010-04-01/Accounts.json')).toEqual([]);
  });

  it('a fleet template member, found by discovery, answers with its template', async () => {
    const { code, answer } = await json('+5215512345678', '--from', '+15125550101');
    expect(code).toBe(0);
    expect(answer.owner).toEqual({
      account: 'store-0001',
      sid: STORE,
      parent: 'production',
      governance: 'fleet',
      fleet: 'stores',
    });
    expect(answer.sms).toMatchObject({ live: 'allowed', policy: 'blocked' });
    expect(answer.sms.change).toContain('add MX to messaging of fleet stores');
  });

  it('an unmanaged subaccount answers by its live state, saying no policy line governs it', async () => {
    const { code, answer } = await json('+5215512345678', '--from', '+15125550199');
    expect(code).toBe(0);
    expect(answer.owner).toMatchObject({ account: 'legacy', governance: 'unmanaged' });
    expect(answer.voice).toMatchObject({ live: 'allowed', policyLine: null });
    expect(answer.voice.change).toMatch(/^legacy is in no policy entry or fleet template/);
    expect(answer.voice.notes.join('\n')).not.toContain('live differs');
    expect(answer.sms.notes).toContain(
      '+15125550199 has no SMS capability: Twilio refuses messages from it whatever the geo permissions',
    );
  });
});

describe('why --from: an inheriting subaccount', () => {
  it("answers voice from its parent's lists, and says when live inheritance is not the policy's", async () => {
    const state = senderFleet();
    const sandbox = state.accounts[2]!;
    sandbox.phoneNumbers = [{ sid: pn(9), phoneNumber: '+14155550999' }];
    await control(emulator, 'PUT', 'state', state);
    // Inheriting live as in the policy: production's lists decide (MX is on live there, off in the policy).
    const inheriting = await json('+5215512345678', '--from', '+14155550999');
    expect(inheriting.answer.owner).toMatchObject({ account: 'sandbox', governance: 'account' });
    expect(inheriting.answer.voice).toMatchObject({ live: 'allowed', policy: 'blocked' });
    expect(inheriting.answer.voice.change).toContain('add MX to voice.low_risk of production');
    expect(inheriting.answer.voice.notes).toContain('sandbox inherits voice permissions from production');
    expect(inheriting.answer.voice.notes.join('\n')).not.toMatch(/DialingPermissionsInheritance/);
    // Live it stopped inheriting and blocks MX on its own lists: the policy still asks for the parent's.
    sandbox.voice = { inheritance: false, countries: { US: { lowRisk: true } } };
    await control(emulator, 'PUT', 'state', state);
    const own = await json('+5215512345678', '--from', '+14155550999');
    expect(own.answer.voice).toMatchObject({ live: 'blocked', policy: 'blocked' });
    expect(own.answer.voice.notes).toContain(
      'live, sandbox does not inherit (DialingPermissionsInheritance is off): its own voice lists decide, not those of production',
    );
    // The other way: support-eu has lists of its own in the policy, but inherits live.
    state.accounts[1]!.voice = { inheritance: true, countries: {} };
    await control(emulator, 'PUT', 'state', state);
    const inherited = await json('+5215512345678', '--from', '+442079460000');
    expect(inherited.answer.voice.notes).toContain(
      'live, support-eu inherits (DialingPermissionsInheritance is on): the voice lists of production decide, not its own',
    );
  });
});

describe('why --from: senders no account owns, and bad ones', () => {
  it('an unknown sender says so, names the accounts searched, and exits 2', async () => {
    const r = await why('+442079460123', '--from', '+14155550111');
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '+442079460123: United Kingdom (GB, +44, FIXED_LINE)',
      'sender +14155550111 is owned by none of the 5 accounts searched (production, support-eu, sandbox, store-0001, legacy)',
    ]);
    expect(r.stdout).toContain('  check: the number as Twilio lists it');
    // Nothing is read but the lookups, the subaccount list and the subaccounts' tokens.
    const paths = new Set((await requestLog(emulator)).map((l) => l.path.replace(/AC[0-9a-f]{32}/g, '{AC}')));
    expect([...paths].sort()).toEqual([
      '/2010-04-01/Accounts.json',
      '/2010-04-01/Accounts/{AC}.json',
      '/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json',
    ]);
  });

  it('says which number it searched when that is not the sender as written', async () => {
    const r = await why('+442079460123', '--from', '+44 (0)20 7946 0001');
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')[1]).toBe(
      'sender +44 (0)20 7946 0001 (searched as +442079460001) is owned by none of the 5 accounts searched (production, support-eu, sandbox, store-0001, legacy)',
    );
    const { answer } = await json('+442079460123', '--from', '+44 (0)20 7946 0001');
    expect(answer.sender).toEqual({
      given: '+44 (0)20 7946 0001',
      kind: 'phone-number',
      e164: '+442079460001',
    });
  });

  it('exits 1 when an account could not be searched, naming it', async () => {
    await control(emulator, 'POST', 'faults', [
      { type: 'status', status: 403, code: 20003, account: SID.supportEu },
    ]);
    const { code, answer } = await json('+442079460123', '--from', SERVICE);
    expect(code).toBe(1);
    expect(answer).toMatchObject({ owner: null, search: { complete: false } });
    expect(answer.search.errors).toEqual([
      expect.objectContaining({ account: 'support-eu', sid: SID.supportEu }),
    ]);
    expect(answer.checks.at(-1)).toContain('any of them may own it');
  });

  it.each([['4155550100'], ['MG123'], [`PN${'g'.repeat(32)}`], ['+']])(
    'a malformed sender %s is a one-line error before any request',
    async (sender) => {
      const r = await why('+442079460123', '--from', sender);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: --from ".*" is not a sender/);
      expect(await requestLog(emulator)).toEqual([]);
    },
  );

  it('refuses --from with --account before any request', async () => {
    const r = await why('+442079460123', '--from', '+14155550100', '--account', 'production');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--from finds the account that owns the sender; drop --account');
    expect(await requestLog(emulator)).toEqual([]);
  });
});

describe('why --from: "owned by none" only when every account that may own it was searched', () => {
  const OTHER = 'AC00000000000000000000000000000020';
  const OTHER_KEY = 'SK00000000000000000000000000000020';
  const PRODUCTION_KEY = 'SK00000000000000000000000000000021';
  /** senderFleet plus an unrelated account and a Standard key of production (keys given for the wrong account). */
  async function withKeys(): Promise<void> {
    const state = senderFleet();
    state.accounts[0]!.apiKeys = [{ sid: PRODUCTION_KEY, secret: 'production-key-secret', type: 'standard' }];
    state.accounts.push({
      sid: OTHER,
      authToken: 'other-token',
      friendlyName: 'other',
      apiKeys: [{ sid: OTHER_KEY, secret: 'other-key-secret' }],
    });
    await control(emulator, 'PUT', 'state', state);
  }
  const whyWith = (key: string, secret: string, ...args: string[]) =>
    runCliWithEnv(
      {
        TWILIO_ACCOUNT_SID: SID.production,
        TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN,
        TWILIO_API_URL: emulator.url,
        TWILIO_CREDENTIALS: JSON.stringify({ [SID.supportEu]: { apiKey: key, apiSecret: secret } }),
      },
      dir,
      ['why', ...args, '--format', 'json'],
    );

  it.each([
    ['an unrelated account', OTHER_KEY, 'other-key-secret'],
    ["the parent's Standard key", PRODUCTION_KEY, 'production-key-secret'],
  ])(
    "a 404 through %s's key given for support-eu is not support-eu's answer: it was not searched (exit 1)",
    async (_, key, secret) => {
      await withKeys();
      for (const sender of [SERVICE, pn(2)]) {
        const r = await whyWith(key, secret, '+442079460123', '--from', sender);
        const answer = JSON.parse(r.stdout);
        expect(answer.owner, sender).toBeNull();
        expect(
          answer.search.errors.map((e: { account: string }) => e.account),
          sender,
        ).toEqual(['support-eu']);
        expect(r.code, sender).toBe(1);
      }
    },
  );

  it('a suspended subaccount (not searched: Twilio refuses its requests) leaves the search incomplete: exit 1', async () => {
    const state = senderFleet();
    state.accounts.push({
      sid: 'AC00000000000000000000000000000012',
      authToken: 'store-2-token',
      friendlyName: 'store-0002',
      ownerAccountSid: SID.production,
      status: 'suspended',
    });
    await control(emulator, 'PUT', 'state', state);
    const { code, answer } = await json('+442079460123', '--from', '+14155550111');
    expect(answer.owner).toBeNull();
    expect(answer.search.complete).toBe(false);
    expect(answer.search.notes.join('\n')).toContain('store-0002');
    expect(answer.checks.at(-1)).toContain('any of them may own it');
    expect(code).toBe(1);
  });

  it('a subaccount two templates match (not searched) leaves the search incomplete: exit 1', async () => {
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      `${POLICY}  stores-too:\n    parent: production\n    match: "store-0*"\n    messaging: [US]\n`,
    );
    const { code, answer } = await json('+442079460123', '--from', '+14155550111');
    expect(answer.owner).toBeNull();
    expect(answer.search.notes.join('\n')).toContain('matched by two fleet templates');
    expect(code).toBe(1);
  });
});

describe('why --from: what reaches the terminal', () => {
  it('a malformed sender or number is echoed without its control characters', async () => {
    const r = await why('+442079460123', '--from', '+1415\u001b[2J\u009b31m');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --from /);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\u009b');
    const n = await why('+44\u001b]0;x\u0007', '--from', '+14155550100');
    expect(n.code).toBe(1);
    expect(n.stderr).not.toContain('\u001b');
    expect(n.stderr).not.toContain('\u0007');
  });

  it("the owner's name (a Twilio friendly name) is escaped in the live-state error on stderr", async () => {
    const state = senderFleet();
    state.accounts[3]!.friendlyName = 'store-0001\u001b[31m';
    await control(emulator, 'PUT', 'state', state);
    await control(emulator, 'POST', 'faults', [
      { type: 'status', status: 403, code: 20003, account: STORE, path: '/v1/Messaging/GeoPermissions' },
    ]);
    const r = await why('+5215512345678', '--from', '+15125550101');
    expect(r.stdout).toContain('store-0001\\u001b[31m');
    expect(r.stderr).toContain('error: live state of store-0001\\u001b[31m not read');
    expect(r.stderr).not.toContain('\u001b');
    expect(r.code).toBe(1);
  });
});
