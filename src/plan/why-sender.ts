// `why NUMBER --from SENDER`: the answer for the account that owns the sender, since Twilio applies geo
// permissions per account. Pure: the owner and its live state are found elsewhere (live/sender.ts) and
// passed in; this parses what the user wrote and puts the owner's facts beside the answer.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DesiredAccount } from '../model/desired.js';
import { E164, MESSAGING_SERVICE_SID, PHONE_NUMBER_SID } from '../model/patterns.js';
import type { OwnedSender, SenderRef } from '../model/twilio-port.js';
import { denyAll, type GovernedFleet } from './fleet.js';
import {
  explainNumber,
  type ChannelAnswer,
  type ParsedNumber,
  type WhyAnswer,
  type WhyInput,
} from './why.js';

const SENDER_FORMS =
  'a phone number in E.164 form (+14155550100), a Messaging Service SID (MG and 32 hex digits) or an IncomingPhoneNumber SID (PN and 32 hex digits)';

/** Parses `--from`; throws one line saying what to write instead. */
export function parseSender(text: string): SenderRef {
  const given = text.trim();
  // Twilio issues SIDs with lower-case hex digits; one pasted in upper case means the same resource.
  const sid = `${given.slice(0, 2)}${given.slice(2).toLowerCase()}`;
  if (MESSAGING_SERVICE_SID.test(given)) return { kind: 'messaging-service', sid };
  if (PHONE_NUMBER_SID.test(given)) return { kind: 'phone-number-sid', sid };
  const e164 = senderNumber(given);
  if (e164) return { kind: 'phone-number', e164 };
  const prefix = /^(MG|PN)/i.exec(given)?.[1]?.toUpperCase();
  const hint = prefix ? `: ${prefix} SIDs are ${prefix} followed by 32 hex digits` : '';
  throw new Error(`--from "${given}" is not a sender${hint}; give ${SENDER_FORMS}`);
}

/**
 * The number as Twilio lists it. Spaces, dashes, dots and brackets as people write numbers are dropped,
 * and so is a trunk prefix written after the country code ("+44 (0)20 …" is +4420…): libphonenumber
 * drops it when the number is valid without it. A number it does not know keeps its digits as written.
 */
function senderNumber(given: string): string | null {
  // \p{Pd}: any dash, as pasted from a document (en dash, non-breaking hyphen), not only "-".
  const digits = given.replace(/[\s().\p{Pd}]/gu, '');
  if (!E164.test(digits)) return null;
  const parsed = parsePhoneNumberFromString(digits);
  return parsed?.isValid() ? parsed.number : digits;
}

/** How the owner is governed: its own policy entry, a fleet template, or neither (unmanaged). */
export type Governance = 'account' | 'fleet' | 'unmanaged';

/** Which accounts were asked, which could not be, and what was not searched at all. */
export interface SenderSearchFacts {
  asked: string[];
  errors: Array<{ account: string; sid: string; message: string }>;
  /** e.g. that a parent's subaccounts could not be listed, so they were not searched. */
  notes: string[];
  /** Every account that may own the sender answered: no lookup failed and every parent's subaccounts were listed. */
  complete: boolean;
}

export interface SenderWhyAnswer extends Omit<WhyAnswer, 'voice'> {
  sender: { given: string } & OwnedSender;
  owner: {
    account: string;
    sid: string;
    parent: string | null;
    governance: Governance;
    /** The fleet template of a member; null otherwise. */
    fleet: string | null;
  };
  search: SenderSearchFacts;
  /** null for a Messaging Service: it only sends messages. */
  voice: ChannelAnswer | null;
}

export interface SenderNotFound {
  number: ParsedNumber;
  countryName: string | null;
  /** What was given, and what was searched (the number as Twilio lists it, or the SID). */
  sender: { given: string } & SenderRef;
  owner: null;
  search: SenderSearchFacts;
  /** What to check, one sentence each. */
  checks: string[];
}

export interface SenderInput extends Omit<WhyInput, 'unmanaged'> {
  given: string;
  sender: OwnedSender;
  governance: Governance;
  search: SenderSearchFacts;
}

