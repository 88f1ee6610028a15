import { countExposure, exposureUnits } from '../../src/plan/exposure.js';
// The hostile-string corpus: text an attacker can put in a policy (account, parent and group names,
// exception reasons and tickets, file names) or in Twilio (friendly names, country names, Monitor Event
// actors, descriptions and IPs, error messages), and a value of every report built around one of them,
// with the string in every field that comes from the policy or from Twilio.
import type { Diagnostic } from '../../src/model/diagnostics.js';
import type { ExpiringException } from '../../src/model/desired.js';
import type {
  ApplyResult,
  CellChange,
  DriftItem,
  DriftReport,
  ExceptionReport,
  ExpiredOutcome,
  ExpiryEnforcement,
  Plan,
} from '../../src/model/plan.js';
import type { BindingResult } from '../../src/plan/binding.js';
import type { WhyAnswer } from '../../src/plan/why.js';
import type { SenderNotFound, SenderWhyAnswer } from '../../src/plan/why-sender.js';
import type { BindingReport } from '../../src/report/index.js';

/** Each string tries to open one Markdown, HTML, GitHub or terminal construct. */
export const HOSTILE: readonly string[] = [
  'support <!-- ',
  '-->',
  '--!>',
  '<!---->',
  '<!-->',
  '<details>',
  '</details><details open><summary>ok</summary>',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '<https://evil.example>',
  '<a@evil.example>',
  '<!-- twilio-geo-permissions:reviewed-plan v1 fingerprint=x cells=W10= -->',
  '[click](https://evil.example)',
  '![x](https://evil.example/a.png)',
  '[ref]: https://evil.example',
  '[^1]',
  '@octocat',
  'ping @org/team',
  'me@evil.example',
  'https://evil.example',
  'HTTP://EVIL.EXAMPLE/x',
  'ftp://evil.example',
  'www.evil.example',
  'WWW.evil.example',
  '`',
  '``',
  'a ` b `` c ``` d',
  '```js',
  '~~~',
  '|',
  'a | b | c',
  '\\|',
  'a\\',
  '\\',
  '**bold**',
  '*em*',
  '_em_',
  '__init__',
  '~~strike~~',
  '$\\huge{x}$',
  '# heading',
  '###### h6',
  '> quote',
  '>',
  '- item',
  '+ item',
  '* item',
  '1. item',
  '1) item',
  '---',
  '===',
  '    indented code',
  'x\n## Fake',
  'x\r\n| a | b |\n| --- | --- |',
  'x\n\n<!--',
  'x\u2028## Fake',
  'tab\there',
  '\u0000nul',
  'esc \u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\u009b31m c1',
  'del\u007f',
  '\u202eevil\u202c',
  '\u2066isolate\u2069',
  'zero\u200bwidth\ufeff',
  '#123',
  'fixes #1',
  'GH-42',
  'owner/repo#9',
  '&lt;script&gt;',
  '&#60;!--',
  '&amp;',
  ':+1:',
  'Côte d’Ivoire & São Tomé',
  'x'.repeat(3000),
  '<!-- @x [y](https://z) `'.repeat(100),
];

/** A harmless string in the same places, so a hostile rendering can be compared line by line. */
export const BENIGN = 'benign';

const sid = (n: number) => 'AC' + String(n).padStart(32, '0');
export const HOSTILE_SIDS = { main: sid(1), child: sid(2), broken: sid(3), quiet: sid(4) } as const;

const at = (s: string, line: number) => ({ file: `${s}.yml`, line, column: 5 });

function change(s: string, over: Partial<CellChange>): CellChange {
  return {
    account: s,
    sid: HOSTILE_SIDS.main,
    category: 'voice.low_risk',
    country: s,
    countryName: s,
    continent: 'EUROPE',
    from: false,
    to: true,
    risk: 'medium',
    direction: 'opens',
    note: null,
    kind: 'write',
    manual: null,
    source: at(s, 12),
    ...over,
  };
}

/** The accounts of the hostile plan: one with changes and a decision, a subaccount, an unread one, a quiet one. */
function hostileAccounts(s: string): Plan['accounts'] {
  const child = `${s}2`;
  const changes = [
    change(s, {}),
    change(s, { category: 'voice.high_risk_tollfraud', from: true, to: false, risk: 'low' }),
    change(s, {
      category: 'messaging',
      risk: 'high',
      direction: 'opens',
      note: null,
      kind: 'manual',
      manual: { reason: 'Console only', consolePath: 'Console > Messaging > Settings > Geo permissions' },
    }),
  ];
  return [
    {
      account: s,
      sid: HOSTILE_SIDS.main,
      parent: null,
      type: 'Full',
      changes,
      unknown: [
        {
          account: s,
          sid: HOSTILE_SIDS.main,
          category: 'voice.low_risk',
          country: s,
          name: s,
          enabledLive: true,
        },
      ],
      error: null,
    },
    {
      account: child,
      sid: HOSTILE_SIDS.child,
      parent: s,
      type: 'Full',
      changes: [
        change(child, {
          sid: HOSTILE_SIDS.child,
          category: 'voice.inherit',
          country: null,
          countryName: null,
          continent: null,
          to: false,
          from: true,
          risk: 'low',
          direction: 'closes',
          note: null,
        }),
      ],
      unknown: [],
      error: null,
    },
    {
      account: `${s}3`,
      sid: HOSTILE_SIDS.broken,
      parent: s,
      type: null,
      changes: [],
      unknown: [],
      error: s,
    },
    {
      account: `${s}4`,
      sid: HOSTILE_SIDS.quiet,
      parent: null,
      type: 'Full',
      changes: [],
      unknown: [],
      error: null,
    },
  ];
}

