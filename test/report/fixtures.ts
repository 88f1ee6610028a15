// Hand-built values for every row of the report table: each exercises a branch a real fleet rarely hits
// at once (manual steps, unknown countries, unread accounts, inheritance flips, attribution, failures).
import type { Diagnostic } from '../../src/model/diagnostics.js';
import type {
  ApplyResult,
  CellChange,
  CellResult,
  DriftItem,
  DriftReport,
  Plan,
} from '../../src/model/plan.js';
import type { BindingResult } from '../../src/plan/binding.js';
import type { WhyAnswer } from '../../src/plan/why.js';

export const SID_PROD = 'AC' + '1'.repeat(32);
export const SID_CHILD = 'AC' + '2'.repeat(32);
export const SID_BROKEN = 'AC' + '3'.repeat(32);
const at = (line: number) => ({ file: 'geo-permissions.yml', line, column: 5 });

const base = {
  account: 'production',
  sid: SID_PROD,
  countryName: null,
  continent: null,
  kind: 'write',
  manual: null,
  source: null,
} as const;

export const enableFr: CellChange = {
  ...base,
  category: 'voice.low_risk',
  country: 'FR',
  countryName: 'France',
  continent: 'EUROPE',
  from: false,
  to: true,
  risk: 'medium',
  direction: 'opens',
  note: null,
  source: at(12),
};
export const disableCu: CellChange = {
  ...base,
  category: 'voice.high_risk_tollfraud',
  country: 'CU',
  countryName: 'Cuba',
  continent: 'NORTH_AMERICA',
  from: true,
  to: false,
  risk: 'low',
  direction: 'closes',
  note: null,
  source: at(3),
};
export const manualNg: CellChange = {
  ...base,
  category: 'messaging',
  country: 'NG',
  countryName: 'Nigeria',
  continent: 'AFRICA',
  from: false,
  to: true,
  risk: 'high',
  direction: 'opens',
  note: null,
  kind: 'manual',
  manual: { reason: 'Console only', consolePath: 'Console > Messaging > Settings > Geo permissions' },
  source: at(20),
};
/** A subaccount leaving its parent's voice lists: "inherits -> own lists". */
export const leaveInherit: CellChange = {
  ...base,
  account: 'child|pipe',
  sid: SID_CHILD,
  category: 'voice.inherit',
  country: null,
  from: true,
  to: false,
  risk: 'low',
  direction: 'closes',
  note: null,
};

export const richPlan: Plan = {
  schemaVersion: 1,
  policyFile: 'geo-permissions.yml',
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
  accounts: [
    {
      account: 'production',
      sid: SID_PROD,
      parent: null,
      type: 'Full',
      changes: [enableFr, disableCu, manualNg],
      unknown: [
        {
          account: 'production',
          sid: SID_PROD,
          category: 'voice.low_risk',
          country: 'XK',
          name: 'Kosovo',
          enabledLive: true,
        },
      ],
      error: null,
    },
    {
      account: 'child|pipe',
      sid: SID_CHILD,
      parent: 'production',
      type: 'Full',
      changes: [leaveInherit],
      unknown: [],
      error: null,
    },
    {
      account: 'broken',
      sid: SID_BROKEN,
      parent: null,
      type: null,
      changes: [],
      unknown: [],
      error: 'Twilio 20003: Authenticate',
    },
    {
      account: 'quiet',
      sid: 'AC' + '4'.repeat(32),
      parent: null,
      type: 'Full',
      changes: [],
      unknown: [],
      error: null,
    },
  ],
  expiring: [
    {
      account: 'production',
      list: 'voice.low_risk',
      country: 'FR',
      expires: '2026-12-01',
      daysLeft: 6,
      reason: 'pilot',
      ticket: 'OPS-42',
      location: at(12),
    },
    {
      account: 'production',
      list: 'messaging',
      country: 'BR',
      expires: '2027-06-01',
      daysLeft: 188,
      reason: null,
      ticket: null,
      location: at(22),
    },
  ],
  warnings: [{ severity: 'warning', message: 'BR | expires late', location: at(22) }],
};

const result = (
  c: CellChange,
  outcome: CellResult['outcome'],
  errorCode: number | null,
  detail: string | null,
) => ({
  ...c,
  outcome,
  errorCode,
  detail,
});

