// The review screens of issue 11, built the way the action builds them (the same composition functions,
// over plans of the fake fleet): a small plan, the 40-account plan with a critical enable on its last
// account, a plan the guards refuse, a drift with a Console toll-fraud enable and an inheritance flip,
// an apply result, and the clean-up pull request of expired exceptions (issue 15). The README shows each as captured (test/report/review-bodies.test.ts keeps the
// captures current) and the benchmark measures the 40-account comment.
import { createHash } from 'node:crypto';
import { applyPlan } from '../../src/apply/apply.js';
import { closeExpired } from '../../src/apply/expired.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { exceptionStatuses } from '../../src/plan/exceptions.js';
import { closedByRun, findExpiredCells, withExpiry } from '../../src/plan/expired.js';
import { CLEANUP_BRANCH, cleanupPrBody } from '../../src/github/cleanup-pr.js';
import { cleanupStateMarker } from '../../src/github/markers.js';
import { expiredCellStates } from '../../src/plan/expired-cells.js';
import { closedByThisRun } from './closed-by-run.js';
import { removeExpiredExceptions } from '../../src/policy/expired-cleanup.js';
import { loadPolicy } from '../../src/policy/load.js';
import { applyCommentBody, driftIssueContent, planCommentBody } from '../../src/github/bodies.js';
import { readDriftEvents } from '../../src/live/events.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { GeoEvent } from '../../src/model/twilio-port.js';
import { COMMENT_MARKDOWN_CHARS } from '../../src/model/limits.js';
import { frameDrift } from '../../src/plan/drift.js';
import { guardVerdict } from '../../src/plan/guards.js';
import { applySection, driftSection, planReviewSection, renderReport } from '../../src/report/index.js';
import { fleetScenario } from './fleet-scenario.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
  type FakeAccount,
} from './fake-account-client.js';

/** What the action passes besides the comment's markdown budget (model/limits.ts): a run, a head, a time. */
const RUN = 'https://github.com/acme/telephony/actions/runs/4242';
const HEAD = 'def5678a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e';
const NOW = new Date('2026-12-01T09:30:00Z');
const GUARD_OPTIONS = { maxChangesOverride: null, allowHighRisk: false, surface: 'action' as const };
const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'MX', 'BR', 'CU', 'SO', 'NG', 'PK', 'BD'];

export interface ReviewBody {
  /** The README's name for the capture. */
  name: 'small-plan' | 'fleet-plan' | 'refused-plan' | 'drift' | 'drift-expiry' | 'apply' | 'cleanup-pr';
  body: string;
}

const account = (n: number, opts: Parameters<typeof fakeAccount>[1] = {}): FakeAccount =>
  fakeAccount(n, { countries: COUNTRIES, ...opts });

async function planBody(desired: DesiredState, accounts: FakeAccount[]): Promise<string> {
  const plan = await planAgainst(desired, fakeFleet(accounts));
  const verdict = guardVerdict(plan, desired, GUARD_OPTIONS);
  const commit = { sha: HEAD, url: `https://github.com/acme/telephony/commit/${HEAD}` };
  const markdown = planReviewSection(
    plan,
    { commit, readAt: NOW.toISOString(), runLink: RUN, verdict },
    COMMENT_MARKDOWN_CHARS,
  );
  return planCommentBody(plan, markdown, RUN, HEAD);
}

/** production and its subaccount support-eu: a few enables, one disable. */
function smallFleet(): { desired: DesiredState; accounts: FakeAccount[] } {
  const parent = { name: 'production', n: 1 };
  return {
    desired: desiredState(
      [
        desiredAccount(1, {
          name: 'production',
          low: ['US', 'GB'],
          messaging: ['US', 'CA', 'GB', 'FR'],
        }),
        desiredAccount(2, { name: 'support-eu', parent, low: ['GB', 'DE'], messaging: ['GB', 'DE'] }),
      ],
      { maxChanges: 25, neverDisable: ['US'] },
    ),
    accounts: [
      account(1, {
        voice: { US: { low_risk: true }, MX: { low_risk: true } },
        messaging: { US: true, CA: true },
      }),
      account(2, { parent: 1, voice: { GB: { low_risk: true } }, messaging: { GB: true } }),
    ],
  };
}

/** Over max_changes, with a toll-fraud enable the policy does not acknowledge. */
function refusedFleet(): { desired: DesiredState; accounts: FakeAccount[] } {
  const { desired, accounts } = smallFleet();
  const production = desiredAccount(1, {
    name: 'production',
    low: ['US', 'GB'],
    tollfraud: ['GB'],
    messaging: ['US', 'CA', 'GB', 'FR'],
  });
  return {
    desired: {
      ...desired,
      accounts: [production, desired.accounts[1]!],
      guards: { ...desired.guards, maxChanges: 3 },
    },
    accounts,
  };
}

const CONSOLE_USER = 'US' + 'a1'.repeat(16);

