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
import { buildPlan } from '../src/plan/build.js';
import { loadPolicy } from '../src/policy/load.js';
import { createTwilioGateway, twilioOptions, DEFAULT_RETRY_POLICY } from '../src/twilio/index.js';
import { TwilioTransport, type TransportShared } from '../src/twilio/transport.js';
import { agentsFor } from '../src/twilio/agents.js';
import { NO_PROXY_SETTINGS } from '../src/twilio/proxy.js';
import { DEFAULT_LOCATION } from '../src/twilio/regions.js';

export interface Scenario {
  url: string;
  mode: 'plan' | 'apply';
  approach: 'tool' | 'naive';
  policyFile: string;
  parentSid: string;
  parentToken: string;
  concurrency: number;
}

export interface Measurement {
  wallMs: number;
  maxRssMb: number;
  /** Peak V8 heap in use, sampled every 20 ms: the live data, without the collector's headroom. */
  peakHeapMb: number;
  accounts: number;
  changes: number;
  ok: boolean;
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

/** The tool: 4 requests per account to plan (PageSize=1000), batched writes, read-back. */
async function runTool(s: Scenario): Promise<Omit<Measurement, 'wallMs' | 'maxRssMb' | 'peakHeapMb'>> {
  const desired = await loadDesired(s.policyFile);
  const gateway = createTwilioGateway(
    twilioOptions(
      { kind: 'authToken', accountSid: s.parentSid, authToken: s.parentToken },
      { baseUrl: s.url, concurrency: s.concurrency },
    ),
    { mask: () => {} },
  );
  const live = await readLiveState(gateway, desired, { concurrency: s.concurrency });
  const plan = buildPlan(desired, live);
  if (s.mode === 'plan')
    return { accounts: desired.accounts.length, changes: plan.summary.changes, ok: live.errors.length === 0 };
  const result = await applyPlan(desired, plan, gateway, {
    batchSize: 50,
    concurrency: s.concurrency,
    readBack: { attempts: 5, delayMs: 2_000 },
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
  let changes = 0;
  await mapWithConcurrency(desired.accounts, s.concurrency, async (account: DesiredAccount) => {
    let client = parent;
    if (account.sid !== s.parentSid) {
      const answer = await parent.client.request({
        method: 'get',
        uri: `https://api.twilio.com/2010-04-01/Accounts/${account.sid}.json`,
      });
      client = sdk(account.sid, (answer.body as { auth_token: string }).auth_token);
    }
    const voice = await client.voice.v1.dialingPermissions.countries.list();
    const messaging = await client.accounts.v1.messagingGeopermissions.fetch();
    if (account.parentSid) await client.voice.v1.dialingPermissions.settings().fetch();
    const wantVoice = new Set(account.voice.inherit ? [] : Object.keys(account.voice.low_risk));
    const wantMessaging = new Set(Object.keys(account.messaging));
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
  return { accounts: desired.accounts.length, changes, ok: true };
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
else {
  process.stderr.write('usage: driver serve STATE_FILE | driver run SCENARIO_JSON\n');
  process.exit(1);
}