/** A capability the number lacks is refused before geo permissions matter. */
function capabilityNote(sender: OwnedSender, what: 'voice' | 'sms'): string[] {
  if (!sender.capabilities || sender.capabilities[what]) return [];
  const product = what === 'voice' ? 'calls' : 'messages';
  return [
    `${sender.phoneNumber ?? sender.sid} has no ${what === 'voice' ? 'voice' : 'SMS'} capability: Twilio refuses ${product} from it whatever the geo permissions`,
  ];
}

export function explainSender(input: SenderInput): SenderWhyAnswer {
  const { account, sender, governance } = input;
  const unmanaged = governance === 'unmanaged' ? { account: account.name, parent: account.parent } : null;
  const base = explainNumber({ ...input, unmanaged });
  const service = sender.kind === 'messaging-service';
  const voice = service
    ? null
    : { ...base.voice, notes: [...base.voice.notes, ...capabilityNote(sender, 'voice')] };
  const poolNote = sender.sendersError
    ? [`the sender pool of ${sender.sid} was not listed: ${sender.sendersError}`]
    : [];
  const sms = { ...base.sms, notes: [...base.sms.notes, ...capabilityNote(sender, 'sms'), ...poolNote] };
  return {
    ...base,
    voice,
    sms,
    sender: { given: input.given, ...sender },
    owner: ownerOf(account, governance),
    search: input.search,
  };
}

function ownerOf(account: DesiredAccount, governance: Governance): SenderWhyAnswer['owner'] {
  return {
    account: account.name,
    sid: account.sid,
    parent: account.parent,
    governance,
    fleet: account.fleet?.fleet ?? null,
  };
}

/** The answer when no searched account owns the sender: what was searched, and what to check. */
export function senderNotFound(input: {
  number: ParsedNumber;
  countryName: string | null;
  given: string;
  sender: SenderRef;
  search: SenderSearchFacts;
}): SenderNotFound {
  const { sender, search } = input;
  const checks =
    sender.kind === 'messaging-service'
      ? ['the Messaging Service SID, as Console > Messaging > Services shows it in the account that sends']
      : sender.kind === 'phone-number-sid'
        ? ['the IncomingPhoneNumber SID, as Console > Phone Numbers > Active numbers shows it']
        : [
            'the number as Twilio lists it (Console > Phone Numbers > Active numbers), with its country code; a verified caller ID or a number ported away is not an IncomingPhoneNumber',
          ];
  checks.push(
    'that the account owning it is in the policy (accounts:), or a subaccount of a parent the policy names, which discovery lists',
  );
  if (!search.complete)
    checks.push('the accounts that could not be searched or were not (below): any of them may own it');
  return {
    number: input.number,
    countryName: input.countryName,
    sender: { given: input.given, ...sender },
    owner: null,
    search,
    checks,
  };
}

/**
 * The owner found among the discovered accounts, as the plan governs it: a template member with its
 * template's lists, or an unmanaged subaccount with the lists of nothing (denyAll). Null when `sid` is
 * none of them.
 */
export function governedOwner(
  governed: GovernedFleet,
  sid: string,
): { account: DesiredAccount; governance: Governance } | null {
  const member = governed.desired.accounts.find((a) => a.sid === sid);
  if (member) return { account: member, governance: member.fleet ? 'fleet' : 'account' };
  const unmanaged = governed.unmanaged.find((u) => u.sid === sid);
  return unmanaged ? { account: denyAll(unmanaged), governance: 'unmanaged' } : null;
}

/** What discovery left unsearched, one sentence each (a failed listing, ignore, suspended, conflicts). */
export function discoveryNotes(
  desired: { unmanaged?: { mode: string } | null },
  governed: GovernedFleet,
): string[] {
  const notes = governed.discovery.parents
    .filter((p) => p.error !== null)
    .map(
      (p) =>
        `the subaccounts of ${p.parent} could not be listed, so they were not searched: ${p.error ?? ''}`,
    );
  if (desired.unmanaged?.mode === 'ignore')
    notes.push('unmanaged: ignore: subaccounts no policy entry or fleet template names were not searched');
  for (const s of governed.suspended)
    notes.push(
      `${s.friendlyName} (${s.sid}) is suspended: Twilio refuses its requests, so it was not searched`,
    );
  for (const c of governed.conflicts)
    notes.push(`${c.friendlyName} (${c.sid}) is matched by two fleet templates, so it was not searched`);
  return notes;
}