function consoleEvent(sid: string, change: GeoEvent['changes'][number]): GeoEvent {
  return {
    sid,
    eventType: 'voice-geographic-permissions.updated',
    eventDate: '2026-11-30T22:14:03.000Z',
    actorSid: CONSOLE_USER,
    actorType: 'user',
    source: 'web',
    sourceIpAddress: '203.0.113.9',
    description: null,
    changes: [change],
  };
}

/**
 * A Console user switched on toll-fraud dialing to Cuba on production and turned support-eu's voice
 * inheritance off (its own lists open Cuba and Somalia); three other subaccounts still wait for their
 * Console-only messaging steps (narrower than the policy: service impact, listed after).
 */
async function driftBody(): Promise<string> {
  const parent = { name: 'production', n: 1 };
  const consoleOnly = ['NG', 'PK', 'BD'];
  const desired = desiredState(
    [
      desiredAccount(1, { name: 'production', low: ['US', 'GB'], messaging: ['US', 'GB'] }),
      desiredAccount(2, { name: 'support-eu', parent, inherit: true, messaging: ['GB'] }),
      ...[3, 4, 5].map((n) =>
        desiredAccount(n, { name: `ops-${n}`, parent, low: ['US'], messaging: ['US', ...consoleOnly] }),
      ),
    ],
    { neverDisable: ['US'] },
  );
  const production = account(1, {
    voice: { US: { low_risk: true }, GB: { low_risk: true }, CU: { high_risk_tollfraud: true } },
    messaging: { US: true, GB: true },
  });
  production.events.push(
    consoleEvent('AE' + '1'.repeat(32), {
      country: 'CU',
      field: 'high_risk_tollfraud_numbers_enabled',
      previous: 'false',
      updated: 'true',
    }),
  );
  const supportEu = account(2, {
    parent: 1,
    inheritance: false,
    voice: {
      US: { low_risk: true },
      GB: { low_risk: true },
      CU: { high_risk_tollfraud: true },
      SO: { high_risk_tollfraud: true },
    },
    messaging: { GB: true },
  });
  supportEu.events.push(
    consoleEvent('AE' + '2'.repeat(32), {
      country: 'dialing_permissions_inheritance',
      field: 'dialing_permissions_inheritance',
      previous: 'true',
      updated: 'false',
    }),
  );
  const ops = [3, 4, 5].map((n) =>
    account(n, { name: `ops-${n}`, parent: 1, voice: { US: { low_risk: true } }, messaging: { US: true } }),
  );
  const fleet = fakeFleet([production, supportEu, ...ops]);
  const plan = await planAgainst(desired, fleet);
  const events = await readDriftEvents(fakeGateway(fleet), desired, plan, { now: NOW, lookbackDays: 30 });
  const report = frameDrift(plan, events, desired.guards);
  return driftIssueContent(report, driftSection(report, { maxChars: 60_000 }), RUN).body;
}

/**
 * The scheduled run after three exceptions ran out: production's Brazil pilot (support-eu follows
 * production's voice lists, so it loses Brazil too) and ops' Mexico SMS launch are closed and read back;
 * ops' on-call GB is protected by guards.never_disable, so it stays open, reported; Paris runs 6 more days.
 */
const EXPIRY_POLICY = `version: 1
guards:
  never_disable: [US, GB]
accounts:
  production:
    sid: ${'AC' + '0'.repeat(31)}1
    voice:
      low_risk: [US, {country: BR, expires: 2026-11-30, reason: "São Paulo pilot", ticket: OPS-42}]
    messaging: [US, GB]
  support-eu:
    sid: ${'AC' + '0'.repeat(31)}2
    parent: production
    voice: {inherit: true}
    messaging: [GB, {country: FR, expires: 2026-12-07, reason: "Paris trade fair", ticket: OPS-51}]
  ops:
    sid: ${'AC' + '0'.repeat(31)}3
    parent: production
    voice:
      low_risk: [US, {country: GB, expires: 2026-11-20, reason: "on-call rota", ticket: OPS-17}]
    messaging:
      - US
      - {country: MX, expires: 2026-11-25, reason: "launch SMS", ticket: MKT-9}
      - {country: DE, expires: 2027-06-30, reason: "DACH support", ticket: OPS-60}
`;

async function driftExpiryBody(): Promise<string> {
  const desired = loadPolicy(EXPIRY_POLICY, 'geo-permissions.yml', { now: NOW, mode: 'plan' }).desired!;
  const fleet = fakeFleet([
    account(1, {
      name: 'production',
      voice: { US: { low_risk: true }, BR: { low_risk: true } },
      messaging: { US: true, GB: true },
    }),
    account(2, { name: 'support-eu', parent: 1, inheritance: true, messaging: { GB: true, FR: true } }),
    account(3, {
      name: 'ops',
      parent: 1,
      voice: { US: { low_risk: true }, GB: { low_risk: true } },
      messaging: { US: true, MX: true, DE: true },
    }),
  ]);
  const gateway = fakeGateway(fleet);
  const live = await readLiveState(gateway, desired, { concurrency: 4 });
  const plan = buildPlan(desired, live);
  const events = await readDriftEvents(gateway, desired, plan, { now: NOW, lookbackDays: 30 });
  const cells = findExpiredCells(desired, plan, live);
  const expired = await closeExpired({ desired, plan, live, cells, gateway, options: { concurrency: 4 } });
  const closed = withExpiry(frameDrift(plan, events, desired.guards), expired);
  const report = { ...closed, exceptions: exceptionStatuses(desired, plan, closedByRun(closed)) };
  return driftIssueContent(report, driftSection(report, { maxChars: 60_000 }), RUN).body;
}

