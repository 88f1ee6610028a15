import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { TwilioError } from '../../src/twilio/index.js';
import { NO_PROXY_SETTINGS, proxySecrets, readProxyEnv } from '../../src/twilio/proxy.js';
import { readLocation, regionHint, type TwilioLocation } from '../../src/twilio/regions.js';
import { startRecordingProxy, TUNNEL_REFUSAL, type RecordingProxy } from '../support/connect-proxy.js';
import { DEMO, gatewayOn, startDemoEmulator } from '../support/emulator-helpers.js';

const parent = { sid: DEMO.production, parentSid: null };
const IE1 = { region: 'ie1', edge: 'dublin' };

let emulator: RunningEmulator;
let proxy: RecordingProxy;
beforeEach(async () => {
  emulator = await startDemoEmulator();
  proxy = await startRecordingProxy();
});
afterEach(async () => {
  await proxy.stop();
  await emulator.stop();
});

async function caught(promise: Promise<unknown>): Promise<TwilioError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TwilioError);
  return err as TwilioError;
}

/** A gateway on the real Twilio hosts (no base URL), through the recording proxy. */
function realTwilioThroughProxy(location: TwilioLocation = IE1, noProxy: string | null = null) {
  return gatewayOn(emulator, undefined, {
    baseUrl: null,
    location,
    proxy: { https: proxy.url, http: null, noProxy },
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1, totalBudgetMs: 1_000 },
  });
}

describe('regions and edges, through a local CONNECT proxy', () => {
  it('sends every product to {product}.{edge}.{region}.twilio.com, as twilio-node builds it', async () => {
    const { gateway } = realTwilioThroughProxy();
    const client = await gateway.forAccount(parent);
    const identity = await caught(client.fetchIdentity());
    await caught(client.listVoiceCountries());
    await caught(client.fetchMessaging());
    await caught(client.listGeoEvents(new Date('2026-06-01T00:00:00Z')));
    expect(proxy.tunnels()).toEqual([
      'api.dublin.ie1.twilio.com:443',
      'voice.dublin.ie1.twilio.com:443',
      'accounts.dublin.ie1.twilio.com:443',
      'monitor.dublin.ie1.twilio.com:443',
    ]);
    // The proxy's refusal is named; the proxy URL is not repeated.
    expect(identity.kind).toBe('unavailable');
    expect(identity.message).toContain(
      `ERR_PROXY_TUNNEL: the proxy answered ${TUNNEL_REFUSAL} to the tunnel to api.dublin.ie1.twilio.com`,
    );
  });

  it('an edge alone goes to US1 through that edge; neither keeps the legacy hosts', async () => {
    await caught(
      (
        await realTwilioThroughProxy({ region: null, edge: 'ashburn' }).gateway.forAccount(parent)
      ).fetchMessaging(),
    );
    await caught(
      (
        await realTwilioThroughProxy({ region: null, edge: null }).gateway.forAccount(parent)
      ).fetchMessaging(),
    );
    expect(proxy.tunnels()).toEqual(['accounts.ashburn.us1.twilio.com:443', 'accounts.twilio.com:443']);
  });

  it('the emulator URL wins over the region: its requests never name a regional host', async () => {
    const { gateway } = gatewayOn(emulator, undefined, { location: IE1 });
    const client = await gateway.forAccount(parent);
    expect((await client.fetchIdentity()).sid).toBe(DEMO.production);
  });

  it('refuses a region other than us1 without its edge, and names that are not one DNS label', () => {
    const names = { region: 'TWILIO_REGION', edge: 'TWILIO_EDGE' };
    expect(() => readLocation('ie1', null, names)).toThrow(
      'TWILIO_REGION is ie1 but TWILIO_EDGE is not set: Twilio no longer serves {product}.{region}.twilio.com outside US1, so give the edge too (dublin for ie1)',
    );
    expect(() => readLocation('au1', 'syd.ney', names)).toThrow('TWILIO_EDGE must be a Twilio edge name');
    expect(() => readLocation('ie1/x', 'dublin', names)).toThrow(
      'TWILIO_REGION must be a Twilio region name',
    );
    expect(readLocation(' IE1 ', 'Dublin', names)).toEqual(IE1);
    expect(readLocation('us1', '', names)).toEqual({ region: 'us1', edge: null });
    expect(readLocation(undefined, undefined, names)).toEqual({ region: null, edge: null });
  });

  it('a 401 in another region says credentials are regional; nothing is added in US1', () => {
    expect(regionHint(401, IE1)).toContain(
      'the requests went to region ie1 through edge dublin: an auth token or API key is valid only in the region it was made in, so these must be IE1 credentials',
    );
    expect(regionHint(404, IE1)).toContain('whether this API is served in IE1 is not documented');
    expect(regionHint(403, IE1)).toBeNull();
    expect(regionHint(401, { region: null, edge: null })).toBeNull();
    expect(regionHint(401, { region: 'us1', edge: 'ashburn' })).toBeNull();
  });
});

