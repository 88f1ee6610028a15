import { createInterface } from 'node:readline/promises';
import { guardAndApply } from '../../apply/guard-and-apply.js';
import type { Plan } from '../../model/plan.js';
import { applySummaryLine, planSummaryLine, renderReport, termText } from '../../report/index.js';
import { unlistedMembers } from '../../plan/fleet.js';
import { plural } from '../../report/format.js';
import { exitCodeOf, type CliIO, type Command } from '../io.js';
import { emit } from '../session.js';
import { formatReport } from '../report-format.js';
import { guardOptionsOf, readCliSettings, type CliSettings } from '../args.js';
import { NO_COLOR_HELP, REPORT_FLAGS, connectionHelp } from '../args.js';
import type { FlagName } from '../flags.js';
import { bindToSaved, otherPolicy, readSavedPlan, shardOfSaved, type SavedPlan } from '../saved-plan.js';
import { makePlan } from './plan.js';

const FLAGS: readonly FlagName[] = [
  ...REPORT_FLAGS,
  'plan',
  'yes',
  'force',
  'max-changes',
  'allow-high-risk',
];

const HELP = `Usage: geo-permissions apply [--policy FILE] [--plan FILE] [--yes] [--force] [--max-changes N] [--allow-high-risk]

Plans, checks the guards, then writes: disables first, inheritance changes in the safe order,
messaging disables then enables, voice enables last; then reads every touched cell back. A failed restrictive write stops
that account's enables, so a failure part-way never leaves an account more open than before.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --plan FILE            apply exactly the plan \`geo-permissions plan --out FILE\` saved (FILE.json): live
                         state is read again; a cell that changed since in a way this apply would widen
                         is refused and named, one already at its target is said to be; the policy must
                         be the one planned (its sha256), and the shard the one planned
  --yes, -y              do not ask for confirmation (required when stdin is not a terminal)
  --max-changes N        allow up to N written cells, instead of guards.max_changes
  --force                skip the max_changes guard (and only that guard)
  --allow-high-risk      allow enabling high-risk special and toll-fraud voice permissions
                         (never on trial accounts; guards.never_disable has no flag: edit the policy)
  --format F             report format: text (default), markdown or json
  --out FILE             write the report to FILE
${NO_COLOR_HELP}
${connectionHelp(FLAGS)}
Ctrl-C (SIGINT) or SIGTERM: before any write, or at the prompt, stops with nothing written; during the
writes, starts no new account, ends the accounts in flight safely (their disables are sent, no enable
is started), reads them back and reports, the rest reported as skipped; a second signal stops at once.

Exit status: 0 applied and verified, or nothing to do; 1 otherwise (refused by a guard, not
confirmed, a cell failed or was skipped, an account could not be read, a cell of --plan refused);
130 after SIGINT, 143 after SIGTERM.
`;

/** The answer at the prompt. On a terminal, Ctrl-C reaches the prompt as a key, not as a signal. */
async function ask(question: string): Promise<'yes' | 'no' | 'interrupted'> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const interrupted = new Promise<'interrupted'>((resolve) =>
      rl.once('SIGINT', () => resolve('interrupted')),
    );
    // Only `yes`, as Terraform asks: a stray `y` or Enter is never taken as consent to write.
    const answer = rl.question(question).then((a) => (a.trim() === 'yes' ? 'yes' : 'no'));
    return await Promise.race([answer, interrupted]);
  } finally {
    rl.close();
  }
}

/**
 * The question before the first write: what it writes (cells, accounts), what it opens by risk and
 * closes (the plan's summary line), then Terraform's wording, since its users know it.
 */
