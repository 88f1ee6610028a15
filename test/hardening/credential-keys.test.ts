import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { parsePerAccountCredentials } from '../../src/twilio/options.js';
import { readActionSettings, secretValues } from '../../src/action/settings.js';
import { runAction } from '../support/action-harness.js';
import { runCliWithEnv } from '../support/cli-fleet.js';
import { fleetState, PARENT_TOKEN, POLICY, SIDS } from '../support/hardening.js';

/**
 * Issue 10, item 11a: a secret put where a key of the per-account credentials JSON belongs (a token
 * pasted as the key, or as a field name) must never be echoed by an error, and the action masks every
 * string of that JSON before anything runs. The only place a secret may appear is an `::add-mask::` line.
 */
const KEY_TOKEN = '0123456789abcdef0123456789abcdefTOKEN';
const FIELD_TOKEN = 'fieldtok7c0e3b6d9f2a5c8e1b4d7f0a3c6e';
const VALUE_TOKEN = 'valuetok5e8b1d4f7a0c3e6b9d2f5a8c1e4b';
const secrets = [KEY_TOKEN, FIELD_TOKEN, VALUE_TOKEN];

/** The token pasted as the second key. */
const TOKEN_AS_KEY = JSON.stringify({
  [SIDS.supportEu]: { authToken: VALUE_TOKEN },
  [KEY_TOKEN]: { authToken: VALUE_TOKEN },
});
/** The token pasted as a field name of a valid SID's entry. */
const TOKEN_AS_FIELD = JSON.stringify({ [SIDS.supportEu]: { [FIELD_TOKEN]: VALUE_TOKEN } });

const unmasked = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function expectNoSecret(where: string, text: string): void {
  for (const secret of secrets) expect(unmasked(text).includes(secret), `${secret} in ${where}`).toBe(false);
}

function parseError(json: string): string {
  try {
    parsePerAccountCredentials(json);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the credentials to be rejected');
}

describe('parsePerAccountCredentials', () => {
  it('names a key that is not an account SID by its position, never by its text', () => {
    const message = parseError(TOKEN_AS_KEY);
    expectNoSecret('the error', message);
    expect(message).toBe(
      'the per-account Twilio credentials are invalid: key #2 is not an account SID (AC followed by 32 hex digits)',
    );
  });

  it('never echoes an unknown field name, only the validated SID it sits under', () => {
    const message = parseError(TOKEN_AS_FIELD);
    expectNoSecret('the error', message);
    expect(message).toContain(SIDS.supportEu);
    expect(message).toContain('{"authToken": "…"} or {"apiKey": "SK…", "apiSecret": "…"}');
  });

  it.each([
    ['a value that is not an object', JSON.stringify({ [SIDS.supportEu]: VALUE_TOKEN })],
    ['a bad API key SID', JSON.stringify({ [SIDS.supportEu]: { apiKey: VALUE_TOKEN, apiSecret: 'x' } })],
    ['an array at the top', JSON.stringify([VALUE_TOKEN])],
    ['a string at the top', JSON.stringify(KEY_TOKEN)],
    ['invalid JSON', `{"${KEY_TOKEN}": `],
  ])('rejects %s without echoing it', (_, json) => {
    expectNoSecret('the error', parseError(json));
  });

  it('still accepts both forms', () => {
    const key = { apiKey: SIDS.supportEuKey, apiSecret: VALUE_TOKEN };
    expect(
      parsePerAccountCredentials(
        JSON.stringify({ [SIDS.supportEu]: key, [SIDS.sandbox]: { authToken: 't' } }),
      ),
    ).toEqual({ [SIDS.supportEu]: key, [SIDS.sandbox]: { authToken: 't' } });
  });
});

describe('secretValues', () => {
  const settingsWith = (json: string) =>
    readActionSettings(
      (name) =>
        ({
          'twilio-account-sid': SIDS.production,
          'twilio-auth-token': PARENT_TOKEN,
          'twilio-credentials': json,
        })[name] ?? '',
    );

  it('covers every string of the per-account JSON and every key that is not a SID', () => {
    const masked = secretValues(settingsWith(TOKEN_AS_KEY));
    expect(masked).toEqual(expect.arrayContaining([PARENT_TOKEN, VALUE_TOKEN, KEY_TOKEN]));
    expect(secretValues(settingsWith(TOKEN_AS_FIELD))).toEqual(
      expect.arrayContaining([FIELD_TOKEN, VALUE_TOKEN]),
    );
    // SIDs and the field names are not secrets: masking them would blank every report that names an account.
    expect(masked).not.toContain(SIDS.supportEu);
    expect(masked).not.toContain('authToken');
  });

  it('covers the strings of JSON that does not parse', () => {
    expect(secretValues(settingsWith(`{"${SIDS.supportEu}": {"authToken": "${VALUE_TOKEN}"}`))).toContain(
      VALUE_TOKEN,
    );
  });
});

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  const state = fleetState();
  for (const a of state.accounts) if (a.sid === SIDS.production) a.authToken = PARENT_TOKEN;
  emulator = await startEmulator({ state });
  dir = await mkdtemp(path.join(tmpdir(), 'geo-credential-keys-'));
  await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
});
afterAll(async () => {
  await emulator.stop();
});

describe('the CLI', () => {
  it.each([
    ['a token as a key', TOKEN_AS_KEY, 'key #2 is not an account SID'],
    ['a token as a field name', TOKEN_AS_FIELD, SIDS.supportEu],
  ])('rejects %s in TWILIO_CREDENTIALS without echoing it', async (_, json, expected) => {
    const run = await runCliWithEnv(
      {
        TWILIO_ACCOUNT_SID: SIDS.production,
        TWILIO_AUTH_TOKEN: PARENT_TOKEN,
        TWILIO_API_URL: emulator.url,
        TWILIO_CREDENTIALS: json,
      },
      dir,
      ['plan'],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`TWILIO_CREDENTIALS: the per-account Twilio credentials are invalid`);
    expect(run.stderr).toContain(expected);
    expectNoSecret('stdout', run.stdout);
    expectNoSecret('stderr', run.stderr);
  });
});

describe('the action (dist/index.js)', () => {
  it.each([
    ['a token as a key', TOKEN_AS_KEY, [KEY_TOKEN, VALUE_TOKEN], 'key #2 is not an account SID'],
    ['a token as a field name', TOKEN_AS_FIELD, [FIELD_TOKEN, VALUE_TOKEN], SIDS.supportEu],
  ])(
    'rejects %s in twilio-credentials, masks it first, and never echoes it',
    async (_, json, masked, expected) => {
      const run = await runAction({
        cwd: dir,
        eventName: 'schedule',
        inputs: {
          mode: 'plan',
          'twilio-account-sid': SIDS.production,
          'twilio-auth-token': PARENT_TOKEN,
          'twilio-credentials': json,
          'twilio-api-url': emulator.url,
        },
      });
      expect(run.code).not.toBe(0);
      expect(run.summary).toContain(expected);
      for (const [where, text] of Object.entries({
        stdout: run.stdout,
        stderr: run.stderr,
        summary: run.summary,
        outputs: JSON.stringify(run.outputs),
      }))
        expectNoSecret(where, text);
      // Masked before the first line of the run's own output.
      const lines = run.stdout.split('\n');
      const firstOwnLine = lines.findIndex((l) => !l.startsWith('::add-mask::'));
      for (const secret of masked) {
        const maskLine = lines.indexOf(`::add-mask::${secret}`);
        expect(maskLine, `${secret} masked`).toBeGreaterThanOrEqual(0);
        expect(maskLine).toBeLessThan(firstOwnLine);
      }
    },
  );
});
