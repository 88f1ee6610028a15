import { discoverSubaccounts } from '../../live/discover.js';
import { readAccount } from '../../live/read.js';
import { findSenderOwner } from '../../live/sender.js';
import type { DesiredAccount, DesiredState } from '../../model/desired.js';
import type { LiveAccount } from '../../model/live.js';
import type { OwnedSender, SenderRef, TwilioGateway } from '../../model/twilio-port.js';
import { governFleet } from '../../plan/fleet.js';
import { explainNumber, parseNumber, voiceEntryOf, type ParsedNumber } from '../../plan/why.js';
import {
  discoveryNotes,
  explainSender,
  governedOwner,
  parseSender,
  senderNotFound,
  type Governance,
  type SenderSearchFacts,
} from '../../plan/why-sender.js';
import { countryInfo } from '../../catalog/index.js';
import { termText } from '../../report/escape.js';
import type { CliIO, Command } from '../io.js';
import { UsageError } from '../io.js';
import { formatReport } from '../report-format.js';
import { loadDesiredForCommand, openTwilio } from '../session.js';
import {
  CONNECTION_FLAGS,
  NO_COLOR_HELP,
  connectionHelp,
  readCliSettings,
  type CliSettings,
} from '../args.js';
import type { FlagName } from '../flags.js';

const FLAGS: readonly FlagName[] = [
  'account',
  'from',
  'policy',
  'demo',
  'format',
  'concurrency',
  ...CONNECTION_FLAGS,
];

const HELP = `Usage: geo-permissions why NUMBER [--account NAME | --from SENDER] [--policy FILE] [--format text|json]

Can this account call / text NUMBER (E.164, e.g. +442079460123)? For voice and SMS: allowed or
blocked, by which entry of Twilio's list for that product and which permission (voice lists +1 as
US "United States/Canada", so +1416… is US for voice and CA for SMS; the longest listed prefix wins,
+1787… is PR; a number on one of Twilio's high-risk special prefixes counts as high-risk special), the Twilio error a blocked call or message gets (voice 21215 / 13227 /
32205, SMS 21408), and the policy line that would change it.

With --from, the account is the one that owns the sender, since Twilio applies the geo permissions
of the account the call or message is sent from: the policy's accounts are searched first, then the
subaccounts discovery lists (fleet template members, unmanaged subaccounts), stopping at the owner.
A Messaging Service sends messages only, so it gets the SMS answer alone.

Options:
  --account NAME         the account, by its name in the policy (default: the first account)
  --from SENDER          the sender: a phone number (+14155550100), a Messaging Service SID (MG…)
                         or an IncomingPhoneNumber SID (PN…); answers for the account owning it
  --policy FILE          the policy file (default: geo-permissions.yml)
  --format F             text (default) or json
${NO_COLOR_HELP}
${connectionHelp(FLAGS)}
Exit status: 0 answered, 2 no account that may own the --from sender owns it, 1 error (bad number
or sender, unknown account, live state not readable, an account that could not be searched or was
not: suspended, or matched by two fleet templates).
`;

/** What `why` reads for the account that answers: its live state and the number's prefixes. */
interface WhyRead {
  live: LiveAccount | null;
  prefixes: string[] | null;
  /** Why the live state was not read; the answer then follows the policy only. */
  failure: string | null;
}

async function readForWhy(
  gateway: TwilioGateway,
  account: Pick<DesiredAccount, 'sid' | 'parentSid'>,
  number: ParsedNumber,
): Promise<WhyRead> {
  const read: WhyRead = { live: null, prefixes: null, failure: null };
  try {
    const client = await gateway.forAccount({ sid: account.sid, parentSid: account.parentSid });
    read.live = await readAccount(client, account);
    if (client.listHighRiskSpecialPrefixes) {
      try {
        // Twilio's voice entry, not the number's ISO region: +1416… asks US "United States/Canada".
        read.prefixes = await client.listHighRiskSpecialPrefixes(voiceEntryOf(number, read.live));
      } catch {
        read.prefixes = null; // explained in the answer as "prefix data unavailable"
      }
    }
  } catch (err) {
    read.failure = err instanceof Error ? err.message : String(err);
  }
  return read;
}

function liveNotRead(io: CliIO, account: string, read: WhyRead): number {
  if (!read.failure) return 0;
  io.stderr.write(
    `error: live state of ${termText(account)} not read (the answer follows the policy only): ${termText(read.failure)}\n`,
  );
  return 1;
}

