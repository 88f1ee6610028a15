// Expired exceptions close the door: which cells are open only because an expired exception granted them,
// what a run that closes them writes (nothing else), what it reports, and each exception's live state.
import { describe, expect, it } from 'vitest';
import { closeExpired } from '../../src/apply/expired.js';
import { discoverSubaccounts } from '../../src/live/discover.js';
import { readLiveState } from '../../src/live/read.js';
import type { DesiredState } from '../../src/model/desired.js';
import { frameDrift } from '../../src/plan/drift.js';
import { exceptionStatuses, expiredAndOpen } from '../../src/plan/exceptions.js';
import {
  EXPIRED_DETAIL,
  expiredDisabled,
  expiredNotEnforced,
  findExpiredCells,
  splitExpired,
  withExpiry,
} from '../../src/plan/expired.js';
import { buildFleetPlan } from '../../src/plan/fleet-plan.js';
import { governFleet } from '../../src/plan/fleet.js';
import { shardOf, type Shard } from '../../src/plan/shard.js';
import { cellId } from '../../src/plan/cells.js';
import { expiredCellStates } from '../../src/plan/expired-cells.js';
import { loadPolicy } from '../../src/policy/load.js';
import { driftSection, renderReport } from '../../src/report/index.js';
import { lastRouteLine } from '../../src/report/expired.js';
import {
  fakeAccount,
  fakeFleet,
  fakeGateway,
  sid,
  writeCalls,
  type FakeFaults,
  type FakeFleet,
} from '../support/fake-account-client.js';

const NOW = new Date('2026-12-01T09:00:00Z');
const NO_EVENTS = { bySid: {}, errors: [], lookbackDays: 30 };

/** production (1) with its subaccounts support-eu (2, follows its voice lists live) and ops (3). */
const POLICY = (extra = '') => `version: 1
${extra}accounts:
  production:
    sid: ${sid(1)}
    voice:
      low_risk: [US, {country: BR, expires: 2026-11-30, reason: pilot, ticket: OPS-42}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [US, {country: MX, expires: 2026-11-15, ticket: OPS-7}, {country: DE, expires: 2027-03-31}]
  support-eu:
    sid: ${sid(2)}
    parent: production
    voice: {inherit: true}
    messaging: [US]
  ops:
    sid: ${sid(3)}
    parent: production
    voice:
      low_risk: [US, {country: FR, expires: 2026-12-10, reason: trade fair}]
    messaging: [US]
`;

function load(text: string): DesiredState {
  const { desired, diagnostics } = loadPolicy(text, 'geo-permissions.yml', { now: NOW, mode: 'plan' });
  if (!desired) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return desired;
}

/** Live: BR and MX still open from their expired exceptions, GB opened in the Console (ordinary drift). */
function fleet(faults: FakeFaults = {}): FakeFleet {
  return fakeFleet(
    [
      fakeAccount(1, {
        name: 'production',
        voice: { US: { low_risk: true }, BR: { low_risk: true }, GB: { high_risk_special: true } },
        messaging: { US: true, MX: true, DE: true },
        countries: ['US', 'BR', 'GB', 'MX', 'DE', 'FR'],
      }),
      fakeAccount(2, { name: 'support-eu', parent: 1, inheritance: true, messaging: { US: true } }),
      fakeAccount(3, {
        name: 'ops',
        parent: 1,
        voice: { US: { low_risk: true }, FR: { low_risk: true } },
        messaging: { US: true },
      }),
    ],
    faults,
  );
}

async function scan(text: string, f: FakeFleet, shard: Shard | null = null) {
  const gateway = fakeGateway(f);
  const policy = load(text);
  const governed = governFleet(policy, await discoverSubaccounts(gateway, policy, { concurrency: 4 }), shard);
  const live = await readLiveState(gateway, { accounts: governed.reads }, { concurrency: 4 });
  const plan = buildFleetPlan(governed, live);
  return { desired: governed.desired, plan, live, gateway };
}

