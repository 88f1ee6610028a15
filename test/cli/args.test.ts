import { describe, expect, it } from 'vitest';
import { readCliSettings } from '../../src/cli/args.js';
import { readArgs, wholeNumber } from '../../src/cli/flags.js';
import type { CliIO } from '../../src/cli/io.js';
import { UsageError } from '../../src/cli/io.js';

const io = (env: CliIO['env'] = {}): CliIO => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env,
  cwd: '/',
});
const SID = 'AC0123456789abcdef0123456789abcdef';

describe('readArgs, the one argument reader', () => {
  it('answers the flags given, or help', () => {
    expect(readArgs('validate', ['--policy', 'p.yml'], ['policy'])).toEqual({
      values: { policy: 'p.yml' },
      positionals: [],
    });
    expect(readArgs('validate', ['--policy=p.yml'], ['policy'])).toMatchObject({
      values: { policy: 'p.yml' },
    });
    expect(readArgs('emulator', ['-h'], ['port'])).toBe('help');
    expect(readArgs('why', ['+442079460123'], ['account'], 1)).toMatchObject({
      positionals: ['+442079460123'],
    });
  });

  it('names an unknown flag, a flag of another command and an extra argument, with the way to help', () => {
    expect(() => readArgs('validate', ['--polcy', 'x'], ['policy'])).toThrow(
      'validate: unexpected argument "--polcy": Unknown option \'--polcy\' (did you mean "--policy"?); see `geo-permissions validate --help`',
    );
    expect(() => readArgs('emulator', ['--policy', 'x'], ['port'])).toThrow(
      'emulator: --policy is not an option of this command; see `geo-permissions emulator --help`',
    );
    expect(() => readArgs('plan', ['x'], ['policy'])).toThrow(
      'plan: unexpected argument "x"; see `geo-permissions plan --help`',
    );
    expect(() => readArgs('why', ['+44', '+33'], ['policy'], 1)).toThrow('why: unexpected argument "+33"');
    expect(() => readArgs('validate', ['--policy'], ['policy'])).toThrow(
      "validate: Option '--policy <value>' argument missing",
    );
  });

  it('refuses an empty value for any flag: an unset shell variable is not the flag left out', () => {
    expect(() => readArgs('validate', ['--policy', ''], ['policy'])).toThrow('validate: --policy is empty');
    expect(() => readArgs('emulator', ['--state', ' '], ['state'])).toThrow('emulator: --state is empty');
    expect(() => readArgs('export', ['--account', SID, '--account', ''], ['account'])).toThrow(
      'export: --account is empty',
    );
  });

  it('takes no inherited property for a flag', () => {
    expect(() => readArgs('plan', ['--constructor'], [])).toThrow(
      'plan: unexpected argument "--constructor": Unknown option \'--constructor\'',
    );
  });

  it('throws UsageError, so main prints it without a stack', () => {
    expect(() => readArgs('plan', ['--bogus'], [])).toThrow(UsageError);
  });
});

describe('wholeNumber', () => {
  it('reads whole numbers in range and says the range otherwise', () => {
    expect(wholeNumber('port', undefined, 0, 65535)).toBeNull();
    expect(wholeNumber('port', '0', 0, 65535)).toBe(0);
    expect(() => wholeNumber('port', '65536', 0, 65535)).toThrow(
      '--port must be a whole number from 0 to 65535, got "65536"',
    );
    expect(() => wholeNumber('concurrency', '1.5', 1)).toThrow(
      '--concurrency must be a whole number >= 1, got "1.5"',
    );
  });
});

describe('readCliSettings', () => {
  it('reads flags and environment into settings', () => {
    const s = readCliSettings(
      'plan',
      ['--format', 'json', '--shard', '2/3'],
      io({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_API_URL: ' ' }),
      ['format', 'shard'],
    );
    expect(s).toMatchObject({
      policy: 'geo-permissions.yml',
      format: 'json',
      shard: { index: 2, count: 3 },
      twilioUrl: null,
      credentials: { kind: 'authToken', accountSid: SID, authToken: 't' },
      perAccount: {},
      concurrency: 8,
      lookbackDays: 30,
    });
  });

  it('reads --shard 1/1 as the whole fleet, the same as no --shard', () => {
    expect(readCliSettings('plan', ['--shard', '1/1'], io(), ['shard'])).toMatchObject({ shard: null });
  });

  it('takes --account as SIDs for export and as one name for why', () => {
    expect(readCliSettings('export', ['--account', SID], io(), ['account'])).toMatchObject({
      accountSids: [SID],
    });
    expect(() => readCliSettings('export', ['--account', 'prod'], io(), ['account'])).toThrow(
      '--account must be an account SID (AC…), got "prod"',
    );
    expect(readCliSettings('why', ['--account', 'prod', '+44'], io(), ['account'], 1)).toMatchObject({
      account: 'prod',
      accountSids: [],
    });
    expect(() => readCliSettings('why', ['--account', 'a', '--account', 'b'], io(), ['account'], 1)).toThrow(
      'why: give --account once',
    );
  });

  it('never quotes TWILIO_CREDENTIALS, and ignores it with --demo', () => {
    expect(() => readCliSettings('plan', [], io({ TWILIO_CREDENTIALS: '{"secret' }), [])).toThrow(
      'TWILIO_CREDENTIALS: the per-account Twilio credentials are not valid JSON',
    );
    expect(
      readCliSettings('plan', ['--demo'], io({ TWILIO_CREDENTIALS: '{"secret' }), ['demo']),
    ).toMatchObject({
      demo: true,
      policy: null,
      perAccount: {},
      credentials: null,
    });
  });
});
