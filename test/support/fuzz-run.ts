// Runs `validate` in process on seeded mutants and checks each run: shared by the fuzz test
// (test/hardening/fuzz.test.ts) and the larger run of scripts/fuzz-validate.mjs.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { validateRunProblems, type ValidateRun } from './fuzz-checks.js';
import { mutants, type Mutant } from './fuzz-mutants.js';
import { MALFORMED_POLICIES } from './malformed-cases.js';

/** The example policy and every policy of the malformed corpus: what the mutants start from. */
export function fuzzSeeds(root: string): { name: string; text: string }[] {
  const example = 'examples/geo-permissions.yml';
  return [
    { name: example, text: readFileSync(path.join(root, example), 'utf8') },
    ...MALFORMED_POLICIES.map((c) => ({ name: c.name, text: c.text })),
  ];
}

export interface FuzzFailure {
  mutant: string;
  /** The mutant as written, to reproduce: `geo-permissions validate --policy FILE`. */
  file: string;
  problems: string[];
}

/** Writes the mutant as `file` in `dir` and runs the CLI's validate on it in this process. */
export async function validateInProcess(dir: string, file: string, bytes: Uint8Array): Promise<ValidateRun> {
  await writeFile(path.join(dir, file), bytes);
  let stdout = '';
  let stderr = '';
  const code = await main(['validate', '--policy', file], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

/**
 * Every mutant through `validate` in process; a Node warning emitted meanwhile counts against the
 * mutant that was running (warnings arrive a tick later, so each run waits for one).
 */
export async function fuzzInProcess(
  list: readonly Mutant[],
  dir: string,
  prefix = 'm',
): Promise<FuzzFailure[]> {
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const failures: FuzzFailure[] = [];
  try {
    for (const [i, mutant] of list.entries()) {
      const file = `${prefix}${i}.yml`;
      const seen = warnings.length;
      const run = await validateInProcess(dir, file, mutant.bytes);
      await new Promise((resolve) => setImmediate(resolve));
      const problems = [
        ...validateRunProblems(run),
        ...warnings.slice(seen).map((w) => `Node warning: ${w}`),
      ];
      if (problems.length) failures.push({ mutant: mutant.name, file: path.join(dir, file), problems });
    }
  } finally {
    process.off('warning', onWarning);
  }
  return failures;
}

/** The failures as a short report: the first few, each with its first problems. */
export function describeFailures(failures: readonly FuzzFailure[], most = 10): string {
  return failures
    .slice(0, most)
    .map((f) => `${f.mutant} (${f.file})\n  ${f.problems.slice(0, 3).join('\n  ')}`)
    .join('\n');
}

export { mutants };
