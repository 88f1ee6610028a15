// "Can this account call / text this number?": which country and permission decide it, what Twilio
// would answer, and which policy line would change it. Pure: live state and prefixes are passed in.
// The answer is data; report/why.ts puts it into words.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  countryInfo,
  entryForNumber,
  messagingCountries,
  voiceCountries,
  voiceCountry,
  type ListedPrefixes,
} from '../catalog/index.js';
import type { DesiredAccount, DesiredState, Grant, GrantSet, VoiceCategory } from '../model/desired.js';
import type { SourceLocation } from '../model/diagnostics.js';
import type { LiveAccount } from '../model/live.js';

export interface ParsedNumber {
  e164: string;
  /** ISO code of the region the number belongs to, per libphonenumber. */
  country: string;
  callingCode: string; // "+44"
  /** libphonenumber's type, e.g. FIXED_LINE, MOBILE, PREMIUM_RATE; null when unknown. */
  type: string | null;
}

/** Parses an E.164 number (with "+"); throws a message that says what to write instead. */
export function parseNumber(text: string): ParsedNumber {
  const parsed = parsePhoneNumberFromString(text.trim());
  if (!parsed || !parsed.country)
    throw new Error(
      `"${text}" is not a phone number with a known country: write it in E.164 form with the plus sign, e.g. +442079460123`,
    );
  return {
    e164: parsed.number,
    country: parsed.country,
    callingCode: `+${parsed.countryCallingCode}`,
    type: parsed.getType() ?? null,
  };
}

export type Decision = 'allowed' | 'blocked';

export interface ChannelAnswer {
  /** The entry of this product's Twilio list the number falls under: voice US for +1416…, messaging CA. */
  country: string;
  /** That entry's name as Twilio lists it ("United States/Canada"), or null when unknown. */
  countryName: string | null;
  /** What Twilio does now (live), or null when the account's live state is unknown. */
  live: Decision | null;
  /** What the policy wants. */
  policy: Decision;
  /** The permission deciding it, e.g. "voice.high_risk_special". */
  permission: string;
  /** Twilio's errors when blocked: REST Calls 21215, TwiML <Dial> 13227, SIP trunking 32205; SMS 21408. */
  errors: Array<{ code: number; where: string }>;
  /** The policy node that allows it, or the list to add it to. */
  policyLine: SourceLocation | null;
  /** One sentence: what to edit to change the answer. */
  change: string;
  notes: string[];
}

export interface WhyAnswer {
  number: ParsedNumber;
  /** The number's own country (libphonenumber); each channel names the Twilio entry that decides it. */
  countryName: string | null;
  account: string;
  sid: string;
  voice: ChannelAnswer;
  sms: ChannelAnswer;
}

export interface WhyInput {
  desired: DesiredState;
  account: DesiredAccount;
  live: LiveAccount | null;
  number: ParsedNumber;
  /** Twilio's high-risk special prefixes of the number's voice entry (voiceEntryOf); null when unavailable. */
  highRiskSpecialPrefixes: string[] | null;
  /** Set when `account` is a discovered subaccount no policy entry or template governs (deny-all lists). */
  unmanaged?: { account: string; parent: string | null } | null;
}

const VOICE_ERRORS = [
  { code: 21215, where: 'REST API call create' },
  { code: 13227, where: 'TwiML <Dial>' },
  { code: 32205, where: 'Elastic SIP Trunking' },
];

const at = (loc: SourceLocation): string => `${loc.file}:${loc.line}:${loc.column}`;
const via = (g: Grant): string => (g.via.length > 0 ? ` (via ${g.via.join(' > ')})` : '');

function voiceCategory(input: WhyInput, voiceIso: string): { category: VoiceCategory; notes: string[] } {
  const { number, highRiskSpecialPrefixes: prefixes } = input;
  const notes: string[] = [];
  if (prefixes === null) {
    notes.push('prefix data unavailable: cannot tell whether Twilio counts this number as high-risk special');
    if (number.type === 'PREMIUM_RATE' || number.type === 'SHARED_COST') {
      notes.push(
        `libphonenumber classifies it as ${number.type}, which Twilio usually counts as high-risk special`,
      );
      return { category: 'high_risk_special', notes };
    }
  } else {
    const match = prefixes.find((p) => number.e164.startsWith(p));
    if (match) {
      notes.push(`matches Twilio's high-risk special prefix ${match} for ${voiceIso}`);
      return { category: 'high_risk_special', notes };
    }
  }
  notes.push(
    'Twilio does not publish its toll-fraud (IRSF) ranges: if this is one, voice.high_risk_tollfraud decides instead',
  );
  return { category: 'low_risk', notes };
}