describe('findExpiredCells', () => {
  it('finds each cell open live only because an expired exception granted it, and who follows it', async () => {
    const { desired, plan, live } = await scan(POLICY(), fleet());
    const cells = findExpiredCells(desired, plan, live);
    expect(cells.map((c) => [c.account, c.category, c.country, c.from, c.to, c.direction, c.risk])).toEqual([
      ['production', 'voice.low_risk', 'BR', true, false, 'closes', 'low'],
      ['production', 'messaging', 'MX', true, false, 'closes', 'low'],
    ]);
    expect(cells[0]!.exception).toMatchObject({ expires: '2026-11-30', reason: 'pilot', ticket: 'OPS-42' });
    // support-eu inherits production's voice lists live: it loses BR too. Messaging is never inherited.
    expect(cells[0]!.inheritedBy).toEqual([{ account: 'support-eu', sid: sid(2) }]);
    expect(cells[1]!.inheritedBy).toEqual([]);
  });

  it('leaves out a cell another entry still grants, and exceptions still in effect', async () => {
    const text = POLICY().replace('low_risk: [US, {country: BR', 'low_risk: [US, BR, {country: BR');
    const { desired, plan, live } = await scan(text, fleet());
    expect(findExpiredCells(desired, plan, live).map((c) => c.country)).toEqual(['MX']);
  });

  it('splits off what no run may close: a guards.never_disable country is reported, not disabled', async () => {
    const { desired, plan, live } = await scan(POLICY('guards: {never_disable: [BR]}\n'), fleet());
    const { toDisable, settled } = splitExpired(findExpiredCells(desired, plan, live), desired.guards);
    expect(toDisable.map((c) => c.country)).toEqual(['MX']);
    expect(settled).toMatchObject([
      {
        country: 'BR',
        outcome: 'protected',
        detail: 'guards.never_disable (line 2) protects BR: reported, not disabled',
      },
    ]);
  });
});

describe('closeExpired (through applyPlan)', () => {
  it('writes exactly the expired cells, reads them back, and leaves every other drift alone', async () => {
    const f = fleet();
    const { desired, plan, live, gateway } = await scan(POLICY(), f);
    const cells = findExpiredCells(desired, plan, live);
    const expired = await closeExpired({ desired, plan, live, cells, gateway, options: { concurrency: 2 } });
    expect(expired.cells.map((c) => [c.country, c.outcome])).toEqual([
      ['BR', 'disabled'],
      ['MX', 'disabled'],
    ]);
    expect(f.accounts[sid(1)]!.voice.BR!.low_risk).toBe(false);
    expect(f.accounts[sid(1)]!.messaging.MX).toBe(false);
    // GB high-risk special is drift too, but no expired exception granted it: it is not written.
    expect(f.accounts[sid(1)]!.voice.GB!.high_risk_special).toBe(true);
    expect(writeCalls(f).map((c) => [c.sid, c.op, c.detail])).toEqual([
      [
        sid(1),
        'voice.bulk',
        [{ iso: 'BR', low_risk: false, high_risk_special: false, high_risk_tollfraud: false }],
      ],
      [sid(1), 'messaging.patch', [{ iso: 'MX', enabled: false }]],
    ]);
    expect(expired.writeRequests).toBe(2);

    const report = withExpiry(frameDrift(plan, NO_EVENTS, desired.guards), expired);
    expect(report.items.map((i) => `${i.category} ${i.country}`)).toEqual(['voice.high_risk_special GB']);
    expect(report.exposure.opens).toBe(1);
    // Nor in its plan: an on-drift: revert of the same run neither counts nor writes them again.
    expect(report.plan.summary.changes).toBe(1);
    expect(expiredDisabled(report)).toBe(2);
    expect(report.fingerprint).not.toBe(plan.fingerprint);
  });

  it('a failed disable stays drift and says why; the other cells still close', async () => {
    const f = fleet({ voiceFailIso: ['BR'] });
    const { desired, plan, live, gateway } = await scan(POLICY(), f);
    const cells = findExpiredCells(desired, plan, live);
    const expired = await closeExpired({ desired, plan, live, cells, gateway, options: { concurrency: 2 } });
    expect(expired.cells.map((c) => [c.country, c.outcome, c.errorCode])).toEqual([
      ['BR', 'failed', 20001],
      ['MX', 'disabled', null],
    ]);
    expect(expired.cells[0]!.detail).toContain('Twilio rejected the update for BR');
    const report = withExpiry(frameDrift(plan, NO_EVENTS, desired.guards), expired);
    expect(report.items.map((i) => `${i.category} ${i.country}`).sort()).toEqual([
      'voice.high_risk_special GB',
      'voice.low_risk BR',
    ]);
  });

  it('a cancel before an account starts skips its cells and writes nothing', async () => {
    const f = fleet();
    const { desired, plan, live, gateway } = await scan(POLICY(), f);
    const cells = findExpiredCells(desired, plan, live);
    const cancel = new AbortController();
    cancel.abort();
    const expired = await closeExpired({
      desired,
      plan,
      live,
      cells,
      gateway,
      options: { concurrency: 2, signal: cancel.signal },
    });
    expect(expired.cancelled).toBe(true);
    expect(expired.cells.map((c) => c.outcome)).toEqual(['skipped', 'skipped']);
    expect(writeCalls(f)).toEqual([]);
  });

  it('under expired: report (or a run that does not write) reports each cell and writes nothing', async () => {
    const f = fleet();
    const { desired, plan, live } = await scan(POLICY('expired: report\n'), f);
    expect(desired.expiry.expired).toBe('report');
    const expired = expiredNotEnforced(
      findExpiredCells(desired, plan, live),
      'report',
      desired.guards,
      EXPIRED_DETAIL.report,
    );
    expect(expired.cells.map((c) => [c.country, c.outcome, c.detail])).toEqual([
      ['BR', 'reported', EXPIRED_DETAIL.report],
      ['MX', 'reported', EXPIRED_DETAIL.report],
    ]);
    const report = withExpiry(frameDrift(plan, NO_EVENTS, desired.guards), expired);
    expect(report.items).toHaveLength(3);
    expect(report.fingerprint).toBe(plan.fingerprint);
    expect(writeCalls(f)).toEqual([]);
  });
});

