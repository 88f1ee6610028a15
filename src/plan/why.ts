// "Can this account call / text this number?": which country and permission decide it, what Twilio
// would answer, and which policy line would change it. Pure: live state and prefixes are passed in.
// The answer is data; report/why.ts puts it into words.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { countryInfo } from '../catalog/index.js';
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
  /** Twilio's high-risk special prefixes of the number's country; null when unavailable. */
  highRiskSpecialPrefixes: string[] | null;
}

const VOICE_ERRORS = [
  { code: 21215, where: 'REST API call create' },
  { code: 13227, where: 'TwiML <Dial>' },
  { code: 32205, where: 'Elastic SIP Trunking' },
];

const at = (loc: SourceLocation): string => `${loc.file}:${loc.line}:${loc.column}`;
const via = (g: Grant): string => (g.via.length > 0 ? ` (via ${g.via.join(' > ')})` : '');

function voiceCategory(input: WhyInput): { category: VoiceCategory; notes: string[] } {
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
      notes.push(`matches Twilio's high-risk special prefix ${match} for ${number.country}`);
      return { category: 'high_risk_special', notes };
    }
  }
  notes.push(
    'Twilio does not publish its toll-fraud (IRSF) ranges: if this is one, voice.high_risk_tollfraud decides instead',
  );
  return { category: 'low_risk', notes };
}

function answer(
  grants: GrantSet,
  iso: string,
  permission: string,
  listOwner: string,
  listLocation: SourceLocation,
  liveAllowed: boolean | null,
  errors: ChannelAnswer['errors'],
  notes: string[],
): ChannelAnswer {
  const grant = grants[iso];
  const policy: Decision = grant ? 'allowed' : 'blocked';
  const change = grant
    ? `allowed by ${at(grant.location)}${via(grant)}; remove ${iso} there to block it`
    : `blocked: no list allows ${iso}; add ${iso} to ${permission} of ${listOwner} (${at(listLocation)}) to allow it`;
  const live = liveAllowed === null ? null : liveAllowed ? 'allowed' : 'blocked';
  if (live !== null && live !== policy)
    notes.push(
      `live differs from the policy (drift or an unapplied change): Twilio ${live === 'allowed' ? 'allows' : 'blocks'} it now`,
    );
  return {
    live,
    policy,
    permission,
    errors: (live ?? policy) === 'blocked' ? errors : [],
    policyLine: grant ? grant.location : listLocation,
    change,
    notes,
  };
}

export function explainNumber(input: WhyInput): WhyAnswer {
  const { account, live, number, desired } = input;
  const iso = number.country;
  const notes: string[] = [];
  // An inheriting subaccount uses its parent's voice lists.
  let voiceOwner = account;
  if (account.voice.inherit) {
    const parent = desired.accounts.find((a) => a.name === account.parent);
    if (parent) {
      voiceOwner = parent;
      notes.push(`${account.name} inherits voice permissions from ${parent.name}`);
    }
  }
  const { category, notes: categoryNotes } = voiceCategory(input);
  notes.push(...categoryNotes);
  const liveVoice = live?.voice[iso];
  if (live && !liveVoice) notes.push(`Twilio lists no voice permissions for ${iso} on this account`);
  const voiceLists = voiceOwner.voice.inherit ? null : voiceOwner.voice;
  const voice = answer(
    voiceLists ? voiceLists[category] : {},
    iso,
    `voice.${category}`,
    voiceOwner.name,
    voiceOwner.voice.location,
    live ? (liveVoice?.[category] ?? false) : null,
    VOICE_ERRORS,
    notes,
  );
  const liveSms = live?.messaging[iso];
  const smsNotes: string[] = [];
  if (live && !liveSms) smsNotes.push(`Twilio lists no messaging permission for ${iso} on this account`);
  const sms = answer(
    account.messaging,
    iso,
    'messaging',
    account.name,
    account.location,
    live ? (liveSms?.enabled ?? false) : null,
    [{ code: 21408, where: 'Messages create' }],
    smsNotes,
  );
  return {
    number,
    countryName: countryInfo(iso)?.name ?? null,
    account: account.name,
    sid: account.sid,
    voice,
    sms,
  };
}
