import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCliSettings, REPORT_FLAGS } from '../../src/cli/args.js';
import type { CliIO } from '../../src/cli/io.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { PRODUCTION_TOKEN, SID, runCliWithEnv, startCliFleet } from '../support/cli-fleet.js';
import { startRecordingProxy, type RecordingProxy } from '../support/connect-proxy.js';

let emulator: RunningEmulator;
let dir: string;
let proxy: RecordingProxy;
beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
  proxy = await startRecordingProxy();
});
afterEach(async () => {
  await proxy.stop();
  await emulator.stop();
});

const CREDENTIALS = { TWILIO_ACCOUNT_SID: SID.production, TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN };

describe('plan through a proxy, in a region (the CLI reads the environment once)', () => {
  it('TWILIO_REGION=ie1 and TWILIO_EDGE=dublin: the proxy is asked for api.dublin.ie1.twilio.com', async () => {
    const run = await runCliWithEnv(
      { ...CREDENTIALS, TWILIO_REGION: 'ie1', TWILIO_EDGE: 'dublin', HTTPS_PROXY: proxy.url },
      dir,
      ['plan', '--concurrency', '1'],
    );
    expect(run.code).toBe(1);
    expect(new Set(proxy.tunnels())).toEqual(new Set(['api.dublin.ie1.twilio.com:443']));
    expect(run.stdout + run.stderr).toContain('the proxy answered 403 Forbidden');
  });

  it('the flags win over the variables', async () => {
    await runCliWithEnv(
      { ...CREDENTIALS, TWILIO_REGION: 'ie1', TWILIO_EDGE: 'dublin', https_proxy: proxy.url },
      dir,
      ['plan', '--twilio-region', 'au1', '--twilio-edge', 'sydney', '--concurrency', '1'],
    );
    expect(new Set(proxy.tunnels())).toEqual(new Set(['api.sydney.au1.twilio.com:443']));
  });

  it('an emulator URL goes through HTTP_PROXY, and plan succeeds through it; NO_PROXY bypasses it', async () => {
    const env = { ...CREDENTIALS, TWILIO_API_URL: emulator.url, HTTP_PROXY: proxy.url };
    const proxied = await runCliWithEnv(env, dir, ['plan']);
    expect(proxied.stderr).toBe('');
    expect(proxied.code).toBe(0);
    expect(proxy.records.length).toBeGreaterThan(3);
    expect(proxy.records.every((r) => r.method === 'GET' && r.target.startsWith(`${emulator.url}/`))).toBe(
      true,
    );

    const count = proxy.records.length;
    const bypassed = await runCliWithEnv({ ...env, NO_PROXY: '127.0.0.1' }, dir, ['plan']);
    expect(bypassed.code).toBe(0);
    expect(proxy.records).toHaveLength(count);
  });
});

describe('settings', () => {
  const io = (env: CliIO['env']): CliIO => ({
    stdout: { write: () => true },
    stderr: { write: () => true },
    env,
    cwd: '/',
  });
  const read = (args: string[], env: CliIO['env'] = {}) =>
    readCliSettings('plan', args, io(env), REPORT_FLAGS);

  it('reads --twilio-region / --twilio-edge, else the variables, and refuses a region without its edge', () => {
    expect(read([])).toMatchObject({ location: { region: null, edge: null } });
    expect(read([], { TWILIO_REGION: 'au1', TWILIO_EDGE: 'sydney' })).toMatchObject({
      location: { region: 'au1', edge: 'sydney' },
    });
    expect(
      read(['--twilio-region', 'ie1', '--twilio-edge', 'dublin'], { TWILIO_REGION: 'au1' }),
    ).toMatchObject({
      location: { region: 'ie1', edge: 'dublin' },
    });
    expect(() => read(['--twilio-region', 'ie1'])).toThrow(
      '--twilio-region is ie1 but --twilio-edge (or TWILIO_EDGE) is not set',
    );
    expect(() => read([], { TWILIO_REGION: 'ie1' })).toThrow(
      'TWILIO_REGION is ie1 but --twilio-edge (or TWILIO_EDGE) is not set',
    );
    expect(() => read(['--twilio-edge', ''])).toThrow('plan: --twilio-edge is empty');
  });

  it('reads the proxy variables, and names a bad one without its value', () => {
    expect(read([], { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.internal' })).toMatchObject({
      proxy: { https: 'http://proxy:3128', http: null, noProxy: '.internal' },
    });
    expect(() => read([], { HTTP_PROXY: 'proxy:3128' })).toThrow(
      /^HTTP_PROXY must be an http:\/\/ or https:\/\/ proxy URL/,
    );
  });
});
