import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateRunProblems, type ValidateRun } from '../support/fuzz-checks.js';
import {
  describeFailures,
  fuzzInProcess,
  fuzzSeeds,
  mutants,
  type FuzzFailure,
} from '../support/fuzz-run.js';

/**
 * Issue 10, item 11e: `validate` on a few hundred seeded mutants of the example policy and the
 * malformed corpus (byte flips, deletions, duplications, hostile snippets: control characters, deep
 * nesting, aliases, long lines, `<<` merge keys, tabs, BOMs, UTF-16 and Latin-1). Whatever the file
 * holds, validate exits 0 or 1 and prints only one-line, printable diagnostics in the user's words:
 * no internals, no stack trace, no Node warning. Most run in process; a few dozen through the built
 * dist/cli.js (run `npm run build` first). A larger run: `node scripts/fuzz-validate.mjs N SEED`.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SEED = 20_261_125;
const IN_PROCESS = 300;
const SUBPROCESS = 30;
const MUTANTS = mutants(fuzzSeeds(ROOT), IN_PROCESS + SUBPROCESS, SEED);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'geo-fuzz-'));
});

function subprocess(file: string): Promise<ValidateRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'validate', '--policy', file],
      { cwd: dir, timeout: 20_000, env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('validate on seeded mutants (issue 10, item 11e)', () => {
  it(`${IN_PROCESS} mutants in process: exit 0 or 1, one printable line per diagnostic, no internals`, async () => {
    const failures = await fuzzInProcess(MUTANTS.slice(0, IN_PROCESS), dir);
    expect(failures, describeFailures(failures)).toEqual([]);
  });

  it(`${SUBPROCESS} mutants through dist/cli.js: the same, and nothing else on stderr`, async () => {
    const failures: FuzzFailure[] = [];
    for (const [i, mutant] of MUTANTS.slice(IN_PROCESS).entries()) {
      const file = `s${i}.yml`;
      await writeFile(path.join(dir, file), mutant.bytes);
      const problems = validateRunProblems(await subprocess(file));
      if (problems.length) failures.push({ mutant: mutant.name, file: path.join(dir, file), problems });
    }
    expect(failures, describeFailures(failures)).toEqual([]);
  });

  it('the mutants cover what the issue found: deep nesting, merge keys, control characters, encodings', () => {
    const names = MUTANTS.map((m) => m.name).join('\n');
    for (const mutation of [
      'flipByte',
      'deleteSpan',
      'duplicateSpan',
      'insertSnippet',
      'replaceValue',
      'asYaml11',
      'reencode',
    ])
      expect(names).toContain(mutation);
    const text = MUTANTS.map((m) => Buffer.from(m.bytes).toString('latin1')).join('\n');
    expect(text).toContain('['.repeat(800));
    expect(text).toContain('<<: ');
    expect(text).toContain('\u001b[31m');
    expect(text).toContain('\t');
  });
});
