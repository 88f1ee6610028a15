import { discoverSubaccounts } from '../../live/discover.js';
import { readLiveState } from '../../live/read.js';
import { buildFleetPlan } from '../../plan/fleet-plan.js';
import { governFleet } from '../../plan/fleet.js';
import type { Plan } from '../../model/plan.js';
import { guardVerdict, type GuardVerdict } from '../../plan/guards.js';
import { planSummaryLine, renderGuardVerdictMarkdown, renderGuardVerdictText } from '../../report/index.js';
import { stringify } from '../../report/json.js';
import type { CliIO, Command } from '../io.js';
import { emit, loadPolicyForCommand, openTwilio, progressLine, type LoadedPolicy } from '../session.js';
import { formatReport } from '../report-format.js';
import {
  NO_COLOR_HELP,
  REPORT_FLAGS,
  connectionHelp,
  guardOptionsOf,
  readCliSettings,
  type CliSettings,
} from '../args.js';
import type { FlagName } from '../flags.js';
import { formatShard } from '../../plan/shard.js';

const FLAGS: readonly FlagName[] = [...REPORT_FLAGS, 'detailed-exitcode'];

const HELP = `Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier,
then the guards' verdict: whether \`geo-permissions apply\` (without override flags) would refuse it.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line. FILE.json (without
                         --format) saves the plan as JSON, for \`geo-permissions apply --plan FILE.json\`
  --detailed-exitcode    exit 2 when there are changes
${NO_COLOR_HELP}
${connectionHelp(FLAGS)}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;

/**
 * The plan report with the guards' verdict after it. In JSON (additive fields): a top-level `guards`
 * object, and what `apply --plan` binds to: `policySha256`, the digest of the policy text planned, and
 * `shard`, the `--shard` it was planned for ("I/N", or null).
 */
function withVerdict(settings: CliSettings, plan: Plan, verdict: GuardVerdict, policySha256: string): string {
  const report = formatReport(settings, 'plan', plan);
  const wording = { subject: 'an apply' };
  if (settings.format === 'json') {
    const shard = settings.shard ? formatShard(settings.shard) : null;
    return stringify({ ...(JSON.parse(report) as object), guards: verdict, policySha256, shard });
  }
  if (settings.format === 'markdown')
    return `${report.trimEnd()}\n\n${renderGuardVerdictMarkdown(verdict, wording)}\n`;
  return `${report.trimEnd()}\n\n${renderGuardVerdictText(verdict, { ...wording, color: settings.color && !settings.out })}`;
}

/**
 * Policy + live state -> plan, or null after printing why there is none. `accept` sees the policy
 * before any request (apply --plan refuses another policy there) and prints why it refuses one.
 */
export async function makePlan(
  settings: CliSettings,
  io: CliIO,
  now = new Date(),
  accept?: (policy: LoadedPolicy) => boolean,
) {
  const policy = await loadPolicyForCommand(settings, io, now);
  if (!policy || (accept && !accept(policy))) return null;
  const { desired } = policy;
  const session = await openTwilio(settings);
  const progress = progressLine(settings, io, 'reading accounts');
  try {
    // Templates need the parents' subaccounts: the desired state of their members is built after this,
    // and so is the shard (every shard lists every parent, then keeps its own part of the fleet).
    const discovery = await discoverSubaccounts(session.gateway, desired, settings);
    const governed = governFleet(desired, discovery, settings.shard);
    const live = await readLiveState(
      session.gateway,
      { accounts: governed.reads },
      { concurrency: settings.concurrency, onProgress: progress.update },
    );
    progress.done();
    return {
      desired: governed.desired,
      plan: buildFleetPlan(governed, live),
      live,
      session,
      policySha256: policy.sha256,
    };
  } catch (err) {
    progress.done();
    await session.close();
    throw err;
  }
}

export const planCommand: Command = async (args, io) => {
  const settings = readCliSettings('plan', args, io, FLAGS);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const made = await makePlan(settings, io);
  if (!made) return 1;
  await made.session.close();
  const { plan, desired } = made;
  const verdict = guardVerdict(plan, desired, guardOptionsOf(settings));
  const report = withVerdict(settings, plan, verdict, made.policySha256);
  await emit(settings, io, report, planSummaryLine(plan));
  if (plan.summary.errors > 0) {
    io.stderr.write(
      `error: ${plan.summary.errors} account(s) could not be read; the plan is incomplete (see the report)\n`,
    );
    return 1;
  }
  return settings.detailedExitcode && plan.summary.changes > 0 ? 2 : 0;
};
