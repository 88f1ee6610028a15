import { readAccount } from '../../live/read.js';
import type { LiveAccount } from '../../model/live.js';
import { explainNumber, parseNumber, voiceEntryOf, type ParsedNumber } from '../../plan/why.js';
import type { Command } from '../io.js';
import { UsageError } from '../io.js';
import { formatReport } from '../report-format.js';
import { loadDesiredForCommand, openTwilio } from '../session.js';
import { CONNECTION_FLAGS, NO_COLOR_HELP, connectionHelp, readCliSettings } from '../args.js';
import type { FlagName } from '../flags.js';

const FLAGS: readonly FlagName[] = ['account', 'policy', 'demo', 'format', ...CONNECTION_FLAGS];

const HELP = `Usage: geo-permissions why NUMBER [--account NAME] [--policy FILE] [--format text|json]

Can this account call / text NUMBER (E.164, e.g. +442079460123)? For voice and SMS: allowed or
blocked, by which entry of Twilio's list for that product and which permission (voice lists +1 as
US "United States/Canada", so +1416… is US for voice and CA for SMS; the longest listed prefix wins,
+1787… is PR; a number on one of Twilio's high-risk special prefixes counts as high-risk special), the Twilio error a blocked call or message gets (voice 21215 / 13227 /
32205, SMS 21408), and the policy line that would change it.

Options:
  --account NAME         the account, by its name in the policy (default: the first account)
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default) or json
${NO_COLOR_HELP}
${connectionHelp(FLAGS)}
Exit status: 0 answered, 1 error (bad number, unknown account, live state not readable).
`;

export const whyCommand: Command = async (args, io) => {
  const settings = readCliSettings('why', args, io, FLAGS, 1);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const text = settings.positionals[0];
  if (!text) throw new UsageError('why: give the phone number, e.g. `geo-permissions why +442079460123`');
  if (settings.format === 'markdown') throw new UsageError('why: --format is text or json');
  let number: ParsedNumber;
  try {
    number = parseNumber(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const desired = await loadDesiredForCommand(settings, io, new Date());
  if (!desired) return 1;
  const account = settings.account
    ? desired.accounts.find((a) => a.name === settings.account || a.sid === settings.account)
    : desired.accounts[0];
  if (!account) {
    const known = desired.accounts.map((a) => a.name).join(', ');
    throw new UsageError(`why: no account "${settings.account}" in the policy; accounts: ${known}`);
  }
  const session = await openTwilio(settings);
  let live: LiveAccount | null = null;
  let prefixes: string[] | null = null;
  let failure: string | null = null;
  try {
    const client = await session.gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
    live = await readAccount(client, account);
    if (client.listHighRiskSpecialPrefixes) {
      try {
        // Twilio's voice entry, not the number's ISO region: +1416… asks US "United States/Canada".
        prefixes = await client.listHighRiskSpecialPrefixes(voiceEntryOf(number, live));
      } catch {
        prefixes = null; // explained in the answer as "prefix data unavailable"
      }
    }
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  } finally {
    await session.close();
  }
  const answer = explainNumber({ desired, account, live, number, highRiskSpecialPrefixes: prefixes });
  io.stdout.write(formatReport(settings, 'why', answer));
  if (failure) {
    io.stderr.write(
      `error: live state of ${account.name} not read (the answer follows the policy only): ${failure}\n`,
    );
    return 1;
  }
  return 0;
};