describe('exceptionStatuses', () => {
  it('lists every time-boxed exception with whether its cell is open live, after what the run closed', async () => {
    const { desired, plan, live } = await scan(POLICY(), fleet());
    const rows = (statuses: ReturnType<typeof exceptionStatuses>) =>
      statuses.map((s) => [s.exception.account, s.exception.country, s.exception.daysLeft, s.openLive]);
    expect(rows(exceptionStatuses(desired, plan))).toEqual([
      ['production', 'BR', -1, 1],
      ['production', 'MX', -16, 1],
      ['production', 'DE', 120, 1],
      ['ops', 'FR', 9, 1],
    ]);
    expect(
      exceptionStatuses(desired, plan)
        .filter(expiredAndOpen)
        .map((s) => s.exception.country),
    ).toEqual(['BR', 'MX']);
    const cells = findExpiredCells(desired, plan, live);
    const closed = new Set(cells.map(cellId));
    expect(rows(exceptionStatuses(desired, plan, closed)).map((r) => r[3])).toEqual([0, 0, 1, 1]);
    expect(exceptionStatuses(desired, null).map((s) => s.openLive)).toEqual([null, null, null, null]);
  });

  it("counts a template's exception over its members, one entry for all of them", async () => {
    const text = `version: 1
accounts:
  prod:
    sid: ${sid(1)}
fleets:
  customers:
    parent: prod
    match: "cust-*"
    messaging: [US, {country: MX, expires: 2026-11-01, ticket: SALES-9}]
`;
    const members = [2, 3, 4].map((n) =>
      fakeAccount(n, {
        name: `cust-${n}`,
        parent: 1,
        countries: ['US', 'MX'],
        messaging: { US: true, MX: n !== 4 },
      }),
    );
    const f = fakeFleet([fakeAccount(1, { name: 'prod' }), ...members]);
    const { desired, plan, live } = await scan(text, f);
    const [status] = exceptionStatuses(desired, plan);
    expect(status).toMatchObject({
      exception: { account: 'fleets.customers', fleet: 'customers', country: 'MX' },
      accounts: 3,
      openLive: 2,
      unread: 0,
    });
    const cells = findExpiredCells(desired, plan, live);
    expect(cells.map((c) => [c.account, c.country, c.exception.ticket])).toEqual([
      ['cust-2', 'MX', 'SALES-9'],
      ['cust-3', 'MX', 'SALES-9'],
    ]);
    // The clean-up pull request's view: one state for the template, still open while a member has it.
    const report = frameDrift(plan, NO_EVENTS, desired.guards);
    expect(expiredCellStates(desired, report)).toEqual([
      { account: 'fleets.customers', list: 'messaging', country: 'MX', outcome: 'still open' },
    ]);
  });
});