export const failedApply: ApplyResult = {
  schemaVersion: 1,
  policyFile: 'geo-permissions.yml',
  fingerprint: 'b'.repeat(64),
  ok: false,
  cells: [
    result(disableCu, 'verified', null, null),
    result(enableFr, 'failed', 20429, 'Too Many Requests'),
    result(manualNg, 'manual', null, 'Console only'),
    result(leaveInherit, 'skipped', null, 'an earlier write of the account failed'),
  ],
  summary: { verified: 1, failed: 1, manual: 1, skipped: 1 },
  accountErrors: [{ account: 'broken', sid: SID_BROKEN, message: 'credentials | rejected' }],
  writeRequests: 3,
};

export const emptyApply: ApplyResult = {
  ...failedApply,
  ok: true,
  cells: [],
  summary: { verified: 0, failed: 0, manual: 0, skipped: 0 },
  accountErrors: [],
  writeRequests: 0,
};

const attributed: DriftItem = {
  ...enableFr,
  from: true,
  to: false,
  risk: 'low',
  direction: 'closes',
  note: null,
  attribution: {
    sid: 'AE' + '0'.repeat(32),
    eventType: 'voice-geographic-permissions.updated',
    eventDate: '2026-11-25T11:00:48.665Z',
    actorSid: 'US' + '4'.repeat(32),
    actorType: 'user',
    source: 'web',
    sourceIpAddress: '203.0.113.7',
    description: null,
    changes: [],
  },
  attributionUnavailable: null,
};

export const richDrift: DriftReport = {
  schemaVersion: 1,
  policyFile: 'geo-permissions.yml',
  fingerprint: 'c'.repeat(64),
  complete: false,
  lookbackDays: 30,
  exposure: {
    opens: 1,
    closes: 1,
    byRisk: { critical: 1, high: 0, medium: 0, low: 1 },
    opensByRisk: { critical: 1, high: 0, medium: 0, low: 0 },
  },
  attributionByAccount: [
    { account: 'production', sid: SID_PROD, available: true, reason: null },
    { account: 'child|pipe', sid: SID_CHILD, available: true, reason: null },
  ],
  items: [
    attributed,
    { ...manualNg, from: true, to: false, attribution: null, attributionUnavailable: null },
    { ...leaveInherit, from: false, to: true, attribution: null, attributionUnavailable: null },
  ],
  plan: richPlan,
};

export const noDrift: DriftReport = {
  ...richDrift,
  complete: true,
  attributionByAccount: [],
  items: [],
  plan: { ...richPlan, accounts: [richPlan.accounts[3]!], expiring: [], warnings: [] },
};

export const refusedBinding: BindingResult = {
  ok: false,
  identical: false,
  unreviewed: [
    {
      change: enableFr,
      reviewed: 'not in the reviewed plan (no change was shown for it)',
      liveAtReview:
        'matched the policy reviewed then (so no change was planned), or the policy changed after the last plan',
      liveNow: 'off (the policy now wants on)',
    },
    {
      change: leaveInherit,
      reviewed: 'the reviewed plan set it on',
      liveAtReview: 'on',
      liveNow: 'on (the policy now wants off)',
    },
  ],
  noLongerNeeded: [`production@${SID_PROD}|messaging|DE|off>on`],
};

export const boundBinding: BindingResult = { ok: true, identical: true, unreviewed: [], noLongerNeeded: [] };

export const diagnostics: Diagnostic[] = [
  { severity: 'warning', message: 'BR | expires in 188 days', location: at(22) },
  { severity: 'error', message: 'unknown country "ZZ"', location: { file: 'b|c.yml', line: 2, column: 7 } },
  { severity: 'error', message: 'duplicate key\n"FR"', location: at(12) },
];

export const blockedWhy: WhyAnswer = {
  number: { e164: '+447011234567', country: 'GB', callingCode: '+44', type: 'PERSONAL_NUMBER' },
  countryName: 'United Kingdom',
  account: 'production',
  sid: SID_PROD,
  voice: {
    country: 'GB',
    countryName: 'United Kingdom',
    live: 'blocked',
    policy: 'blocked',
    permission: 'voice.high_risk_special',
    errors: [
      { code: 21215, where: 'REST API call create' },
      { code: 13227, where: 'TwiML <Dial>' },
      { code: 32205, where: 'Elastic SIP Trunking' },
    ],
    policyLine: at(5),
    change:
      'blocked: no list allows GB; add GB to voice.high_risk_special of production (geo-permissions.yml:5:5) to allow it',
    notes: ["matches Twilio's high-risk special prefix +4470 for GB"],
  },
  sms: {
    country: 'GB',
    countryName: 'United Kingdom',
    live: null,
    policy: 'allowed',
    permission: 'messaging',
    errors: [],
    policyLine: at(9),
    change: 'allowed by geo-permissions.yml:9:5 (via europe); remove GB there to block it',
    notes: [],
  },
};
