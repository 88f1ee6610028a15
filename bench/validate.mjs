// The validate section of `npm run bench`: the built CLI's `validate` on large malformed policies
// (bench/validate-policies.mjs generates them into a temp directory; none is committed), each in a
// fresh process, timed from spawn to exit, with the CPU time the process reports as it exits (the bench
// machine is shared: wall time includes waiting for a core, CPU time does not). Returns the section's
// Markdown lines for bench/RESULTS.md.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SHAPES, malformedPolicy } from './validate-policies.mjs';

export const VALIDATE_HEADING = '## Validate: large malformed policies';

/** The 82 KB and 164 KB of the report that found the quadratic search, and MAX_POLICY_BYTES (src/model/limits.ts). */
const SIZES = [
  { label: '82 KB', bytes: 82 * 1024 },
  { label: '164 KB', bytes: 164 * 1024 },
  { label: '1 MiB', bytes: 1024 * 1024 },
];
/** Each cell is the median of this many runs: the bench machine is shared. */
const RUNS = Number(process.env.BENCH_VALIDATE_RUNS ?? 3);
const TARGET_MS = 2000;
const seconds = (ms) => (ms / 1000).toFixed(2);

/** Preloaded into each run: writes the process's own CPU time (user + system, all threads) to fd 3. */
const CPU_PRELOAD = `import { writeSync } from 'node:fs';
process.on('exit', () => { const { user, system } = process.cpuUsage(); writeSync(3, String(user + system)); });
`;

/** One `validate` run: wall and CPU time, the diagnostics it printed, and how many suggest a fix. */
function validateOnce(cli, preload, file) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', preload, cli, 'validate', '--policy', file], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let cpuMicros = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => (stderr += d));
    child.stdio[3].on('data', (d) => (cpuMicros += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const lines = stderr.split('\n').filter((l) => /: (error|warning): /.test(l));
      // Every generated policy is invalid, and none may hit the size limit (that would measure nothing).
      if (code !== 1 || stderr.includes('limit for a policy')) {
        reject(new Error(`validate ${file}: exit ${code}\n${stderr.slice(0, 500)}`));
        return;
      }
      resolve({
        wallMs,
        cpuMs: Number(cpuMicros) / 1000,
        diagnostics: lines.length,
        suggested: lines.filter((l) => l.includes('did you mean')).length,
      });
    });
  });
}

/** The median of RUNS runs, wall and CPU time each. */
async function measure(cli, preload, file) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await validateOnce(cli, preload, file));
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return { ...runs[0], wallMs: median('wallMs'), cpuMs: median('cpuMs') };
}

export async function runValidateBench(root) {
  const cli = path.join(root, 'dist/cli.js');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'geo-bench-validate-'));
  const preload = path.join(tmp, 'cpu.mjs');
  await writeFile(preload, CPU_PRELOAD);
  const rows = [];
  const started = Date.now();
  const load = [os.loadavg()[0]];
  try {
    for (const size of SIZES) {
      for (const shape of SHAPES) {
        const text = malformedPolicy(shape, size.bytes);
        const file = path.join(tmp, `${shape}-${size.bytes}.yml`);
        await writeFile(file, text);
        const result = await measure(cli, preload, file);
        rows.push({ ...size, shape, fileBytes: Buffer.byteLength(text), ...result });
        process.stderr.write(
          `validate ${size.label} ${shape}: ${Math.round(result.wallMs)} ms, ${result.diagnostics} diagnostics\n`,
        );
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  load.push(os.loadavg()[0]);
  return render(rows, Math.round((Date.now() - started) / 1000), load);
}

function render(rows, totalS, load) {
  const largest = rows.filter((r) => r.bytes === 1024 * 1024);
  const worst = largest.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
  return [
    VALIDATE_HEADING,
    '',
    `- Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, ${os.platform()} ${os.arch()}`,
    '- `node dist/cli.js validate --policy FILE`, each in a fresh process: wall time from spawn to exit ' +
      `(startup included) and the CPU time (user + system) the process reports at exit, medians of ${RUNS} runs`,
    `- Load average (1 min) ${load[0].toFixed(1)} at the start, ${load[1].toFixed(1)} at the end: the machine ` +
      'may be shared, and wall time includes waiting for a core',
    '- Policies from `bench/validate-policies.mjs` (generated, not committed), every entry a mistake: ' +
      '**codes** one list of unknown codes, misspelt country names and misspelt groups; **accounts** accounts ' +
      'naming a misspelt parent; **groups** groups referring to a misspelt group; **keys** accounts with a ' +
      'misspelt key; **mixed** a quarter of each',
    '- "with did-you-mean": diagnostics that still carry a suggestion; past the suggestion budget ' +
      '(`SUGGESTION_BUDGET`, src/catalog/suggestion-search.ts) the error stays and only the suggestion is dropped',
    `- Whole section: ${totalS} s`,
    '',
    '| size | shape | bytes | diagnostics | with did-you-mean | wall (s) | CPU (s) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.shape} | ${r.fileBytes} | ${r.diagnostics} | ${r.suggested} | ` +
        `${seconds(r.wallMs)} | ${seconds(r.cpuMs)} |`,
    ),
    '',
    `- A 1 MiB policy validated in under 2 s: slowest shape (${worst.shape}) ${seconds(worst.wallMs)} s wall, ` +
      `${seconds(worst.cpuMs)} s CPU (${worst.wallMs < TARGET_MS ? 'met' : '**missed**'})`,
    '',
  ];
}
