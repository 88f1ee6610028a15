import { readDriftEvents } from '../../live/events.js';
import { driftDetected, frameDrift } from '../../plan/drift.js';
import { driftSummaryLine } from '../../report/index.js';
import type { Command } from '../io.js';
import { emit } from '../session.js';
import { formatReport } from '../report-format.js';
import { NO_COLOR_HELP, REPORT_FLAGS, connectionHelp, readCliSettings } from '../args.js';
import type { FlagName } from '../flags.js';
import { makePlan } from './plan.js';
import { EXPIRY_WARNING_DAYS } from '../../model/defaults.js';
import type { DriftReport } from '../../model/plan.js';
import { exceptionStatuses } from '../../plan/exceptions.js';
import { EXPIRED_DETAIL, expiredNotEnforced, findExpiredCells, withExpiry } from '../../plan/expired.js';

const FLAGS: readonly FlagName[] = [...REPORT_FLAGS, 'lookback-days'];

const HELP = `Usage: geo-permissions drift [--policy FILE] [--format text|markdown|json] [--out FILE] [--lookback-days N]

The plan framed as drift: every cell whose live value differs from the policy, with who changed it
(Console user or API, from which IP, when) from Twilio Monitor Events when the retention window still
has the event; otherwise whether the events were read (none matched) or could not be read, and why.
Lists the time-boxed exceptions expired or expiring within the policy's expiry_warning_days (default
${EXPIRY_WARNING_DAYS}), each with whether it is open live, and names each cell still open only because an
expired exception granted it. drift never writes: under expired: enforce (the default) the action's
scheduled drift run closes such cells; geo-permissions apply closes them too.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json
  --out FILE             write the report to FILE
  --lookback-days N      how far back to look for Monitor Events (default 30, Twilio's free retention)
${NO_COLOR_HELP}
${connectionHelp(FLAGS)}
Exit status: 0 no drift, 2 drift, 1 error (invalid policy, an account that could not be read).
`;

/** Why the CLI leaves an expired exception's cell open: it never writes (the action's scheduled run closes it). */
export const CLI_NOT_CLOSED =
  'not closed: geo-permissions drift never writes; the scheduled drift run of the action closes it (expired: enforce), or run geo-permissions apply';

/** The report with each cell an expired exception left open (reported, never written) and every exception's state. */
function withExpiredReported(made: NonNullable<Awaited<ReturnType<typeof makePlan>>>, report: DriftReport) {
  const { desired, plan, live } = made;
  const cells = findExpiredCells(desired, plan, live);
  const why = desired.expiry.expired === 'report' ? EXPIRED_DETAIL.report : CLI_NOT_CLOSED;
  const framed =
    cells.length > 0
      ? withExpiry(report, expiredNotEnforced(cells, desired.expiry.expired, desired.guards, why))
      : report;
  return { ...framed, exceptions: exceptionStatuses(desired, plan) };
}

export const driftCommand: Command = async (args, io) => {
  const settings = readCliSettings('drift', args, io, FLAGS);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const now = new Date();
  const made = await makePlan(settings, io, now);
  if (!made) return 1;
  try {
    // The plan makePlan built, framed as drift: the plan is built once.
    const events = await readDriftEvents(made.session.gateway, made.desired, made.plan, {
      now,
      lookbackDays: settings.lookbackDays,
      concurrency: settings.concurrency,
    });
    const report = withExpiredReported(made, frameDrift(made.plan, events, made.desired.guards));
    const text = formatReport(settings, 'drift', report);
    await emit(settings, io, text, driftSummaryLine(report));
    if (!report.complete) {
      io.stderr.write('error: some accounts could not be read; the drift scan is incomplete\n');
      return 1;
    }
    return driftDetected(report) ? 2 : 0;
  } finally {
    await made.session.close();
  }
};