/** One channel's facts, from which `answer` decides. */
interface ChannelFacts {
  grants: GrantSet;
  entry: { iso: string; name: string | null };
  permission: string;
  /** Who holds the list to edit: an account, or a fleet template for its members. */
  listOwner: string;
  listLocation: SourceLocation;
  liveAllowed: boolean | null;
  errors: ChannelAnswer['errors'];
  notes: string[];
  /** Set for a subaccount no policy entry or template governs: live state alone decides. */
  unmanaged: { account: string; parent: string | null } | null;
}

function answer(facts: ChannelFacts): ChannelAnswer {
  const { grants, entry, permission, listOwner, listLocation, liveAllowed, notes, unmanaged } = facts;
  const { iso } = entry;
  const grant = grants[iso];
  const policy: Decision = grant ? 'allowed' : 'blocked';
  const live = liveAllowed === null ? null : liveAllowed ? 'allowed' : 'blocked';
  if (live !== null && live !== policy && !unmanaged)
    notes.push(
      `live differs from the policy (drift or an unapplied change): Twilio ${live === 'allowed' ? 'allows' : 'blocks'} it now`,
    );
  return {
    country: iso,
    countryName: entry.name,
    live,
    policy,
    permission,
    errors: (live ?? policy) === 'blocked' ? facts.errors : [],
    policyLine: unmanaged ? null : grant ? grant.location : listLocation,
    change: unmanaged
      ? unmanagedChange(unmanaged)
      : grant
        ? `allowed by ${at(grant.location)}${via(grant)}; remove ${iso} there to block it`
        : `blocked: no list allows ${iso}; add ${iso} to ${permission} of ${listOwner} (${at(listLocation)}) to allow it`,
    notes,
  };
}

const unmanagedChange = (u: { account: string; parent: string | null }): string =>
  `${u.account} is in no policy entry or fleet template (an unmanaged subaccount${u.parent ? ` of ${u.parent}` : ''}): its live state alone decides; give it an entry under accounts: or a fleet template that matches it to manage it`;

/** Where a blocked cell's list is edited: a template member's lists are its fleet template's. */
const listOwnerOf = (account: DesiredAccount): string =>
  account.fleet ? `fleet ${account.fleet.fleet}` : account.name;

/**
 * Twilio decides a call by the live inheritance setting: when it is not the policy's, the live answer
 * comes from other lists than the policy's answer, and the answer says whose.
 */
function liveInheritanceNote(account: DesiredAccount, live: LiveAccount | null): string[] {
  const inherits = live?.voiceInheritance ?? null;
  if (inherits === null || inherits === account.voice.inherit) return [];
  const parent = account.parent ?? 'its parent';
  return [
    inherits
      ? `live, ${account.name} inherits (DialingPermissionsInheritance is on): the voice lists of ${parent} decide, not its own`
      : `live, ${account.name} does not inherit (DialingPermissionsInheritance is off): its own voice lists decide, not those of ${parent}`,
  ];
}

/** Which entry of a product's list a number falls under: by the longest listed prefix, Twilio's own when read. */
function entryOf(number: ParsedNumber, listed: ListedPrefixes[], catalog: ListedPrefixes[]): string {
  const entries = listed.length > 0 ? listed : catalog;
  return entryForNumber({ e164: number.e164, region: number.country }, entries) ?? number.country;
}

const catalogPrefixes = (list: ReturnType<typeof voiceCountries>): ListedPrefixes[] =>
  list.map((c) => ({ iso: c.iso, prefixes: c.callingCodes }));