/** A plan whose every policy- and Twilio-sourced string is `s`: names, parents, countries, errors, exceptions. */
export function hostilePlan(s: string): Plan {
  return {
    schemaVersion: 1,
    policyFile: `${s}.yml`,
    fingerprint: 'a'.repeat(64),
    summary: {
      accounts: 4,
      accountsWithChanges: 2,
      changes: 4,
      writes: 3,
      manual: 1,
      byRisk: { critical: 0, high: 1, medium: 1, low: 2 },
      opens: 2,
      closes: 2,
      opensByRisk: { critical: 0, high: 1, medium: 1, low: 0 },
      unknown: 1,
      errors: 1,
    },
    accounts: hostileAccounts(s),
    expiring: [
      {
        account: s,
        list: s,
        country: s,
        expires: s,
        daysLeft: 6,
        reason: s,
        ticket: s,
        location: at(s, 12),
      },
    ],
    warnings: [{ severity: 'warning', message: s, location: at(s, 22) }],
  };
}

export function hostileApply(s: string): ApplyResult {
  const cells = hostilePlan(s).accounts.flatMap((a) => a.changes);
  return {
    schemaVersion: 1,
    policyFile: `${s}.yml`,
    fingerprint: 'b'.repeat(64),
    ok: false,
    cells: cells.map((c, i) => ({
      ...c,
      outcome: (['verified', 'failed', 'manual', 'skipped'] as const)[i % 4]!,
      errorCode: i === 1 ? 20429 : null,
      detail: s,
    })),
    summary: { verified: 1, failed: 1, manual: 1, skipped: 1 },
    accountErrors: [{ account: s, sid: HOSTILE_SIDS.broken, message: s }],
    writeRequests: 3,
  };
}

/** A drift report with every Monitor Event field (actor, type, IP, date, description) set to `s`. */
export function hostileDrift(s: string): DriftReport {
  const plan = hostilePlan(s);
  const attribution = {
    sid: 'AE' + '0'.repeat(32),
    eventType: s,
    eventDate: s,
    actorSid: s,
    actorType: s,
    source: s,
    sourceIpAddress: s,
    description: s,
    changes: [{ country: s, field: s, previous: s, updated: s }],
  };
  const items: DriftItem[] = plan.accounts.flatMap((a) =>
    a.changes.map((c, i) => ({
      ...c,
      from: c.to,
      to: c.from,
      // The inheritance turned off live: the drift report shows the effective route it opened.
      ...(c.category === 'voice.inherit'
        ? {
            effective: [
              {
                category: 'voice.high_risk_tollfraud' as const,
                country: s,
                countryName: s,
                continent: s,
                from: true,
                to: false,
                direction: 'opens' as const,
                risk: 'critical' as const,
                note: null,
              },
            ],
          }
        : {}),
      attribution: i === 0 ? attribution : i === 1 ? { ...attribution, actorType: 'user' } : null,
      // The third cell's events could not be read: Twilio's error text is hostile too.
      attributionUnavailable: i === 2 ? `HTTP 403, Twilio error 20003: ${s}` : null,
    })),
  );
  return {
    schemaVersion: 1,
    policyFile: `${s}.yml`,
    fingerprint: 'c'.repeat(64),
    complete: false,
    lookbackDays: 30,
    exposure: countExposure(exposureUnits(items)),
    attributionByAccount: plan.accounts.map((a) => ({
      account: a.account,
      sid: a.sid,
      available: false,
      reason: `HTTP 403, Twilio error 20003: ${s}`,
    })),
    items,
    plan,
    expired: hostileExpired(s, items),
    exceptions: hostileExceptions(s).exceptions,
  };
}

/** What a drift run did with expired cells, every name the policy's or Twilio's: closed, failed, protected. */
function hostileExpired(s: string, items: readonly DriftItem[]): ExpiryEnforcement {
  const exception = hostileException(s);
  const [first, second, third] = items.filter((i) => i.category !== 'voice.inherit');
  const cell = (
    item: DriftItem,
    outcome: ExpiredOutcome,
    detail: string | null,
    errorCode: number | null,
  ) => ({
    ...item,
    from: true,
    to: false,
    direction: 'closes' as const,
    risk: 'low' as const,
    exception,
    inheritedBy: [{ account: s, sid: HOSTILE_SIDS.main }],
    outcome,
    errorCode,
    detail,
  });
  return {
    mode: 'enforce',
    cells: [
      cell(first!, 'disabled', null, null),
      cell(second!, 'failed', `The API key is not authorized: ${s}`, 70051),
      cell(third!, 'protected', `guards.never_disable (line 4) protects ${s}: reported, not disabled`, null),
    ],
    writeRequests: 2,
    accountErrors: [],
  };
}

