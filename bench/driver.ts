/**
 * The benchmark's worker, bundled by bench/run.mjs and run in child processes so each measurement has
 * its own peak RSS. `serve STATE_FILE` runs the emulator and prints its URL; `run JSON` does one
 * measured scenario against it and prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import BaseTwilio from 'twilio/lib/base/BaseTwilio.js';
import Voice from 'twilio/lib/rest/Voice.js';
import Accounts from 'twilio/lib/rest/Accounts.js';
import { applyPlan } from '../src/apply/apply.js';
import { mapWithConcurrency, Semaphore } from '../src/live/concurrency.js';
import type { DesiredAccount } from '../src/model/desired.js';
import { startEmulator, parseEmulatorState } from '../src/emulator/index.js';
import { readLiveState } from '../src/live/read.js';
import { discoverSubaccounts } from '../src/live/discover.js';
import { readDriftEvents } from '../src/live/events.js';
import { DEFAULT_LOOKBACK_DAYS } from '../src/model/defaults.js';
import type { Shard } from '../src/model/desired.js';
import { frameDrift } from '../src/plan/drift.js';
import { buildFleetPlan } from '../src/plan/fleet-plan.js';
import { governFleet } from '../src/plan/fleet.js';
import { loadPolicy } from '../src/policy/load.js';
import { createTwilioGateway, twilioOptions, DEFAULT_RETRY_POLICY } from '../src/twilio/index.js';
import { TwilioTransport, type TransportShared } from '../src/twilio/transport.js';
import { agentsFor } from '../src/twilio/agents.js';
import { NO_PROXY_SETTINGS } from '../src/twilio/proxy.js';
import { DEFAULT_LOCATION } from '../src/twilio/regions.js';

export interface Scenario {
  url: string;
  /** drift: the plan, then Monitor Events of the drifted accounts, framed as the drift scan frames it. */
  mode: 'plan' | 'apply' | 'drift';
  approach: 'tool' | 'naive';
  policyFile: string;
  parentSid: string;
  parentToken: string;
  concurrency: number;
  /** `--shard I/N`: one matrix job's part of the fleet. */
  shard?: Shard | null;
}

export interface Measurement {
  wallMs: number;
  maxRssMb: number;
  /** Peak V8 heap in use, sampled every 20 ms: the live data, without the collector's headroom. */
  peakHeapMb: number;
  accounts: number;
  changes: number;
  ok: boolean;
  /** drift: the wall time of reading the drifted accounts' Monitor Events, within `wallMs`. */
  eventsMs?: number;
}

async function serve(stateFile: string): Promise<void> {
  const state = parseEmulatorState(JSON.parse(await readFile(stateFile, 'utf8')));
  const emulator = await startEmulator({ state });
  process.stdout.write(JSON.stringify({ url: emulator.url }) + '\n');
  process.on('SIGTERM', () => void emulator.stop().then(() => process.exit(0)));
}

async function loadDesired(file: string) {
  const { desired, diagnostics } = loadPolicy(await readFile(file, 'utf8'), file, {
    now: new Date(),
    mode: 'plan',
  });
  if (!desired) throw new Error(`bench policy invalid: ${diagnostics.map((d) => d.message).join('; ')}`);
  return desired;
}

/**
 * The tool, as `geo-permissions plan` / `apply` run it: discovery of the parent's subaccounts (the
 * template covers them), 4 requests per account to plan (PageSize=1000), batched writes, read-back.
 */
