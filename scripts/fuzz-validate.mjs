// `node scripts/fuzz-validate.mjs [N] [SEED]`: the fuzz test of `validate` (test/hardening/fuzz.test.ts),
// larger. Bundles test/support/fuzz-run.ts with esbuild into a temp directory, then runs the CLI's
// validate in this process on N seeded mutants (default 5000, seed 1) of the example policy and the
// malformed corpus, and checks each run as the test does. The same N and SEED give the same mutants.
// Prints the failures (each with the file that reproduces it, kept in the temp directory) and exits 1
// when there is any; otherwise removes the directory and exits 0.
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 5000);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: node scripts/fuzz-validate.mjs [N] [SEED]  (N mutants, a whole number seed)');
  process.exit(2);
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'geo-fuzz-validate-'));
const bundle = path.join(tmp, 'fuzz-run.mjs');
await build({
  entryPoints: [path.join(root, 'test/support/fuzz-run.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __fuzzRequire } from 'node:module'; const require = __fuzzRequire(import.meta.url);",
  },
});
const { describeFailures, fuzzInProcess, fuzzSeeds, mutants } = await import(pathToFileURL(bundle).href);

const started = performance.now();
const failures = await fuzzInProcess(mutants(fuzzSeeds(root), count, seed), tmp);
const seconds = (performance.now() - started) / 1000;
console.log(
  `fuzz-validate: ${count} mutants, seed ${seed}: ${failures.length} failing, ${seconds.toFixed(1)} s (${Math.round(count / seconds)}/s)`,
);
if (failures.length) {
  console.log(describeFailures(failures, 20));
  console.log(`The mutants are kept in ${tmp}`);
  process.exit(1);
}
await rm(tmp, { recursive: true, force: true });