describe('proxies', () => {
  it('carries the emulator requests through HTTP_PROXY, and NO_PROXY bypasses it', async () => {
    const proxied = gatewayOn(emulator, undefined, { proxy: readProxyEnv({ HTTP_PROXY: proxy.url }) });
    await (await proxied.gateway.forAccount(parent)).fetchMessaging();
    expect(proxy.records.map((r) => `${r.method} ${r.target}`)).toEqual([
      `GET ${emulator.url}/v1/Messaging/GeoPermissions`,
    ]);

    const bypassed = gatewayOn(emulator, undefined, {
      proxy: readProxyEnv({ http_proxy: proxy.url, no_proxy: 'localhost,127.0.0.1' }),
    });
    await (await bypassed.gateway.forAccount(parent)).fetchMessaging();
    expect(proxy.records).toHaveLength(1);
  });

  it('sends the proxy credentials, and masks them', async () => {
    const withAuth = proxy.url.replace('http://', 'http://user:s%40cret@');
    const { gateway, masked } = gatewayOn(emulator, undefined, {
      proxy: readProxyEnv({ HTTP_PROXY: withAuth }),
    });
    await (await gateway.forAccount(parent)).fetchMessaging();
    expect(proxy.records[0]?.proxyAuthorization).toBe(true);
    expect(masked).toEqual(
      expect.arrayContaining(['s%40cret', 's@cret', Buffer.from('user:s@cret').toString('base64')]),
    );
  });

  it('reads the variables as curl and node do: lower case first, HTTPS falls back to HTTP_PROXY', () => {
    expect(readProxyEnv({})).toEqual(NO_PROXY_SETTINGS);
    expect(
      readProxyEnv({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', NO_PROXY: 'x', no_proxy: 'y' }),
    ).toEqual({
      https: 'http://b:2',
      http: null,
      noProxy: 'y',
    });
    // twilio-node 6 sends its HTTPS requests through HTTP_PROXY, its only proxy variable.
    expect(readProxyEnv({ HTTP_PROXY: 'http://a:1', https_proxy: ' ' })).toEqual({
      https: 'http://a:1',
      http: 'http://a:1',
      noProxy: null,
    });
    expect(() => readProxyEnv({ HTTPS_PROXY: 'user:pw@proxy:3128' })).toThrow(
      'HTTPS_PROXY must be an http:// or https:// proxy URL such as http://proxy.example.com:3128',
    );
    expect(proxySecrets(readProxyEnv({ HTTPS_PROXY: 'http://proxy:3128' }))).toEqual([]);
    // A token as the user part alone is masked too.
    expect(proxySecrets(readProxyEnv({ HTTPS_PROXY: 'http://s3cr3t-token@proxy:3128' }))).toContain(
      's3cr3t-token',
    );
  });
});
