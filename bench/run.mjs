// `npm run bench`: bundles bench/driver.ts, starts the emulator in its own process with 50 ms of
// injected latency per Twilio request, measures plan and apply for fleets of 1, 10, 100 and 1,000
// accounts (the tool, and the naive SDK way beside it), times the built CLI's validate on large
// malformed policies (bench/validate.mjs), measures the 40-account review comment before and after the
// review-first reports (bench/comments.mjs), and writes bench/RESULTS.md from the numbers.
// BENCH_MODES picks the sections (default plan,apply,validate,comments; `shards` adds the 10,000-account
// drift scan as a matrix of N jobs, bench/shards.mjs); a section not run keeps its last results in
// bench/RESULTS.md.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { VALIDATE_HEADING, runValidateBench } from './validate.mjs';
import { COMMENTS_HEADING, runCommentsBench } from './comments.mjs';
import { SHARDS_HEADING, SHARD_COUNTS, SHARD_DRIFT_EVERY, SHARD_FLEET, renderShards } from './shards.mjs';

const root = path.resolve(import.meta.dirname, '..');
const resultsFile = path.join(root, 'bench/RESULTS.md');
const MODES = (process.env.BENCH_MODES ?? 'plan,apply,validate,comments').split(',');
const unknownModes = MODES.filter((m) => !['plan', 'apply', 'validate', 'comments', 'shards'].includes(m));
if (unknownModes.length)
  throw new Error(
    `BENCH_MODES: unknown ${unknownModes.join(', ')} (plan, apply, validate, comments, shards)`,
  );
const FLEET_MODES = MODES.filter((m) => m === 'plan' || m === 'apply');
const SIZES = (process.env.BENCH_SIZES ?? '1,10,100,1000').split(',').map(Number);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** The naive approach on the largest fleet runs on this many accounts and is scaled up linearly. */
const NAIVE_SAMPLE = Number(process.env.BENCH_NAIVE_SAMPLE ?? 200);
/** Optional V8 old-space cap (MB) for the measured process, to tell live memory from GC headroom. */
const HEAP_MB = Number(process.env.BENCH_HEAP_MB ?? 0);
const PARENT = { sid: 'AC' + 'b'.repeat(32), token: 'bench-parent-token' };
const subSid = (i) => 'AC' + i.toString(16).padStart(32, '0');

let tmp;
let driver;
let url;