export function promptText(plan: Plan): string {
  const s = plan.summary;
  const accounts = plan.accounts.filter((a) => a.changes.some((c) => c.kind === 'write')).length;
  return [
    '',
    `Apply writes ${plural(s.writes, 'cell')} in ${plural(accounts, 'account')} to Twilio: ${planSummaryLine(plan).replace(/^Plan: /, '')}`,
    `Fingerprint ${plan.fingerprint.slice(0, 12)}. Only 'yes' will be accepted to approve.`,
    'Enter a value: ',
  ].join('\n');
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
  const answer = await ask(promptText(plan));
  if (answer === 'yes') {
    io.interrupt?.beginWriting();
    return true;
  }
  prompt.interrupted = answer === 'interrupted';
  io.stderr.write(
    prompt.interrupted
      ? '\nInterrupted; nothing was written.\n'
      : "Not confirmed (only 'yes' approves); nothing was written.\n",
  );
  return false;
}

/** `--plan FILE`, read before anything else; the apply then plans the saved plan's shard. */
async function savedPlanOf(settings: CliSettings, io: CliIO) {
  if (!settings.savedPlan) return { saved: null, settings };
  const saved = await readSavedPlan(settings.savedPlan, io.cwd);
  return { saved, settings: { ...settings, shard: shardOfSaved(saved, settings.shard) } };
}

/** The plan of now, bound to the saved plan when there is one: what to apply and how many cells were refused. */
function bound(saved: SavedPlan | null, plan: Plan, io: CliIO): { toApply: Plan; refused: number } {
  if (!saved) return { toApply: plan, refused: 0 };
  const { toApply, binding, lines } = bindToSaved(saved, plan);
  io.stderr.write(lines.join('\n') + '\n');
  return { toApply, refused: binding.unreviewed.length };
}

export const applyCommand: Command = async (args, io) => {
  const read = readCliSettings('apply', args, io, FLAGS);
  if (read === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const { saved, settings } = await savedPlanOf(read, io);
  const made = await makePlan(settings, io, new Date(), (policy) => {
    const why = saved
      ? otherPolicy(saved, settings.policy ?? 'the bundled example policy', policy.sha256)
      : null;
    if (why) io.stderr.write(`error: ${why}\n`);
    return why === null;
  });
  if (!made) return 1;
  const { desired, plan, session } = made;
  try {
    io.stderr.write(renderReport('plan', 'text', plan, { color: settings.color }));
    if (plan.summary.errors > 0) {
      io.stderr.write(`error: ${plan.summary.errors} account(s) could not be read; nothing was written\n`);
      return 1;
    }
    const { toApply, refused } = bound(saved, plan, io);
    const failed = refused > 0 ? 1 : 0;
    if (toApply.summary.writes === 0) {
      io.stdout.write(`Nothing to apply: ${planSummaryLine(toApply)}\n`);
      // The members of a template whose parent could not be listed were not seen, so not applied.
      const unlisted = unlistedMembers(plan);
      for (const u of unlisted) io.stderr.write(`error: ${termText(u.account)}: ${termText(u.message)}\n`);
      return unlisted.length > 0 ? 1 : failed;
    }
    const prompt = { interrupted: false };
    // With --yes the writes begin here (the guards are checked first, without any request).
    if (settings.yes) io.interrupt?.beginWriting();
    const outcome = await guardAndApply({
      desired,
      plan: toApply,
      gateway: session.gateway,
      guards: guardOptionsOf(settings),
      // With --yes the writes follow the plan's reads at once, so those reads serve them; after a
      // prompt (which may wait minutes) every account is read again before writing.
      apply: {
        concurrency: settings.concurrency,
        signal: io.interrupt?.signal,
        ...(settings.yes ? { reads: made.live.accounts } : {}),
      },
      confirm: settings.yes ? undefined : () => confirm(io, toApply, prompt),
    });
    if (outcome.status === 'refused') io.stderr.write(renderReport('refusals', 'text', outcome.refusals));
    if (outcome.status !== 'applied') return prompt.interrupted ? exitCodeOf('SIGINT') : 1;
    const { result } = outcome;
    const report = formatReport(settings, 'apply', result);
    await emit(settings, io, report, applySummaryLine(result));
    if (failed)
      io.stderr.write(`error: ${plural(refused, 'cell')} of ${settings.savedPlan} refused (above)\n`);
    return result.ok ? failed : 1;
  } finally {
    await session.close();
  }
};