describe('closing never disables what the policy still grants, nor opens anything', () => {
  /** production's BR exception expired; support follows production's voice lists live. */
  const FOLLOWER = (support: string) => `version: 1
accounts:
  production:
    sid: ${sid(1)}
    voice:
      low_risk: [US, {country: BR, expires: 2026-11-30, ticket: OPS-42}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [US]
  support:
    sid: ${sid(2)}
    parent: production
    voice: ${support}
    messaging: [US]
`;
  const followerFleet = () =>
    fakeFleet([
      fakeAccount(1, {
        name: 'production',
        voice: { US: { low_risk: true }, BR: { low_risk: true } },
        messaging: { US: true },
      }),
      fakeAccount(2, { name: 'support', parent: 1, inheritance: true, messaging: { US: true } }),
    ]);

  it("leaves a parent's cell open while a subaccount that follows it live has a policy granting it", async () => {
    const f = followerFleet();
    const { desired, plan, live, gateway } = await scan(FOLLOWER('{inherit: false, low_risk: [US, BR]}'), f);
    const cells = findExpiredCells(desired, plan, live);
    expect(splitExpired(cells, desired.guards).toDisable).toEqual([]);
    const expired = await closeExpired({ desired, plan, live, cells, gateway, options: { concurrency: 2 } });
    expect(expired.cells.map((c) => [c.account, c.country, c.outcome])).toEqual([
      ['production', 'BR', 'reported'],
    ]);
    expect(expired.cells[0]!.neededBy).toEqual([{ account: 'support', sid: sid(2) }]);
    expect(expired.cells[0]!.detail).toBe(
      "left open: support follows production's voice lists live (or could not be read) and its own " +
        'policy grants BR, which closing it would take from it too; a run closes it once it leaves ' +
        'inheritance (an apply of the policy)',
    );
    expect(f.accounts[sid(1)]!.voice.BR!.low_risk).toBe(true);
    expect(writeCalls(f)).toEqual([]);

    // Nor when the subaccount could not be read: whether it follows is unknown.
    const unread = followerFleet();
    unread.faults.unreachable = [sid(2)];
    const again = await scan(FOLLOWER('{inherit: false, low_risk: [US, BR]}'), unread);
    const held = findExpiredCells(again.desired, again.plan, again.live);
    expect(held.map((c) => [c.country, c.neededBy])).toEqual([['BR', [{ account: 'support', sid: sid(2) }]]]);
    expect(splitExpired(held, again.desired.guards).toDisable).toEqual([]);
  });

  it('in a sharded run, leaves it open for a subaccount another shard applies, read like one of its own', async () => {
    // production and support in different shards: production's job does not read support in its scan.
    const count = [2, 3, 4, 5, 6, 7, 8].find((n) => shardOf(sid(1), n) !== shardOf(sid(2), n))!;
    const shard = { index: shardOf(sid(1), count), count };
    for (const [inherits, outcome] of [
      [true, 'reported'],
      [false, 'disabled'],
    ] as const) {
      const f = followerFleet();
      f.accounts[sid(2)]!.inheritance = inherits;
      const { desired, plan, live, gateway } = await scan(
        FOLLOWER('{inherit: false, low_risk: [US, BR]}'),
        f,
        shard,
      );
      expect(plan.accounts.map((a) => a.account)).toEqual(['production']);
      const cells = findExpiredCells(desired, plan, live);
      const expired = await closeExpired({
        desired,
        plan,
        live,
        cells,
        gateway,
        options: { concurrency: 2 },
      });
      expect(expired.cells.map((c) => [c.account, c.country, c.outcome])).toEqual([
        ['production', 'BR', outcome],
      ]);
      expect(f.accounts[sid(1)]!.voice.BR?.low_risk ?? false).toBe(inherits);
      if (inherits) expect(expired.cells[0]!.neededBy).toEqual([{ account: 'support', sid: sid(2) }]);
    }
  });

  it("closes the parent's cell when the following subaccount's policy inherits, or does not grant it", async () => {
    for (const support of ['{inherit: true}', '{inherit: false, low_risk: [US]}']) {
      const f = followerFleet();
      const { desired, plan, live, gateway } = await scan(FOLLOWER(support), f);
      const cells = findExpiredCells(desired, plan, live);
      const expired = await closeExpired({
        desired,
        plan,
        live,
        cells,
        gateway,
        options: { concurrency: 2 },
      });
      expect(expired.cells.map((c) => [c.account, c.country, c.outcome])).toEqual([
        ['production', 'BR', 'disabled'],
      ]);
    }
  });

  it('writes from a fresh read: a flag switched off since the scan is not switched back on', async () => {
    const text = POLICY().replace('high_risk_special: []', 'high_risk_special: [GB]');
    const f = fleet();
    f.accounts[sid(1)]!.voice.BR = { low_risk: true, high_risk_special: true, high_risk_tollfraud: false };
    const { desired, plan, live, gateway } = await scan(text, f);
    const cells = findExpiredCells(desired, plan, live);
    expect(cells.map((c) => `${c.category} ${c.country}`)).toEqual(['voice.low_risk BR', 'messaging MX']);
    // While the scan read Monitor Events, someone closed BR's high-risk special numbers and opened FR.
    f.accounts[sid(1)]!.voice.BR!.high_risk_special = false;
    f.accounts[sid(1)]!.voice.FR = { low_risk: true, high_risk_special: false, high_risk_tollfraud: false };
    const expired = await closeExpired({ desired, plan, live, cells, gateway, options: { concurrency: 2 } });
    expect(expired.cells.map((c) => [c.country, c.outcome])).toEqual([
      ['BR', 'disabled'],
      ['MX', 'disabled'],
    ]);
    expect(f.accounts[sid(1)]!.voice.BR).toEqual({
      low_risk: false,
      high_risk_special: false,
      high_risk_tollfraud: false,
    });
    // Only the expired cells are written: what changed since the scan is not this run's to undo.
    expect(f.accounts[sid(1)]!.voice.FR!.low_risk).toBe(true);
    expect(writeCalls(f).map((c) => [c.op, c.detail])).toEqual([
      ['voice.bulk', [{ iso: 'BR', low_risk: false, high_risk_special: false, high_risk_tollfraud: false }]],
      ['messaging.patch', [{ iso: 'MX', enabled: false }]],
    ]);
  });
});