/** The voice entry deciding a call: +1416… is US "United States/Canada", +1787… PR (voice lists no CA). */
export function voiceEntryOf(number: ParsedNumber, live: LiveAccount | null): string {
  const listed = Object.values(live?.voice ?? {}).map((c) => ({ iso: c.iso, prefixes: c.callingCodes }));
  return entryOf(number, listed, catalogPrefixes(voiceCountries()));
}

/** The messaging entry deciding an SMS: messaging lists CA on its own, so +1416… is CA. */
export function messagingEntryOf(number: ParsedNumber, live: LiveAccount | null): string {
  const listed = Object.values(live?.messaging ?? {}).map((c) => ({
    iso: c.iso,
    prefixes: c.prefix ? [c.prefix] : (countryInfo(c.iso)?.callingCodes ?? []),
  }));
  return entryOf(number, listed, catalogPrefixes(messagingCountries()));
}

/** A note when Twilio's entry is not the number's own country (a +1 neighbour dialled through US). */
function entryNote(
  product: string,
  number: ParsedNumber,
  entry: { iso: string; name: string | null },
): string[] {
  if (entry.iso === number.country) return [];
  return [
    `Twilio's ${product} list has no entry of its own for ${number.country} numbers like this one: ${entry.iso}${entry.name ? ` "${entry.name}"` : ''} decides it`,
  ];
}

/** Both products' entries for the number, named as Twilio lists them (the live name when read). */
function entriesOf(number: ParsedNumber, live: LiveAccount | null) {
  const voiceIso = voiceEntryOf(number, live);
  const smsIso = messagingEntryOf(number, live);
  return {
    voiceEntry: { iso: voiceIso, name: live?.voice[voiceIso]?.name ?? voiceCountry(voiceIso)?.name ?? null },
    smsEntry: { iso: smsIso, name: countryInfo(smsIso)?.name ?? null },
  };
}

export function explainNumber(input: WhyInput): WhyAnswer {
  const { account, live, number, desired } = input;
  const { voiceEntry, smsEntry } = entriesOf(number, live);
  const voiceIso = voiceEntry.iso;
  const smsIso = smsEntry.iso;
  const unmanaged = input.unmanaged ?? null;
  const notes: string[] = entryNote('voice', number, voiceEntry);
  // An inheriting subaccount uses its parent's voice lists.
  let voiceOwner = account;
  if (account.voice.inherit) {
    const parent = desired.accounts.find((a) => a.name === account.parent);
    if (parent) {
      voiceOwner = parent;
      notes.push(`${account.name} inherits voice permissions from ${parent.name}`);
    }
  }
  if (!unmanaged) notes.push(...liveInheritanceNote(account, live));
  const { category, notes: categoryNotes } = voiceCategory(input, voiceIso);
  notes.push(...categoryNotes);
  const liveVoice = live?.voice[voiceIso];
  if (live && !liveVoice) notes.push(`Twilio lists no voice permissions for ${voiceIso} on this account`);
  const voiceLists = voiceOwner.voice.inherit ? null : voiceOwner.voice;
  const voice = answer({
    grants: voiceLists ? voiceLists[category] : {},
    entry: voiceEntry,
    permission: `voice.${category}`,
    listOwner: listOwnerOf(voiceOwner),
    listLocation: voiceOwner.voice.location,
    liveAllowed: live ? (liveVoice?.[category] ?? false) : null,
    errors: VOICE_ERRORS,
    notes,
    unmanaged,
  });
  const liveSms = live?.messaging[smsIso];
  const smsNotes: string[] = entryNote('messaging', number, smsEntry);
  if (live && !liveSms) smsNotes.push(`Twilio lists no messaging permission for ${smsIso} on this account`);
  const sms = answer({
    grants: account.messaging,
    entry: smsEntry,
    permission: 'messaging',
    listOwner: listOwnerOf(account),
    listLocation: account.location,
    liveAllowed: live ? (liveSms?.enabled ?? false) : null,
    errors: [{ code: 21408, where: 'Messages create' }],
    notes: smsNotes,
    unmanaged,
  });
  return {
    number,
    countryName: countryInfo(number.country)?.name ?? null,
    account: account.name,
    sid: account.sid,
    voice,
    sms,
  };
}
