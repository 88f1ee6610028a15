import type { Plan } from '../../core/plan-model.js';
import { readLiveState } from '../../engine/read.js';
import { buildPlan } from '../../plan/build.js';
import { planSummaryLine } from '../../report/format.js';
import { planToJson } from '../../report/json.js';
import { renderPlanMarkdown } from '../../report/markdown.js';
import { renderPlanText } from '../../report/text.js';
import type { CliIO, Command } from '../io.js';
import { emit, loadDesired, openTwilio, progressLine } from '../session.js';
import { readSettings, type CliSettings } from '../settings.js';

export const CONNECTION_HELP = `Twilio:
  --twilio-url URL       send every Twilio request to URL (an emulator; env TWILIO_API_URL)
  --demo                 run against an in-process emulator with a demo fleet; without --policy,
                         uses the bundled examples/geo-permissions.yml
  --concurrency N        accounts read or written at once (default 8)
  --shard I/N            only shard I of N (plan, apply, drift): account families are split by a
                         hash of the parent's SID, so matrix jobs share a fleet
  Credentials: TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + TWILIO_API_SECRET +
  TWILIO_ACCOUNT_SID; optional TWILIO_CREDENTIALS = {"AC…": {"authToken": "…"}} per account.
`;

const HELP = `Usage: geo-permissions plan [--policy FILE] [--format text|markdown|json] [--out FILE] [--detailed-exitcode]

Compares live Twilio state with the policy: every cell that differs, from -> to, with its risk tier.

Options:
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default), markdown (comments, summaries) or json (docs/json-schema.md)
  --out FILE             write the report to FILE; stdout gets the summary line
  --detailed-exitcode    exit 2 when there are changes
${CONNECTION_HELP}
Exit status: 0 no changes (or changes without --detailed-exitcode), 2 changes with
--detailed-exitcode, 1 error (invalid policy, an account that could not be read).
`;

export function renderPlan(plan: Plan, settings: CliSettings): string {
  if (settings.format === 'json') return planToJson(plan);
  if (settings.format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color: settings.color && !settings.out });
}

/** Policy + live state -> plan, or null after printing why there is none. */
export async function makePlan(settings: CliSettings, io: CliIO, now = new Date()) {
  const desired = await loadDesired(settings, io, now);
  if (!desired) return null;
  const session = await openTwilio(settings);
  const progress = progressLine(settings, io, 'reading accounts');
  try {
    const live = await readLiveState(session.gateway, desired, {
      concurrency: settings.concurrency,
      onProgress: progress.update,
    });
    progress.done();
    return { desired, live, plan: buildPlan(desired, live), session };
  } catch (err) {
    progress.done();
    await session.close();
    throw err;
  }
}

export const planCommand: Command = async (args, io) => {
  const settings = readSettings('plan', args, io, [
    'policy',
    'demo',
    'format',
    'out',
    'detailed-exitcode',
    'concurrency',
    'twilio-url',
    'shard',
  ]);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const made = await makePlan(settings, io);
  if (!made) return 1;
  await made.session.close();
  const { plan } = made;
  await emit(settings, io, renderPlan(plan, settings), planSummaryLine(plan));
  if (plan.summary.errors > 0) {
    io.stderr.write(
      `error: ${plan.summary.errors} account(s) could not be read; the plan is incomplete (see the report)\n`,
    );
    return 1;
  }
  return settings.detailedExitcode && plan.summary.changes > 0 ? 2 : 0;
};
