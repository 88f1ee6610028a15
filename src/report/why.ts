// The answer to "can this account call / text this number?", per channel: allowed or blocked, by which
// permission, what Twilio would answer, and the policy line that would change it. The decision is
// plan/why.ts's.
import type { ChannelAnswer, WhyAnswer } from '../plan/why.js';
import type { Escape } from './format.js';
import { mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { tableOf } from './markdown.js';

// The number's fields come from libphonenumber (validated); the names, the sentences (which quote
// account, group and file names) and Twilio's error places are escaped for the format.
const numberLine = (a: WhyAnswer, esc: Escape, sid: string): string =>
  `${a.number.e164}: ${esc(a.countryName ?? a.number.country)} (${a.number.country}, ${a.number.callingCode}${a.number.type ? `, ${a.number.type}` : ''}), account ${esc(a.account)} (${sid})`;

/** Twilio's entry for the channel, named when it is not the number's own country (voice US for +1416…). */
const entry = (a: WhyAnswer, c: ChannelAnswer, esc: Escape): string =>
  `${esc(c.country)}${c.country !== a.number.country && c.countryName ? ` "${esc(c.countryName)}"` : ''}`;

const verdict = (c: ChannelAnswer): string => (c.live ?? c.policy).toUpperCase();
const notRead = (c: ChannelAnswer): string =>
  c.live === null ? ', per the policy; live state not read' : '';
const twilioAnswer = (c: ChannelAnswer, esc: Escape): string =>
  c.errors.map((e) => `${e.code} (${esc(e.where)})`).join(', ');

const CHANNELS = [
  ['voice', (a: WhyAnswer) => a.voice],
  ['sms', (a: WhyAnswer) => a.sms],
] as const;

export function renderWhyText(a: WhyAnswer): string {
  const channel = (label: string, c: ChannelAnswer): string[] => {
    const lines = [
      `${label}: ${verdict(c)} (${termText(c.permission)} ${entry(a, c, termText)}${notRead(c)})`,
    ];
    if (c.errors.length > 0) lines.push(`  Twilio would answer: ${twilioAnswer(c, termText)}`);
    lines.push(`  policy: ${termText(c.change)}`);
    for (const n of c.notes) lines.push(`  note: ${termText(n)}`);
    return lines;
  };
  return [
    numberLine(a, termText, termText(a.sid)),
    ...CHANNELS.flatMap(([label, pick]) => channel(label, pick(a))),
    '',
  ].join('\n');
}

export function renderWhyMarkdown(a: WhyAnswer): string {
  const notes = CHANNELS.flatMap(([label, pick]) => pick(a).notes.map((n) => `- ${label}: ${mdText(n)}`));
  return [
    `**${numberLine(a, mdText, mdText(a.sid))}**`,
    '',
    ...tableOf(
      ['channel', 'answer', 'permission', 'Twilio would answer', 'policy'],
      CHANNELS.map(([label, pick]) => {
        const c = pick(a);
        return [
          label,
          `${verdict(c)}${notRead(c)}`,
          `${mdText(c.permission)} ${entry(a, c, mdText)}`,
          twilioAnswer(c, mdText),
          mdText(c.change),
        ];
      }),
    ),
    ...(notes.length > 0 ? ['', '**Notes:**', ...notes] : []),
    '',
  ].join('\n');
}

export function whyToJson(a: WhyAnswer): string {
  return stringify({ kind: 'why', schemaVersion: JSON_SCHEMA_VERSION, ...a });
}