describe("a close that takes an account's last route", () => {
  const LAST = (lowRisk: string) => `version: 1
accounts:
  production:
    sid: ${sid(1)}
    voice:
      low_risk: [${lowRisk}{country: BR, expires: 2026-11-30, ticket: OPS-42}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [{country: MX, expires: 2026-11-15}]
`;
  const lastFleet = (voice: Record<string, { low_risk?: boolean; high_risk_special?: boolean }>) =>
    fakeFleet([
      fakeAccount(1, {
        name: 'production',
        voice,
        messaging: { MX: true },
        countries: ['US', 'BR', 'GB', 'MX'],
      }),
    ]);

  it('is high risk and said, judged by what stays open live, not by what the policy grants', async () => {
    // The policy grants US, but US is off live: closing BR leaves production no voice route at all.
    const f = lastFleet({ BR: { low_risk: true } });
    const { desired, plan, live, gateway } = await scan(LAST('US, '), f);
    const cells = findExpiredCells(desired, plan, live);
    expect(cells.map((c) => [c.category, c.country, c.risk, c.note])).toEqual([
      ['messaging', 'MX', 'high', 'last_route'],
      ['voice.low_risk', 'BR', 'high', 'last_route'],
    ]);
    const expired = await closeExpired({ desired, plan, live, cells, gateway, options: { concurrency: 2 } });
    const report = withExpiry(frameDrift(plan, NO_EVENTS, desired.guards), expired);
    const markdown = driftSection(report);
    expect(markdown).toContain(
      "| 🟠 high (the account's last voice route) | voice low-risk | BR Brazil | production |",
    );
    expect(markdown).toContain("| 🟠 high (the account's last messaging country) | messaging | MX Mexico |");
    expect(renderReport('drift', 'text', report)).toContain("high (the account's last voice route)");
    // The job log warns too: the account can no longer call or message anywhere.
    expect(lastRouteLine(expired)).toBe(
      "Closing expired exceptions left production (the account's last voice route), production " +
        "(the account's last messaging country) with nothing open live: grant what the account needs in the " +
        'policy, with a reviewed change',
    );
  });

  it('is an ordinary close while another route stays open live, whatever the policy grants', async () => {
    // The policy grants no voice at all (the plan calls every close a last route), but GB stays open live.
    const f = lastFleet({ BR: { low_risk: true }, GB: { high_risk_special: true } });
    const { desired, plan, live } = await scan(LAST(''), f);
    const cells = findExpiredCells(desired, plan, live);
    expect(cells.map((c) => [c.category, c.country, c.risk, c.note])).toEqual([
      ['voice.low_risk', 'BR', 'low', null],
      ['messaging', 'MX', 'high', 'last_route'],
    ]);
  });
});
