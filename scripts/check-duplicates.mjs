// Fails when src/ holds code written twice: runs the `duplicates` command (on the PATH of this
// project's machines and CI) and refuses every pair it finds that is not boilerplate and not listed
// below with the reason it stays. Without the command (another machine) it says so and passes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Pairs that look alike on purpose, each with its reason; matched by the two files, in either order. */
const JUSTIFIED = [
  {
    files: ['src/emulator/state.ts', 'src/twilio/shapes.ts'],
    why: "the emulator's state schema and the client's response shapes describe the same Twilio objects from two sides; sharing one would let a client bug hide in the emulator",
  },
];

const run = spawnSync('duplicates', ['--repo', 'src', '--most', '200', '--seconds', '120'], {
  encoding: 'utf8',
});
if (run.error && run.error.code === 'ENOENT') {
  console.log('check-duplicates: the `duplicates` command is not on this machine; skipped');
  process.exit(0);
}
if (run.status !== 0) {
  console.error(`check-duplicates: duplicates failed: ${run.stderr || run.stdout}`);
  process.exit(1);
}
/** The last line of a file's leading imports: a multi-line import's names are not code written twice. */
function importsEnd(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  let open = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (open || line.startsWith('import ')) open = !line.endsWith(';');
    else if (line && !line.startsWith('//') && !line.startsWith('/*') && !line.startsWith('*')) return i;
  }
  return lines.length;
}

const lines = run.stdout.split('\n');
const incomplete = lines.filter((l) => l.startsWith('incomplete:'));
const found = [];
for (const line of lines) {
  const m = /^D\d+ (\S+?):\d+-(\d+) ~ (\S+?):\d+-(\d+)(.*)$/.exec(line);
  if (!m || m[5].includes('boilerplate')) continue;
  const pair = [`src/${m[1]}`, `src/${m[3]}`];
  if (Number(m[2]) <= importsEnd(pair[0]) && Number(m[4]) <= importsEnd(pair[1])) continue;
  const justified = JUSTIFIED.some((j) => j.files.every((f) => pair.includes(f)));
  if (!justified) found.push(line);
}
for (const line of incomplete) console.error(`check-duplicates: ${line}`);
if (found.length > 0 || incomplete.length > 0) {
  console.error(
    'check-duplicates: code written twice in src/ (share one function, or justify the pair in scripts/check-duplicates.mjs):',
  );
  for (const line of found) console.error(`  ${line}`);
  process.exit(1);
}
console.log(`check-duplicates: ${lines[0]}`);
