// The answer to "can this account call / text this number?", per channel: allowed or blocked, by which
// permission, what Twilio would answer, and the policy line that would change it. With `--from`, the
// sender and the account that owns it come first, or, when no account owns it, what was searched and
// what to check. The decisions are plan/why.ts's and plan/why-sender.ts's.
import type { ChannelAnswer, WhyAnswer } from '../plan/why.js';
import type { SenderNotFound, SenderWhyAnswer } from '../plan/why-sender.js';
import type { Escape } from './format.js';
import { mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { tableOf } from './markdown.js';

/** Every answer `why` gives: for one account, for a sender's owner, or that no account owns the sender. */
export type WhyReport = WhyAnswer | SenderWhyAnswer | SenderNotFound;
type Answered = WhyAnswer | SenderWhyAnswer;

const isNotFound = (a: WhyReport): a is SenderNotFound => 'owner' in a && a.owner === null;
const isSender = (a: Answered): a is SenderWhyAnswer => 'sender' in a;

// The number's fields come from libphonenumber (validated); the names, the sentences (which quote
// account, group and file names), Twilio's friendly names and error places are escaped for the format.
const numberText = (a: Pick<WhyAnswer, 'number' | 'countryName'>, esc: Escape): string =>
  `${a.number.e164}: ${esc(a.countryName ?? a.number.country)} (${a.number.country}, ${a.number.callingCode}${a.number.type ? `, ${a.number.type}` : ''})`;

const numberLine = (a: Answered, esc: Escape): string =>
  `${numberText(a, esc)}, account ${esc(a.account)} (${esc(a.sid)})`;

/** Whose sender it is: "a phone number of support-eu (AC…, subaccount of production), member of fleet eu". */
function senderLine(a: SenderWhyAnswer, esc: Escape): string {
  const s = a.sender;
  const name = s.friendlyName && s.friendlyName !== s.phoneNumber ? ` "${esc(s.friendlyName)}"` : '';
  const what =
    s.kind === 'messaging-service'
      ? `${esc(s.sid)}${name}, a Messaging Service`
      : `${esc(s.phoneNumber ?? s.sid)}${name} (${esc(s.sid)}), a phone number`;
  const o = a.owner;
  const parent = o.parent ? `, subaccount of ${esc(o.parent)}` : '';
  const governed =
    o.governance === 'fleet'
      ? `, member of fleet ${esc(o.fleet ?? '')}`
      : o.governance === 'unmanaged'
        ? ', unmanaged (in no policy entry or fleet template)'
        : '';
  const pool =
    s.senders === null
      ? ''
      : s.senders.length === 0
        ? '; its sender pool holds no phone numbers'
        : `; sends from ${s.senders.map(esc).join(', ')}`;
  const only = s.kind === 'messaging-service' ? '; messaging only' : '';
  const asked = `${a.search.asked.length} account${a.search.asked.length === 1 ? '' : 's'} asked`;
  return `sender ${what} of ${esc(o.account)} (${esc(o.sid)}${parent})${governed}${pool}${only}; ${asked}`;
}

/** Twilio's entry for the channel, named when it is not the number's own country (voice US for +1416…). */
const entry = (a: Answered, c: ChannelAnswer, esc: Escape): string =>
  `${esc(c.country)}${c.country !== a.number.country && c.countryName ? ` "${esc(c.countryName)}"` : ''}`;

const verdict = (c: ChannelAnswer): string => (c.live ?? c.policy).toUpperCase();
const notRead = (c: ChannelAnswer): string =>
  c.live === null ? ', per the policy; live state not read' : '';
const twilioAnswer = (c: ChannelAnswer, esc: Escape): string =>
  c.errors.map((e) => `${e.code} (${esc(e.where)})`).join(', ');

/** The channels answered: a Messaging Service has no voice. */
const channelsOf = (a: Answered): Array<[string, ChannelAnswer]> =>
  [['voice', a.voice] as const, ['sms', a.sms] as const].filter(
    (pair): pair is ['voice' | 'sms', ChannelAnswer] => pair[1] !== null,
  );

function channelText(a: Answered, label: string, c: ChannelAnswer): string[] {
  const lines = [`${label}: ${verdict(c)} (${termText(c.permission)} ${entry(a, c, termText)}${notRead(c)})`];
  if (c.errors.length > 0) lines.push(`  Twilio would answer: ${twilioAnswer(c, termText)}`);
  lines.push(`  policy: ${termText(c.change)}`);
  for (const n of c.notes) lines.push(`  note: ${termText(n)}`);
  return lines;
}

/** The searched accounts that could not answer, and what was left unsearched. */
function searchLines(n: SenderNotFound, esc: Escape, bullet: string): string[] {
  return [
    ...n.search.errors.map(
      (e) => `${bullet}not searched: ${esc(e.account)} (${esc(e.sid)}): ${esc(e.message)}`,
    ),
    ...n.search.notes.map((note) => `${bullet}note: ${esc(note)}`),
    ...n.checks.map((check) => `${bullet}check: ${esc(check)}`),
  ];
}

function notFoundLine(n: SenderNotFound, esc: Escape): string {
  const asked = n.search.asked;
  const accounts = `${asked.length} account${asked.length === 1 ? '' : 's'} searched`;
  const names = asked.length > 0 ? ` (${asked.map(esc).join(', ')})` : '';
  const searched = n.sender.kind === 'phone-number' ? n.sender.e164 : n.sender.sid;
  const as = searched === n.sender.given ? '' : ` (searched as ${searched})`;
  return `sender ${esc(n.sender.given)}${as} is owned by none of the ${accounts}${names}`;
}

export function renderWhyText(a: WhyReport): string {
  if (isNotFound(a))
    return [numberText(a, termText), notFoundLine(a, termText), ...searchLines(a, termText, '  '), ''].join(
      '\n',
    );
  return [
    numberLine(a, termText),
    ...(isSender(a) ? [senderLine(a, termText)] : []),
    ...channelsOf(a).flatMap(([label, c]) => channelText(a, label, c)),
    '',
  ].join('\n');
}

export function renderWhyMarkdown(a: WhyReport): string {
  if (isNotFound(a))
    return [
      `**${numberText(a, mdText)}**`,
      '',
      notFoundLine(a, mdText),
      '',
      ...searchLines(a, mdText, '- '),
      '',
    ].join('\n');
  const channels = channelsOf(a);
  const notes = channels.flatMap(([label, c]) => c.notes.map((n) => `- ${label}: ${mdText(n)}`));
  return [
    `**${numberLine(a, mdText)}**`,
    ...(isSender(a) ? ['', senderLine(a, mdText)] : []),
    '',
    ...tableOf(
      ['channel', 'answer', 'permission', 'Twilio would answer', 'policy'],
      channels.map(([label, c]) => [
        label,
        `${verdict(c)}${notRead(c)}`,
        `${mdText(c.permission)} ${entry(a, c, mdText)}`,
        twilioAnswer(c, mdText),
        mdText(c.change),
      ]),
    ),
    ...(notes.length > 0 ? ['', '**Notes:**', ...notes] : []),
    '',
  ].join('\n');
}

export function whyToJson(a: WhyReport): string {
  return stringify({ kind: 'why', schemaVersion: JSON_SCHEMA_VERSION, ...a });
}