/** The small plan, applied to the fake fleet and read back. */
async function applyBody(): Promise<string> {
  const { desired, accounts } = smallFleet();
  const fleet = fakeFleet(accounts);
  const plan = await planAgainst(desired, fleet);
  const result = await applyPlan(desired, plan, fakeGateway(fleet), { concurrency: 4 });
  const markdown = applySection(plan.policyFile, HEAD, [renderReport('apply', 'markdown', result)]);
  return applyCommentBody(plan.policyFile, HEAD, markdown, RUN);
}

const CLEANUP_POLICY = `version: 1
groups:
  core: [US, GB]
  # Time-boxed openings for the support desks
  pilots:
    - DE
    - {country: CU, expires: 2026-11-15, reason: "Havana launch", ticket: OPS-42}  # ends with the launch
defaults:
  voice:
    low_risk: [core]
    high_risk_special: []
    high_risk_tollfraud: []
  messaging: [core]
accounts:
  production:
    sid: ${desiredAccount(1, { name: 'production' }).sid}
    voice:
      low_risk: [core, pilots]
      high_risk_tollfraud:
        - {country: GB, expires: 2026-11-30, reason: "premium-rate partner test", ticket: SEC-9}
    messaging: [core, {country: MX, expires: 2026-11-20, reason: "spring promotion", ticket: MKT-7}]
  support-eu:
    sid: ${desiredAccount(2, { name: 'support-eu' }).sid}
    parent: production
    voice:
      low_risk: [core, pilots]
`;

/**
 * The clean-up pull request a scheduled scan keeps: three exceptions expired. production still has Cuba
 * (through the pilots group) and Britain's toll-fraud numbers open; the run disabled its Mexico messaging
 * (what the enforcement of expired exceptions reports; here it is given); support-eu has no Cuba open.
 * The pilots group's last entry goes, and so does production's toll-fraud list's: each is left `[]`.
 */
async function cleanupBody(): Promise<string> {
  const file = 'geo-permissions.yml';
  const desired = loadPolicy(CLEANUP_POLICY, file, { now: NOW, mode: 'plan' }).desired!;
  const production = account(1, {
    name: 'production',
    voice: {
      US: { low_risk: true },
      GB: { low_risk: true, high_risk_tollfraud: true },
      DE: { low_risk: true },
      CU: { low_risk: true },
    },
    messaging: { US: true, GB: true, MX: true },
  });
  const supportEu = account(2, {
    name: 'support-eu',
    parent: 1,
    voice: { US: { low_risk: true }, GB: { low_risk: true }, DE: { low_risk: true } },
    messaging: { US: true, GB: true },
  });
  const plan = await planAgainst(desired, fakeFleet([production, supportEu]));
  const report = frameDrift(plan, { bySid: {}, errors: [], lookbackDays: 30 }, desired.guards);
  // The run's enforcement of expired exceptions disabled production's Mexico messaging after the scan.
  const cells = expiredCellStates(
    desired,
    closedByThisRun(desired, report, [{ account: 'production', category: 'messaging', country: 'MX' }]),
  );
  const result = removeExpiredExceptions(CLEANUP_POLICY, file, NOW);
  if (!result.ok) throw new Error(result.reason);
  const digest = createHash('sha256').update(result.cleanup.text).digest('hex');
  const state = cleanupStateMarker({ base: HEAD, head: 'c1ea0e5d'.repeat(5), digest });
  return cleanupPrBody({ cleanup: result.cleanup, cells, branch: CLEANUP_BRANCH, runLink: RUN }, state);
}

/** Every review screen, in the order the README shows them. */
export async function reviewBodies(): Promise<ReviewBody[]> {
  const small = smallFleet();
  const fleet = fleetScenario();
  const refused = refusedFleet();
  return [
    { name: 'small-plan', body: await planBody(small.desired, small.accounts) },
    { name: 'fleet-plan', body: await planBody(fleet.desired, fleet.accounts) },
    { name: 'refused-plan', body: await planBody(refused.desired, refused.accounts) },
    { name: 'drift', body: await driftBody() },
    { name: 'drift-expiry', body: await driftExpiryBody() },
    { name: 'apply', body: await applyBody() },
    { name: 'cleanup-pr', body: await cleanupBody() },
  ];
}