function hostileException(s: string): ExpiringException {
  return {
    account: s,
    fleet: s,
    list: s,
    country: s,
    expires: s,
    daysLeft: -3,
    reason: s,
    ticket: s,
    location: at(s, 13),
  };
}

/** The exceptions report: an expired template exception still open, one in effect, one not read. */
export function hostileExceptions(s: string): ExceptionReport {
  const exception = hostileException(s);
  return {
    schemaVersion: 1,
    policyFile: `${s}.yml`,
    warningDays: 14,
    live: true,
    errors: 1,
    exceptions: [
      { exception, accounts: 40, openLive: 38, unread: 2, grantedOtherwise: false },
      {
        exception: { ...exception, fleet: undefined, list: 'voice.low_risk', daysLeft: 6 },
        accounts: 1,
        openLive: 1,
        unread: 0,
        grantedOtherwise: false,
      },
      {
        exception: { ...exception, fleet: undefined, list: 'messaging', daysLeft: 90 },
        accounts: 1,
        openLive: null,
        unread: 0,
        grantedOtherwise: false,
      },
    ],
  };
}

export function hostileBinding(s: string): BindingReport {
  const [enable, , , inherit] = hostilePlan(s).accounts.flatMap((a) => a.changes);
  const result: BindingResult = {
    ok: false,
    identical: false,
    unreviewed: [
      { change: enable!, reviewed: 'not in the reviewed plan', liveAtReview: 'off', liveNow: 'off' },
      { change: inherit!, reviewed: 'the reviewed plan set it on', liveAtReview: 'on', liveNow: 'on' },
    ],
    // A reviewed key as the tool writes it (name@SID) around the string, and a foreign key that is only it.
    noLongerNeeded: [`${s}@${HOSTILE_SIDS.main}|messaging|DE|off>on`, s],
  };
  return { result, prNumber: 7 };
}

/** The same refused changes and a bound result, so both branches of the binding report render. */
export function hostileBound(s: string): BindingReport {
  const { result } = hostileBinding(s);
  return { result: { ...result, ok: true, unreviewed: [] }, prNumber: 7 };
}

export function hostileDiagnostics(s: string): Diagnostic[] {
  return [
    { severity: 'error', message: s, location: at(s, 3) },
    { severity: 'warning', message: `unknown group ${s}`, location: at(s, 4) },
  ];
}

export function hostileWhy(s: string): WhyAnswer {
  const channel = (live: 'allowed' | 'blocked' | null) => ({
    country: 'US',
    countryName: s,
    live,
    policy: 'blocked' as const,
    permission: 'voice.high_risk_special',
    errors: [{ code: 21215, where: s }],
    policyLine: at(s, 5),
    change: `add GB to voice.low_risk of ${s} (${s}.yml:5:5) via group ${s}`,
    notes: [s, `${s} inherits voice permissions from ${s}`],
  });
  return {
    number: { e164: '+447011234567', country: 'GB', callingCode: '+44', type: 'PERSONAL_NUMBER' },
    countryName: s,
    account: s,
    sid: HOSTILE_SIDS.main,
    voice: channel('blocked'),
    sms: { ...channel(null), permission: 'messaging' },
  };
}

/** `why --from`: Twilio's friendly names (the sender's, a discovered account's) and its error messages. */
export function hostileWhySender(s: string): SenderWhyAnswer {
  const base = hostileWhy(s);
  return {
    ...base,
    voice: null,
    sender: {
      given: s,
      kind: 'messaging-service',
      sid: 'MG' + 'a'.repeat(32),
      accountSid: HOSTILE_SIDS.main,
      friendlyName: s,
      phoneNumber: null,
      capabilities: null,
      senders: [s, '+14155550100'],
    },
    owner: { account: s, sid: HOSTILE_SIDS.main, parent: s, governance: 'fleet', fleet: s },
    search: { asked: [s], errors: [], notes: [s], complete: true },
  };
}

export function hostileSenderNotFound(s: string): SenderNotFound {
  const base = hostileWhy(s);
  return {
    number: base.number,
    countryName: s,
    sender: { given: s, kind: 'phone-number', e164: '+14155550100' },
    owner: null,
    search: {
      asked: [s, s],
      errors: [{ account: s, sid: HOSTILE_SIDS.main, message: s }],
      notes: [`the subaccounts of ${s} could not be listed: ${s}`],
      complete: false,
    },
    checks: [s],
  };
}