async function runTool(s: Scenario): Promise<Omit<Measurement, 'wallMs' | 'maxRssMb' | 'peakHeapMb'>> {
  const policy = await loadDesired(s.policyFile);
  const gateway = createTwilioGateway(
    twilioOptions(
      { kind: 'authToken', accountSid: s.parentSid, authToken: s.parentToken },
      { baseUrl: s.url, concurrency: s.concurrency },
    ),
    { mask: () => {} },
  );
  const options = { concurrency: s.concurrency };
  const discovery = await discoverSubaccounts(gateway, policy, options);
  const governed = governFleet(policy, discovery, s.shard ?? null);
  const { desired } = governed;
  const live = await readLiveState(gateway, { accounts: governed.reads }, options);
  const plan = buildFleetPlan(governed, live);
  if (s.mode === 'drift') {
    const lookback = { now: new Date(), lookbackDays: DEFAULT_LOOKBACK_DAYS, concurrency: s.concurrency };
    const eventsStarted = performance.now();
    const events = await readDriftEvents(gateway, desired, plan, lookback);
    const eventsMs = Math.round(performance.now() - eventsStarted);
    const report = frameDrift(plan, events, desired.guards);
    return { accounts: desired.accounts.length, changes: report.items.length, ok: report.complete, eventsMs };
  }
  if (s.mode === 'plan')
    return { accounts: desired.accounts.length, changes: plan.summary.changes, ok: live.errors.length === 0 };
  const result = await applyPlan(desired, plan, gateway, {
    batchSize: 50,
    concurrency: s.concurrency,
    readBack: { attempts: 5, delayMs: 2_000 },
    // As `geo-permissions apply --yes`: the plan's reads of this same run serve the writes.
    reads: live.accounts,
  });
  return { accounts: desired.accounts.length, changes: result.summary.verified, ok: result.ok };
}

/**
 * The same work written the obvious way with the SDK: its default page size (50, so six pages of
 * countries), and one BulkCountryUpdates / one messaging PATCH per changed country. Same transport,
 * retry policy and concurrency cap as the tool, so only the request pattern differs.
 */
async function runNaive(s: Scenario): Promise<Omit<Measurement, 'wallMs' | 'maxRssMb' | 'peakHeapMb'>> {
  const desired = await loadDesired(s.policyFile);
  const shared: TransportShared = {
    semaphore: new Semaphore(s.concurrency),
    baseUrl: s.url,
    location: DEFAULT_LOCATION,
    agents: agentsFor(NO_PROXY_SETTINGS),
    timeoutMs: 30_000,
    retry: DEFAULT_RETRY_POLICY,
    mask: () => {},
    countRequest: () => {},
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  };
  const sdk = (username: string, password: string) => {
    const client = new BaseTwilio.Client(username, password, {
      accountSid: username,
      httpClient: new TwilioTransport(shared, username).asHttpClient(),
      env: {},
    });
    const twilio = client as unknown as ConstructorParameters<typeof Voice>[0];
    return { client, voice: new Voice(twilio), accounts: new Accounts(twilio) };
  };
  const parent = sdk(s.parentSid, s.parentToken);
  const template = desired.fleets?.[0];
  if (!template) throw new Error('bench policy has no fleets: template');
  const members = await listSubaccounts(parent.client);
  const targets: Array<{
    sid: string;
    token: string | null;
    profile: Pick<DesiredAccount, 'voice' | 'messaging'>;
  }> = [
    ...desired.accounts.map((a) => ({ sid: a.sid, token: null, profile: a })),
    ...members.map((m) => ({ sid: m.sid, token: m.auth_token, profile: template })),
  ];
  let changes = 0;
  await mapWithConcurrency(targets, s.concurrency, async ({ sid, token, profile }) => {
    const client = token === null ? parent : sdk(sid, token);
    const voice = await client.voice.v1.dialingPermissions.countries.list();
    const messaging = await client.accounts.v1.messagingGeopermissions.fetch();
    if (token !== null) await client.voice.v1.dialingPermissions.settings().fetch();
    const wantVoice = new Set(profile.voice.inherit ? [] : Object.keys(profile.voice.low_risk));
    const wantMessaging = new Set(Object.keys(profile.messaging));
    const voiceChanges = voice.filter((c) => c.lowRiskNumbersEnabled !== wantVoice.has(c.isoCode));
    const messagingChanges = (
      messaging.permissions as Array<{ country_code: string; enabled: boolean }>
    ).filter((p) => p.enabled !== wantMessaging.has(p.country_code));
    changes += voiceChanges.length + messagingChanges.length;
    if (s.mode === 'plan') return;
    for (const c of voiceChanges)
      await client.voice.v1.dialingPermissions.bulkCountryUpdates.create({
        updateRequest: JSON.stringify([
          {
            iso_code: c.isoCode,
            low_risk_numbers_enabled: String(wantVoice.has(c.isoCode)),
            high_risk_special_numbers_enabled: 'false',
            high_risk_tollfraud_numbers_enabled: 'false',
          },
        ]),
      });
    for (const p of messagingChanges)
      await client.accounts.v1.messagingGeopermissions.update({
        permissions: [
          { country_code: p.country_code, type: 'country', enabled: wantMessaging.has(p.country_code) },
        ],
      });
  });
  return { accounts: targets.length, changes, ok: true };
}