/** Bundles the worker and starts the emulator; answers the emulator's process. */
async function startFleetBench() {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'geo-bench-'));
  driver = path.join(tmp, 'driver.mjs');
  await build({
    entryPoints: [path.join(root, 'bench/driver.ts')],
    outfile: driver,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  });
  const emptyState = path.join(tmp, 'empty.json');
  await writeFile(emptyState, JSON.stringify({ accounts: [] }));
  const emulator = runNode(['serve', emptyState]);
  url = await new Promise((resolve, reject) => {
    createInterface({ input: emulator.stdout }).once('line', (line) => resolve(JSON.parse(line).url));
    emulator.once('exit', (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  return emulator;
}

/**
 * A parent and `n - 1` subaccounts, governed by one `fleets:` template (a policy of 10 lines). Each
 * account allows US, CA, GB, IE (voice low-risk and messaging); live, each has US, CA and MX on and
 * GB, IE off: five cells to change per account. With `driftEvery`, only one account in that many
 * does; the others match the policy.
 */
function fleet(n, driftEvery = 1) {
  const on = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };
  const drifted = {
    voice: { inheritance: false, countries: { US: on, CA: on, MX: on } },
    messaging: { US: true, CA: true },
  };
  const matching = {
    voice: { inheritance: false, countries: { US: on, GB: on, IE: on } },
    messaging: { US: true, CA: true, GB: true, IE: true },
  };
  const live = (sid, token, owner, i) => ({
    sid,
    authToken: token,
    friendlyName: sid === PARENT.sid ? 'parent' : `sub-${sid.slice(-6)}`,
    ownerAccountSid: owner,
    ...(i % driftEvery === 0 ? drifted : matching),
  });
  const accounts = [live(PARENT.sid, PARENT.token, null, 0)];
  for (let i = 1; i < n; i++) accounts.push(live(subSid(i), `bench-sub-token-${i}`, PARENT.sid, i));
  const policy = [
    'version: 1',
    'defaults:',
    '  voice: {low_risk: [US, CA, GB, IE], high_risk_special: [], high_risk_tollfraud: []}',
    '  messaging: [US, CA, GB, IE]',
    'accounts:',
    `  parent: {sid: ${PARENT.sid}}`,
    'fleets:',
    '  customers:',
    '    parent: parent',
    '    match: "sub-*"',
  ];
  return { state: { accounts, events: [] }, policy: policy.join('\n') + '\n' };
}

function runNode(args) {
  const flags = args[0] === 'run' && HEAP_MB ? [`--max-old-space-size=${HEAP_MB}`] : [];
  const child = spawn(process.execPath, [...flags, driver, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return child;
}

async function control(url, method, what, body) {
  const response = await fetch(`${url}/__emulator/${what}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${method} ${what}: HTTP ${response.status}`);
  return response.json();
}

async function measure(mode, approach, n, { shard = null, driftEvery = 1 } = {}) {
  const { state, policy } = fleet(n, driftEvery);
  const policyFile = path.join(tmp, `policy-${n}.yml`);
  await writeFile(policyFile, policy);
  await control(url, 'PUT', 'state', state);
  await control(url, 'DELETE', 'faults');
  await control(url, 'POST', 'faults', { type: 'latency', ms: LATENCY_MS });
  await control(url, 'DELETE', 'requests');
  const scenario = {
    url,
    mode,
    approach,
    policyFile,
    parentSid: PARENT.sid,
    parentToken: PARENT.token,
    concurrency: CONCURRENCY,
    shard,
  };
  const child = runNode(['run', JSON.stringify(scenario)]);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${approach} ${mode} of ${n} accounts failed (exit ${code})`);
  const result = JSON.parse(out.trim().split('\n').at(-1));
  const log = await control(url, 'GET', 'requests');
  const requests = log.requests.length;
  const writes = log.requests.filter((r) => r.kind === 'write').length;
  const failed = log.requests.filter((r) => r.status >= 400 || r.status === 0).length;
  const discovery = log.requests.filter((r) => r.path === '/2010-04-01/Accounts.json').length;
  const monitor = log.requests.filter((r) => r.path === '/v1/Events').length;
  return { ...result, requests, writes, failed, discovery, monitor };
}

/** The emulator's CPU seconds so far and its peak RSS (MB), from /proc (Linux). */
async function processStats(pid) {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const hwmKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // utime and stime (fields 14 and 15 of the stat line; 12 and 13 after the command name), in ticks.
  return { cpuS: (Number(stat[11]) + Number(stat[12])) / 100, rssMb: Math.round(hwmKb / 1024) };
}

/**
 * The emulator alone serving the largest fleet: no injected latency, a plain client doing the plan's
 * 4 requests per account at the same concurrency. Its rate, beside the rate the bench asks of it
 * (concurrency ÷ latency), shows whether it could be the bottleneck.
 */
async function measureEmulator(n, emulator) {
  const { state } = fleet(n);
  await control(url, 'PUT', 'state', state);
  await control(url, 'DELETE', 'faults');
  await control(url, 'DELETE', 'requests');
  const before = await processStats(emulator.pid);
  const child = runNode([
    'load',
    JSON.stringify({ url, parentSid: PARENT.sid, parentToken: PARENT.token, concurrency: CONCURRENCY }),
  ]);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the emulator load of ${n} accounts failed (exit ${code})`);
  const result = JSON.parse(out.trim().split('\n').at(-1));
  const after = await processStats(emulator.pid);
  await control(url, 'DELETE', 'requests');
  const cpuS = after.cpuS - before.cpuS;
  return { n, ...result, cpuS, rssMb: after.rssMb, perSecond: result.requests / (result.wallMs / 1000) };
}

/** Plan and apply of each fleet size, the tool and the naive way; answers the section's lines. */
async function runFleet(modes) {
  const rows = [];
  const started = Date.now();
  const emulator = await startFleetBench();
  for (const mode of modes) {
    for (const n of SIZES) {
      const tool = await measure(mode, 'tool', n);
      const sampled = n === Math.max(...SIZES) && NAIVE_SAMPLE < n;
      const naiveN = sampled ? NAIVE_SAMPLE : n;
      const naive = await measure(mode, 'naive', naiveN);
      const scale = n / naiveN;
      rows.push({ mode, n, tool, naive, sampled, naiveN, naiveWallMs: Math.round(naive.wallMs * scale) });
      process.stderr.write(
        `${mode} ${n}: tool ${tool.wallMs} ms, ${tool.requests} requests, ${tool.maxRssMb} MB; ` +
          `naive ${sampled ? `(${naiveN} sampled) ` : ''}${naive.wallMs} ms, ${naive.requests} requests\n`,
      );
    }
  }
  const alone = await measureEmulator(Math.max(...SIZES), emulator);
  process.stderr.write(`emulator alone, ${alone.n}: ${alone.requests} requests in ${alone.wallMs} ms\n`);
  const totalS = Math.round((Date.now() - started) / 1000);
  emulator.kill('SIGTERM');
  await rm(tmp, { recursive: true, force: true });
  return renderFleet(rows, totalS, alone);
}

/** The drift scan of the fleet as a matrix of N jobs, each job one measured process (bench/shards.mjs). */
async function runShards() {
  const started = Date.now();
  const emulator = await startFleetBench();
  const rows = [];
  for (const count of SHARD_COUNTS)
    for (let index = 1; index <= count; index++) {
      const shard = count === 1 ? null : { index, count };
      const job = await measure('drift', 'tool', SHARD_FLEET, { shard, driftEvery: SHARD_DRIFT_EVERY });
      if (!job.ok) throw new Error(`drift job ${index}/${count} was incomplete`);
      rows.push({ count, index, ...job });
      process.stderr.write(
        `drift job ${index}/${count}: ${job.accounts} accounts, ${job.wallMs} ms, ${job.requests} requests ` +
          `(Monitor Events: ${job.monitor} in ${job.eventsMs} ms), ${job.maxRssMb} MB\n`,
      );
    }
  emulator.kill('SIGTERM');
  await rm(tmp, { recursive: true, force: true });
  const totalS = Math.round((Date.now() - started) / 1000);
  return renderShards(rows, { latencyMs: LATENCY_MS, concurrency: CONCURRENCY, totalS });
}

const HEADER = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (bench/run.mjs); do not edit by hand. Method: docs/hardening.md.',
  '',
];

/** The sections of the last bench/RESULTS.md, to keep those this run does not measure. */
async function previousSections() {
  const file = await readFile(resultsFile, 'utf8').catch(() => '');
  // The sharded scan is the last section, so the others are found in what comes before it.
  const shardsAt = file.indexOf(SHARDS_HEADING);
  const text = shardsAt < 0 ? file : file.slice(0, shardsAt);
  const commentsAt = text.indexOf(COMMENTS_HEADING);
  const before = commentsAt < 0 ? text : text.slice(0, commentsAt);
  const at = before.indexOf(VALIDATE_HEADING);
  const lines = (part) => [...part.replace(/\n+$/, '').split('\n'), ''];
  const head = HEADER.join('\n') + '\n';
  const fleetText = (at < 0 ? before : before.slice(0, at)).slice(head.length);
  return {
    fleet:
      text.startsWith(head) && fleetText.trim()
        ? lines(fleetText)
        : ['Plan and apply: not measured yet.', ''],
    validate: at < 0 ? [VALIDATE_HEADING, '', 'Not measured yet.', ''] : lines(before.slice(at)),
    comments:
      commentsAt < 0 ? [COMMENTS_HEADING, '', 'Not measured yet.', ''] : lines(text.slice(commentsAt)),
    shards: shardsAt < 0 ? [SHARDS_HEADING, '', 'Not measured yet.', ''] : lines(file.slice(shardsAt)),
  };
}

const perAccount = (r, n) => (r.requests / n).toFixed(2);
/** The least wall time the requests allow: each takes the latency, `CONCURRENCY` at once. */
const floorMs = (r) => (r.requests * LATENCY_MS) / CONCURRENCY;
const seconds = (ms) => (ms / 1000).toFixed(2);
const ratio = (a, b) => (b / a).toFixed(1);

/** The plan and apply section: how it was measured, the table, and the targets. */
function renderFleet(rows, totalS, alone) {
  return [
    `- Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${os.platform()} ${os.arch()}`,
    `- Emulator in its own process, ${LATENCY_MS} ms injected latency on every Twilio request`,
    `- Concurrency cap ${CONCURRENCY} (accounts at once and requests in flight), for the tool and the naive way alike`,
    `- Fleet: one parent and N-1 subaccounts under one \`fleets:\` template (a 10-line policy), found by discovery (the parent's Accounts list, active and suspended, PageSize=1000); 5 cells to change per account`,
    `- Naive: the twilio SDK's default page size (50: the subaccounts listed 50 at a time, 6 pages of 252 countries) and one update request per changed country`,
    `- Floor: the tool's own requests × latency ÷ concurrency, the least time they can take`,
    `- Apply = plan + ordered writes + read-back, as \`geo-permissions apply\` runs it; RSS is the worker process's peak`,
    `- Whole run: ${totalS} s`,
    '',
    '| mode | accounts | tool wall (s) | floor (s) | tool/floor | tool requests/account | discovery pages | tool writes | tool peak RSS (MB) | tool peak heap (MB) | naive wall (s) | naive requests/account | naive peak RSS (MB) | naive/tool time | naive/tool requests |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) =>
      [
        '',
        r.mode,
        r.n,
        seconds(r.tool.wallMs),
        seconds(floorMs(r.tool)),
        (r.tool.wallMs / floorMs(r.tool)).toFixed(2),
        perAccount(r.tool, r.n),
        r.tool.discovery,
        r.tool.writes,
        r.tool.maxRssMb,
        r.tool.peakHeapMb,
        r.sampled ? `${seconds(r.naiveWallMs)}*` : seconds(r.naiveWallMs),
        perAccount(r.naive, r.naiveN),
        r.sampled ? `${r.naive.maxRssMb}*` : r.naive.maxRssMb,
        ratio(r.tool.wallMs, r.naiveWallMs),
        ratio(Number(perAccount(r.tool, r.n)), Number(perAccount(r.naive, r.naiveN))),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
    '',
    ...(rows.some((r) => r.sampled)
      ? [
          `\\* The naive way on ${Math.max(...SIZES)} accounts was run on ${NAIVE_SAMPLE} accounts; its wall time is scaled linearly ` +
            `(×${Math.max(...SIZES) / NAIVE_SAMPLE}) and its RSS is the sample's.`,
          '',
        ]
      : []),
    `Emulator alone, ${alone.n} accounts (no injected latency, a plain keep-alive client doing the plan's 4 requests per account, ${CONCURRENCY} in flight): ` +
      `${alone.requests} requests in ${seconds(alone.wallMs)} s, ${Math.round(alone.perSecond)} requests/s, ` +
      `${((alone.cpuS * 1000) / alone.requests).toFixed(2)} ms of emulator CPU per request, emulator peak RSS ${alone.rssMb} MB. ` +
      `The bench asks at most ${Math.round(CONCURRENCY / (LATENCY_MS / 1000))} requests/s of it (concurrency ÷ latency).`,
    '',
    '## Targets (docs/hardening.md)',
    '',
    ...checks(rows, alone),
    '',
  ];
}

function checks(all, alone) {
  const plans = all.filter((r) => r.mode === 'plan');
  // Discovery pages aside: they are budgeted on their own (one per 1,000 accounts, below).
  const maxPerAccount = Math.max(...plans.map((r) => (r.tool.requests - r.tool.discovery) / r.n));
  const largest = plans.find((r) => r.n === 1000);
  const biggest = Math.max(...all.map((r) => r.n));
  const fleetPlan = plans.find((r) => r.n === biggest);
  const fleetApply = all.find((r) => r.mode === 'apply' && r.n === biggest);
  const fleetRss = Math.max(...all.filter((r) => r.n === biggest).map((r) => r.tool.maxRssMb));
  const planBudget = (r) => 4 * r.n + Math.ceil(r.n / 1000);
  const rss = Math.max(...all.map((r) => r.tool.maxRssMb));
  const heap = Math.max(...all.map((r) => r.tool.peakHeapMb));
  const failed = all.reduce((sum, r) => sum + r.tool.failed, 0);
  const mark = (ok) => (ok ? 'met' : '**missed**');
  return [
    `- At most 4 requests per account for a plan, discovery pages aside: ${maxPerAccount.toFixed(2)} (${mark(maxPerAccount <= 4)})`,
    largest
      ? `- 1,000 accounts planned in under 30 s: ${seconds(largest.tool.wallMs)} s (${mark(largest.tool.wallMs < 30_000)})`
      : '- 1,000 accounts planned in under 30 s: not measured in this run',
    `- Peak RSS under 256 MB: ${rss} MB (${mark(rss < 256)}); peak V8 heap in use ${heap} MB`,
    '',
    `Fleet of ${biggest} accounts (issue 13; 10,000 is the target size):`,
    '',
    fleetPlan
      ? `- Plan within 1.15 × the floor: ${(fleetPlan.tool.wallMs / floorMs(fleetPlan.tool)).toFixed(2)} × (${mark(fleetPlan.tool.wallMs <= 1.15 * floorMs(fleetPlan.tool))}); ` +
        `requests ${fleetPlan.tool.requests}, at most 4 per account plus one discovery page per 1,000 accounts is ${planBudget(fleetPlan)} (${mark(fleetPlan.tool.requests <= planBudget(fleetPlan))}; ${fleetPlan.tool.discovery} discovery pages)`
      : '- Plan: not measured in this run',
    fleetApply
      ? `- Apply at most 10 requests per account for 5 changed cells: ${perAccount(fleetApply.tool, fleetApply.n)} (${mark(fleetApply.tool.requests / fleetApply.n <= 10)})`
      : '- Apply: not measured in this run',
    `- Peak RSS under 200 MB at ${biggest} accounts: ${fleetRss} MB (${mark(fleetRss < 200)})`,
    `- The emulator not the bottleneck: alone it serves ${Math.round(alone.perSecond)} requests/s, the bench asks ${Math.round(CONCURRENCY / (LATENCY_MS / 1000))} (${mark(alone.perSecond > 2 * (CONCURRENCY / (LATENCY_MS / 1000)))}, at least twice over)`,
    `- Every apply verified every cell: ${all.filter((r) => r.mode === 'apply').every((r) => r.tool.ok) ? 'yes' : '**no**'}; Twilio requests that failed: ${failed}`,
  ];
}

const previous = await previousSections();
const fleetLines = FLEET_MODES.length ? await runFleet(FLEET_MODES) : previous.fleet;
const validateLines = MODES.includes('validate') ? await runValidateBench(root) : previous.validate;
const commentLines = MODES.includes('comments') ? await runCommentsBench(root) : previous.comments;
const shardLines = MODES.includes('shards') ? await runShards() : previous.shards;
const lines = [...HEADER, ...fleetLines, ...validateLines, ...commentLines, ...shardLines];
await writeFile(resultsFile, lines.join('\n'));
process.stdout.write(lines.join('\n'));
