import { exitCodeOf } from './io.js';
import { listenForInterrupts, main } from './main.js';

const argv = process.argv.slice(2);
// Installed once for the run and removed after it; main.ts says what each signal does.
const interrupts = listenForInterrupts(argv, process.stderr);
const code = await main(argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  interrupt: interrupts?.interrupt,
});
interrupts?.remove();
const signal = interrupts?.received() ?? null;
// An interrupted run exits 130 or 143 once its report is out, without waiting for the timers of the
// work it cancelled.
if (signal) process.stdout.write('', () => process.exit(exitCodeOf(signal)));
else process.exitCode = code;
