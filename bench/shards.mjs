// The sharded drift scan in `npm run bench` (BENCH_MODES=shards): the 10,000-account fleet scanned as
// a matrix of N jobs (`shard: I/N`), each job measured in its own process as bench/run.mjs measures a
// plan. This file holds the section's settings and renders it; run.mjs runs the jobs.
import os from 'node:os';

export const SHARDS_HEADING = '## Sharded drift scan (`shard: I/N`, issue 13)';

/** The matrix sizes measured; 1 is the unsharded scan beside them. */
export const SHARD_COUNTS = (process.env.BENCH_SHARDS ?? '1,4,8').split(',').map(Number);
export const SHARD_FLEET = Number(process.env.BENCH_SHARD_FLEET ?? 10000);
/** One account in this many drifts (5 cells); the others match the policy, as on an ordinary day. */
export const SHARD_DRIFT_EVERY = Number(process.env.BENCH_SHARD_DRIFT_EVERY ?? 100);

/**
 * The scan before the events were read at once and unfiltered, measured by this script (with its Monitor
 * Events columns) on that code, so the section keeps the comparison after that code is gone.
 */
const EVENTS_BEFORE =
  'Before (commit 9ec42b1: one account at a time, one request per event type: 6 each), N = 1 measured 169.48 s, 600 Monitor Events requests taking 32.03 s of it';

const seconds = (ms) => (ms / 1000).toFixed(2);

/**
 * The section: per matrix size, each job's accounts, wall time, requests and peak RSS, then the
 * slowest job (the matrix's wall time when its jobs run side by side) and the requests of all jobs.
 */
export function renderShards(rows, meta) {
  const byCount = SHARD_COUNTS.map((count) => ({ count, jobs: rows.filter((r) => r.count === count) }));
  const whole = byCount.find((c) => c.count === 1)?.jobs[0];
  return [
    SHARDS_HEADING,
    '',
    `- Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${os.platform()} ${os.arch()}`,
    `- Fleet: as in the plan and apply section, one parent and ${SHARD_FLEET - 1} subaccounts under one \`fleets:\` template, but only one account in ${SHARD_DRIFT_EVERY} drifts (5 cells); the rest match the policy`,
    `- Each job is the drift scan \`mode: drift\` runs with \`shard: I/N\`: discovery of the whole fleet (every job lists every parent), then its own accounts read and planned, and the Monitor Events of its drifted ones read (the cap's number of accounts at once; per account one page of the window with no type filter, or 1 + one listing per geo event type when that page is not the whole window); ${meta.latencyMs} ms injected latency per request, concurrency cap ${meta.concurrency}; N = 1 is the scan without \`shard\``,
    '- The jobs of a matrix run one after another here, each alone against the emulator, as each runner of a matrix has its own process; side by side, the matrix takes as long as its slowest job (N jobs then have N × the cap in flight against one Twilio account: keep that under its concurrency limit)',
    `- Monitor Events: the requests to \`/v1/Events\` and the wall time of reading them (within the job's). ${EVENTS_BEFORE}`,
    `- Whole section: ${meta.totalS} s`,
    '',
    '| jobs (N) | job | accounts planned | drifted cells | wall (s) | requests | discovery pages | Monitor Events requests | Monitor Events (s) | peak RSS (MB) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.count} | ${r.index}/${r.count} | ${r.accounts} | ${r.changes} | ${seconds(r.wallMs)} | ${r.requests} | ${r.discovery} | ${r.monitor} | ${seconds(r.eventsMs)} | ${r.maxRssMb} |`,
    ),
    '',
    '| jobs (N) | slowest job (s) | mean job (s) | all jobs, requests | requests vs unsharded | every account in one job |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...byCount
      .filter((c) => c.jobs.length > 0)
      .map((c) => {
        const slowest = Math.max(...c.jobs.map((j) => j.wallMs));
        const mean = c.jobs.reduce((sum, j) => sum + j.wallMs, 0) / c.jobs.length;
        const requests = c.jobs.reduce((sum, j) => sum + j.requests, 0);
        const planned = c.jobs.reduce((sum, j) => sum + j.accounts, 0);
        const vs = whole ? `+${requests - whole.requests}` : 'n/a';
        const once = planned === SHARD_FLEET ? 'yes' : `**no** (${planned} of ${SHARD_FLEET})`;
        return `| ${c.count} | ${seconds(slowest)} | ${seconds(mean)} | ${requests} | ${vs} | ${once} |`;
      }),
    '',
    'What sharding adds: each job lists every parent (a page per 1,000 subaccounts and status), so N jobs make N − 1 more discoveries than one; the reads, the plan and the Monitor Events are split.',
    '',
  ];
}
