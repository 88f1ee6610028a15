// The answer to "can this account call / text this number?", per channel: allowed or blocked, by which
// permission, what Twilio would answer, and the policy line that would change it. The decision is
// plan/why.ts's.
import type { ChannelAnswer, WhyAnswer } from '../plan/why.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import { tableOf } from './markdown.js';

const numberLine = (a: WhyAnswer): string =>
  `${a.number.e164}: ${a.countryName ?? a.number.country} (${a.number.country}, ${a.number.callingCode}${a.number.type ? `, ${a.number.type}` : ''}), account ${a.account} (${a.sid})`;

const verdict = (c: ChannelAnswer): string => (c.live ?? c.policy).toUpperCase();
const notRead = (c: ChannelAnswer): string =>
  c.live === null ? ', per the policy; live state not read' : '';
const twilioAnswer = (c: ChannelAnswer): string => c.errors.map((e) => `${e.code} (${e.where})`).join(', ');

const CHANNELS = [
  ['voice', (a: WhyAnswer) => a.voice],
  ['sms', (a: WhyAnswer) => a.sms],
] as const;

export function renderWhyText(a: WhyAnswer): string {
  const channel = (label: string, c: ChannelAnswer): string[] => {
    const lines = [`${label}: ${verdict(c)} (${c.permission} ${a.number.country}${notRead(c)})`];
    if (c.errors.length > 0) lines.push(`  Twilio would answer: ${twilioAnswer(c)}`);
    lines.push(`  policy: ${c.change}`);
    for (const n of c.notes) lines.push(`  note: ${n}`);
    return lines;
  };
  return [numberLine(a), ...CHANNELS.flatMap(([label, pick]) => channel(label, pick(a))), ''].join('\n');
}

export function renderWhyMarkdown(a: WhyAnswer): string {
  const notes = CHANNELS.flatMap(([label, pick]) => pick(a).notes.map((n) => `- ${label}: ${n}`));
  return [
    `**${numberLine(a)}**`,
    '',
    ...tableOf(
      ['channel', 'answer', 'permission', 'Twilio would answer', 'policy'],
      CHANNELS.map(([label, pick]) => {
        const c = pick(a);
        return [
          label,
          `${verdict(c)}${notRead(c)}`,
          `${c.permission} ${a.number.country}`,
          twilioAnswer(c),
          c.change,
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
