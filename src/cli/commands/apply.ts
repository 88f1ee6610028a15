import { createInterface } from 'node:readline/promises';
import { guardAndApply } from '../../apply/guard-and-apply.js';
import type { Plan } from '../../model/plan.js';
import { applySummaryLine, planSummaryLine, renderReport } from '../../report/index.js';
import { exitCodeOf, type CliIO, type Command } from '../io.js';
import { emit } from '../session.js';
import { formatReport } from '../report-format.js';
import { CONNECTION_HELP, REPORT_FLAGS, guardOptionsOf, readCliSettings } from '../args.js';
import { makePlan } from './plan.js';

const HELP = `Usage: geo-permissions apply [--policy FILE] [--yes] [--force] [--max-changes N] [--allow-high-risk]

Plans, checks the guards, then writes: disables first, inheritance changes in the safe order,
messaging disables then enables, voice enables last; then reads every touched cell back. A failed restrictive write stops
that account's enables, so a failure part-way never leaves an account more open than before.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --yes, -y              do not ask for confirmation (required when stdin is not a terminal)
  --max-changes N        allow up to N written cells, instead of guards.max_changes
  --force                skip the max_changes guard (and only that guard)
  --allow-high-risk      allow enabling high-risk special and toll-fraud voice permissions
                         (never on trial accounts; guards.never_disable has no flag: edit the policy)
  --format F             report format: text (default), markdown or json
  --out FILE             write the report to FILE
${CONNECTION_HELP}
Ctrl-C (SIGINT) or SIGTERM: before any write, or at the prompt, stops with nothing written; during the
writes, starts no new account, ends the accounts in flight safely (their disables are sent, no enable
is started), reads them back and reports, the rest reported as skipped; a second signal stops at once.

Exit status: 0 applied and verified, or nothing to do; 1 otherwise (refused by a guard, not
confirmed, a cell failed or was skipped, an account could not be read); 130 after SIGINT, 143 after SIGTERM.
`;

/** The answer at the prompt. On a terminal, Ctrl-C reaches the prompt as a key, not as a signal. */
async function ask(question: string): Promise<'yes' | 'no' | 'interrupted'> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const interrupted = new Promise<'interrupted'>((resolve) =>
      rl.once('SIGINT', () => resolve('interrupted')),
    );
    const answer = rl.question(question).then((a) => (/^y(es)?$/i.test(a.trim()) ? 'yes' : 'no'));
    return await Promise.race([answer, interrupted]);
  } finally {
    rl.close();
  }
}

/** Without --yes: asks on a terminal, and refuses to guess anywhere else. */
async function confirm(io: CliIO, plan: Plan, prompt: { interrupted: boolean }): Promise<boolean> {
  const interactive = process.stdin.isTTY === true && io.stderr.isTTY === true;
  if (!interactive) {
    io.stderr.write(
      'error: apply writes to Twilio; pass --yes to confirm when not running on a terminal. Nothing was written.\n',
    );
    return false;
  }
  const question = `Apply ${plan.summary.writes} changes (fingerprint ${plan.fingerprint.slice(0, 12)})? [y/N] `;
  const answer = await ask(question);
  if (answer === 'yes') {
    io.interrupt?.beginWriting();
    return true;
  }
  prompt.interrupted = answer === 'interrupted';
  io.stderr.write(
    prompt.interrupted ? '\nInterrupted; nothing was written.\n' : 'Not confirmed; nothing was written.\n',
  );
  return false;
}

export const applyCommand: Command = async (args, io) => {
  const settings = readCliSettings('apply', args, io, [
    ...REPORT_FLAGS,
    'yes',
    'force',
    'max-changes',
    'allow-high-risk',
  ]);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const made = await makePlan(settings, io);
  if (!made) return 1;
  const { desired, plan, session } = made;
  try {
    io.stderr.write(renderReport('plan', 'text', plan, { color: settings.color }));
    if (plan.summary.errors > 0) {
      io.stderr.write(`error: ${plan.summary.errors} account(s) could not be read; nothing was written\n`);
      return 1;
    }
    if (plan.summary.writes === 0) {
      io.stdout.write(`Nothing to apply: ${planSummaryLine(plan)}\n`);
      return 0;
    }
    const prompt = { interrupted: false };
    // With --yes the writes begin here (the guards are checked first, without any request).
    if (settings.yes) io.interrupt?.beginWriting();
    const outcome = await guardAndApply({
      desired,
      plan,
      gateway: session.gateway,
      guards: guardOptionsOf(settings),
      apply: { concurrency: settings.concurrency, signal: io.interrupt?.signal },
      confirm: settings.yes ? undefined : () => confirm(io, plan, prompt),
    });
    if (outcome.status === 'refused') io.stderr.write(renderReport('refusals', 'text', outcome.refusals));
    if (outcome.status !== 'applied') return prompt.interrupted ? exitCodeOf('SIGINT') : 1;
    const { result } = outcome;
    const report = formatReport(settings, 'apply', result);
    await emit(settings, io, report, applySummaryLine(result));
    return result.ok ? 0 : 1;
  } finally {
    await session.close();
  }
};
