import type { ExceptionReport } from '../../model/plan.js';
import { exceptionStatuses, expiredAndOpen } from '../../plan/exceptions.js';
import { exceptionsSummaryLine } from '../../report/index.js';
import type { CliIO, Command } from '../io.js';
import { emit, loadPolicyForCommand } from '../session.js';
import { formatReport } from '../report-format.js';
import { NO_COLOR_HELP, REPORT_FLAGS, connectionHelp, readCliSettings, type CliSettings } from '../args.js';
import type { FlagName } from '../flags.js';
import { makePlan } from './plan.js';
import { EXPIRY_WARNING_DAYS } from '../../model/defaults.js';

const FLAGS: readonly FlagName[] = [...REPORT_FLAGS, 'offline'];

const HELP = `Usage: geo-permissions exceptions [--policy FILE] [--format text|markdown|json] [--out FILE] [--offline]

Lists every time-boxed exception of the policy ({country, expires, reason, ticket} entries), most
urgent first: its account, permission, country, expiry and days left (or how long ago it expired),
reason, ticket, and whether its cell is open live. An exception of a fleets: template is one row for
all its members: "template customers (40 members)", open live "38 of 40". The policy's
expiry_warning_days (default ${EXPIRY_WARNING_DAYS}) is the horizon the summary counts.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown or json (docs/json-schema.md, kind "exceptions")
  --out FILE             write the report to FILE; stdout gets the summary line
  --offline              the policy alone: no Twilio request and no credentials ("open live" reads
                         "not read")
${NO_COLOR_HELP}
${connectionHelp(FLAGS)}
Exit status: 0 none expired and still open live, 2 one is expired and still open live (with
--offline: one is expired whose country no other entry grants), 1 error (invalid policy, an account
that could not be read).
`;

/** The report of the policy alone, or of the policy against live state; null after printing why there is none. */
async function exceptionReport(settings: CliSettings, io: CliIO, offline: boolean) {
  const now = new Date();
  if (offline) {
    const policy = await loadPolicyForCommand(settings, io, now);
    if (!policy) return null;
    const { desired } = policy;
    return report(desired.file, desired.expiry.warningDays, false, exceptionStatuses(desired, null), 0);
  }
  const made = await makePlan(settings, io, now);
  if (!made) return null;
  await made.session.close();
  const { desired, plan } = made;
  const statuses = exceptionStatuses(desired, plan);
  return report(desired.file, desired.expiry.warningDays, true, statuses, plan.summary.errors);
}

const report = (
  policyFile: string,
  warningDays: number,
  live: boolean,
  exceptions: ExceptionReport['exceptions'],
  errors: number,
): ExceptionReport => ({ schemaVersion: 1, policyFile, warningDays, live, exceptions, errors });

export const exceptionsCommand: Command = async (args, io) => {
  const settings = readCliSettings('exceptions', args, io, FLAGS);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const listed = await exceptionReport(settings, io, settings.offline);
  if (!listed) return 1;
  await emit(settings, io, formatReport(settings, 'exceptions', listed), exceptionsSummaryLine(listed));
  if (listed.errors > 0) {
    io.stderr.write(
      `error: ${listed.errors} account(s) could not be read; whether their exceptions are open live is unknown\n`,
    );
    return 1;
  }
  const due = listed.live
    ? listed.exceptions.some(expiredAndOpen)
    : // Nothing shows it closed; one whose country another entry grants is open by the policy.
      listed.exceptions.some((s) => s.exception.daysLeft < 0 && !s.grantedOtherwise);
  return due ? 2 : 0;
};
