/**
 * What Twilio does differently from a plain ISO 3166 table. Kept by hand because Twilio publishes these
 * only in prose (error 30649, the SMS geo permissions guide); see DESIGN.md "Twilio facts".
 */

/** Messaging to these can only be enabled in the Console: the API answers error 30649 per item. */
export const CONSOLE_ONLY_MESSAGING: readonly string[] = [
  'BD',
  'IL',
  'NG',
  'PK',
  'PS',
  'LK',
  'AZ',
  'TJ',
  'OM',
  'TN',
  'DZ',
];

/** Twilio ignores messaging permission updates for these (Iran, Syria, Cuba). */
export const UNSUPPORTED_DESTINATIONS: readonly string[] = ['IR', 'SY', 'CU'];

/**
 * Codes people write that are not ISO 3166-1 alpha-2, mapped to the code Twilio uses.
 * UK and EL are the codes the EU uses for the United Kingdom and Greece.
 */
export const CODE_ALIASES: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

/**
 * Region names Twilio uses (voice `name`, Monitor Event payload keys) that differ from the English
 * names in countries-list. Lower-case, without punctuation; see normalizeName in names.ts.
 */
export const EXTRA_NAMES: Readonly<Record<string, string>> = {
  canada: 'CA',
  cocos: 'CC',
  'cocos islands': 'CC',
  'cocos keeling islands': 'CC',
  'keeling islands': 'CC',
  'christmas island': 'CX',
  'cote divoire': 'CI',
  'south korea': 'KR',
  korea: 'KR',
  'north korea': 'KP',
  'russian federation': 'RU',
  vatican: 'VA',
  'palestinian territories': 'PS',
  palestine: 'PS',
  'palestinian territory': 'PS',
  macedonia: 'MK',
  'virgin islands british': 'VG',
  'british virgin islands': 'VG',
  'virgin islands us': 'VI',
  'us virgin islands': 'VI',
  'east timor': 'TL',
  'timor leste': 'TL',
  'st helena': 'SH',
  'st lucia': 'LC',
  'st kitts and nevis': 'KN',
  'st vincent and the grenadines': 'VC',
  'st pierre and miquelon': 'PM',
  'sao tome and principe': 'ST',
  curacao: 'CW',
  reunion: 'RE',
  'bosnia and herzegovina': 'BA',
  'trinidad and tobago': 'TT',
  'turks and caicos islands': 'TC',
  'turks and caicos': 'TC',
  'antigua and barbuda': 'AG',
  'united states': 'US',
  'united kingdom': 'GB',
};

/**
 * Voice lists +1 as one entry, US "United States/Canada" (voice v1 OpenAPI, the DialingPermissions
 * Countries examples): these ISO codes have no voice entry of their own and are dialled through the
 * entry named here. The other NANP members (PR, JM, BS, DO, …) keep their own entries with their
 * +1NXX codes. Canada is confirmed by the example's name; UM (calling code +1 in countries-list) is an
 * assumption, see docs/emulator.md "Twilio's country lists".
 */
export const VOICE_COVERED_BY: Readonly<Record<string, string>> = { CA: 'US', UM: 'US' };

/** Twilio's name for the voice entries it names differently from the ISO catalog. */
export const VOICE_NAMES: Readonly<Record<string, string>> = { US: 'United States/Canada' };

/**
 * Twilio error codes that refuse a write for the credentials themselves, not for the cell: 20003
 * (authentication: a key or token that may not act here) and 70051 (a Restricted API key without the
 * write permission). A drift job given read-only credentials gets these when it closes expired cells.
 */
export const CANNOT_WRITE_CODES: readonly number[] = [20003, 70051];
