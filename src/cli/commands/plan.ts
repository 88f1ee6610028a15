import { discoverSubaccounts } from '../../live/discover.js';
import { readLiveState } from '../../live/read.js';
import { buildFleetPlan } from '../../plan/fleet-plan.js';
import { governFleet } from '../../plan/fleet.js';
import type { Plan } from '../../model/plan.js';
import { guardVerdict, type GuardVerdict } from '../../plan/guards.js';
import { planSummaryLine, renderGuardVerdictMarkdown, renderGuardVerdictText } from '../../report/index.js';
import { stringify } from '../../report/json.js';
import type { CliIO, Command } from '../io.js';
import { emit, loadDesiredForCommand, openTwilio, progressLine } from '../session.js';
import { formatReport } from '../report-format.js';
import { CONNECTION_HELP, REPORT_FLAGS, guardOptionsOf, readCliSettings, type CliSettings } from '../args.js';

const HELP = `Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier,
then the guards' verdict: whether \`geo-permissions apply\` (without override flags) would refuse it.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line
  --detailed-exitcode    exit 2 when there are changes
${CONNECTION_HELP}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;

/** The plan report with the guards' verdict after it; in JSON, a top-level `guards` object (additive). */
function withVerdict(settings: CliSettings, plan: Plan, verdict: GuardVerdict): string {
  const report = formatReport(settings, 'plan', plan);
  const wording = { subject: 'an apply' };
  if (settings.format === 'json') return stringify({ ...(JSON.parse(report) as object), guards: verdict });
  if (settings.format === 'markdown')
    return `${report.trimEnd()}\n\n${renderGuardVerdictMarkdown(verdict, wording)}\n`;
  return `${report.trimEnd()}\n\n${renderGuardVerdictText(verdict, { ...wording, color: settings.color && !settings.out })}`;
}

/** Policy + live state -> plan, or null after printing why there is none. */
export async function makePlan(settings: CliSettings, io: CliIO, now = new Date()) {
  const desired = await loadDesiredForCommand(settings, io, now);
  if (!desired) return null;
  const session = await openTwilio(settings);
  const progress = progressLine(settings, io, 'reading accounts');
  try {
    // Templates need the parents' subaccounts: the desired state of their members is built after this.
    const discovery = await discoverSubaccounts(session.gateway, desired, settings);
    const governed = governFleet(desired, discovery);
    const live = await readLiveState(
      session.gateway,
      { accounts: governed.reads },
      { concurrency: settings.concurrency, onProgress: progress.update },
    );
    progress.done();
    return { desired: governed.desired, plan: buildFleetPlan(governed, live), session };
  } catch (err) {
    progress.done();
    await session.close();
    throw err;
  }
}

export const planCommand: Command = async (args, io) => {
  const settings = readCliSettings('plan', args, io, [...REPORT_FLAGS, 'detailed-exitcode']);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const made = await makePlan(settings, io);
  if (!made) return 1;
  await made.session.close();
  const { plan, desired } = made;
  const report = withVerdict(settings, plan, guardVerdict(plan, desired, guardOptionsOf(settings)));
  await emit(settings, io, report, planSummaryLine(plan));
  if (plan.summary.errors > 0) {
    io.stderr.write(
      `error: ${plan.summary.errors} account(s) could not be read; the plan is incomplete (see the report)\n`,
    );
    return 1;
  }
  return settings.detailedExitcode && plan.summary.changes > 0 ? 2 : 0;
};