export const whyCommand: Command = async (args, io) => {
  const settings = readCliSettings('why', args, io, FLAGS, 1);
  if (settings === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  const text = settings.positionals[0];
  if (!text) throw new UsageError('why: give the phone number, e.g. `geo-permissions why +442079460123`');
  if (settings.format === 'markdown') throw new UsageError('why: --format is text or json');
  if (settings.from !== null && settings.account !== null)
    throw new UsageError('why: --from finds the account that owns the sender; drop --account');
  let number: ParsedNumber;
  let sender: SenderRef | null;
  try {
    number = parseNumber(text);
    sender = settings.from === null ? null : parseSender(settings.from);
  } catch (err) {
    // The message quotes what was given, which may come from a webhook's From: no control character.
    throw new UsageError(termText((err as Error).message));
  }
  const desired = await loadDesiredForCommand(settings, io, new Date());
  if (!desired) return 1;
  if (sender) return whyFrom(settings, io, { desired, number, sender });
  const account = settings.account
    ? desired.accounts.find((a) => a.name === settings.account || a.sid === settings.account)
    : desired.accounts[0];
  if (!account) {
    const known = desired.accounts.map((a) => a.name).join(', ');
    throw new UsageError(`why: no account "${settings.account}" in the policy; accounts: ${known}`);
  }
  const session = await openTwilio(settings);
  const read = await readForWhy(session.gateway, account, number).finally(() => session.close());
  const answer = explainNumber({
    desired,
    account,
    live: read.live,
    number,
    highRiskSpecialPrefixes: read.prefixes,
  });
  io.stdout.write(formatReport(settings, 'why', answer));
  return liveNotRead(io, account.name, read);
};

interface OwnerSearch {
  search: SenderSearchFacts;
  /** The owner with the desired state that governs it; null when no searched account owns the sender. */
  owner: {
    account: DesiredAccount;
    governance: Governance;
    sender: OwnedSender;
    desired: DesiredState;
  } | null;
}

/**
 * The policy's accounts first: most senders live there, and then no subaccount list is needed. Only
 * when none owns it are the parents' subaccounts listed and the ones the plan would read searched.
 */
async function searchOwner(
  gateway: TwilioGateway,
  desired: DesiredState,
  sender: SenderRef,
  concurrency: number,
): Promise<OwnerSearch> {
  const first = await findSenderOwner(gateway, desired.accounts, sender, { concurrency });
  const search: SenderSearchFacts = { asked: first.asked, errors: first.errors, notes: [], complete: true };
  if (first.owner) {
    const { account, sender: owned } = first.owner;
    return { search, owner: { account, governance: 'account', sender: owned, desired } };
  }
  const governed = governFleet(desired, await discoverSubaccounts(gateway, desired, { concurrency }));
  search.notes.push(...discoveryNotes(desired, governed));
  const known = new Set(desired.accounts.map((a) => a.sid));
  const rest = governed.reads.filter((a) => !known.has(a.sid));
  const more = await findSenderOwner(gateway, rest, sender, { concurrency });
  search.asked.push(...more.asked);
  search.errors.push(...more.errors);
  // A suspended subaccount (Twilio refuses its requests) or one two templates match is not searched,
  // yet may own the sender: like a failed lookup, it leaves "owned by none" unproven.
  search.complete =
    search.errors.length === 0 &&
    governed.discovery.parents.every((p) => p.error === null) &&
    governed.suspended.length === 0 &&
    governed.conflicts.length === 0;
  const owned = more.owner && governedOwner(governed, more.owner.account.sid);
  if (!more.owner || !owned) return { search, owner: null };
  return { search, owner: { ...owned, sender: more.owner.sender, desired: governed.desired } };
}

async function whyFrom(
  settings: CliSettings,
  io: CliIO,
  asked: { desired: DesiredState; number: ParsedNumber; sender: SenderRef },
): Promise<number> {
  const { desired, number, sender } = asked;
  const given = settings.from ?? '';
  const session = await openTwilio(settings);
  try {
    const { search, owner } = await searchOwner(session.gateway, desired, sender, settings.concurrency);
    if (!owner) {
      const countryName = countryInfo(number.country)?.name ?? null;
      io.stdout.write(
        formatReport(settings, 'why', senderNotFound({ number, countryName, given, sender, search })),
      );
      // Owned by none of the accounts that may own it: a finding (2); with some unsearched, unknown (1).
      return search.complete ? 2 : 1;
    }
    const read = await readForWhy(session.gateway, owner.account, number);
    const answer = explainSender({
      desired: owner.desired,
      account: owner.account,
      live: read.live,
      number,
      highRiskSpecialPrefixes: read.prefixes,
      given,
      sender: owner.sender,
      governance: owner.governance,
      search,
    });
    io.stdout.write(formatReport(settings, 'why', answer));
    return liveNotRead(io, owner.account.name, read);
  } finally {
    await session.close();
  }
}