/** The parent's active subaccounts, listed the obvious way: the SDK's default page size (50). */
async function listSubaccounts(client: InstanceType<typeof BaseTwilio.Client>) {
  const found: Array<{ sid: string; auth_token: string }> = [];
  let next: string | null = 'https://api.twilio.com/2010-04-01/Accounts.json?Status=active';
  while (next) {
    const answer = await client.request({ method: 'get', uri: next });
    const page = answer.body as {
      accounts: Array<{ sid: string; auth_token: string; owner_account_sid: string | null }>;
      next_page_uri: string | null;
    };
    found.push(...page.accounts.filter((a) => a.sid !== a.owner_account_sid));
    next = page.next_page_uri ? `https://api.twilio.com${page.next_page_uri}` : null;
  }
  return found;
}

export interface EmulatorLoad {
  url: string;
  parentSid: string;
  parentToken: string;
  concurrency: number;
}

/**
 * The emulator alone: no injected latency and no client work beyond plain keep-alive fetches. Lists
 * the parent's subaccounts, then for every one the 4 requests a plan makes (its account through the
 * parent, the voice countries in one page, voice settings, messaging), `concurrency` in flight.
 */
async function load(l: EmulatorLoad): Promise<void> {
  const auth = (user: string, password: string) => ({
    Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'),
  });
  let requests = 0;
  const get = async (pathAndQuery: string, headers: Record<string, string>) => {
    requests++;
    const response = await fetch(l.url + pathAndQuery, { headers });
    if (!response.ok) throw new Error(`emulator GET ${pathAndQuery}: HTTP ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const parent = auth(l.parentSid, l.parentToken);
  const started = performance.now();
  const subs: Array<{ sid: string; auth_token: string }> = [];
  let next: string | null = '/2010-04-01/Accounts.json?Status=active&PageSize=1000';
  while (next) {
    const page = (await get(next, parent)) as {
      accounts: Array<{ sid: string; auth_token: string; owner_account_sid: string }>;
      next_page_uri: string | null;
    };
    subs.push(...page.accounts.filter((a) => a.sid !== a.owner_account_sid));
    next = page.next_page_uri;
  }
  await mapWithConcurrency(subs, l.concurrency, async (sub) => {
    const own = auth(sub.sid, sub.auth_token);
    await get(`/2010-04-01/Accounts/${sub.sid}.json`, parent);
    await get('/v1/DialingPermissions/Countries?PageSize=1000', own);
    await get('/v1/Settings', own);
    await get('/v1/Messaging/GeoPermissions', own);
  });
  const wallMs = Math.round(performance.now() - started);
  process.stdout.write(JSON.stringify({ wallMs, requests, accounts: subs.length }) + '\n');
}

async function run(s: Scenario): Promise<void> {
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
  const started = performance.now();
  const result = s.approach === 'tool' ? await runTool(s) : await runNaive(s);
  clearInterval(sampler);
  const measurement: Measurement = {
    ...result,
    wallMs: Math.round(performance.now() - started),
    peakHeapMb: Math.round(peakHeap / 2 ** 20),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(measurement) + '\n');
}

const [command, arg] = process.argv.slice(2);
if (command === 'serve' && arg) await serve(arg);
else if (command === 'run' && arg) await run(JSON.parse(arg) as Scenario);
else if (command === 'load' && arg) await load(JSON.parse(arg) as EmulatorLoad);
else {
  process.stderr.write('usage: driver serve STATE_FILE | driver run SCENARIO_JSON | driver load LOAD_JSON\n');
  process.exit(1);
}
