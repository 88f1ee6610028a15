// Issue 12, item 7: Twilio keeps Monitor Events 30 days on the free edition, 13 months on the paid ones
// (Monitor Events docs). The emulator returns only the events its account's retention still holds, and a
// drift report whose lookback goes beyond the free edition's retention says so.
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import { readDriftEvents } from '../../src/live/events.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { frameDrift } from '../../src/plan/drift.js';
import { lookbackNotices } from '../../src/plan/retention.js';
import { renderReport } from '../../src/report/index.js';
import { rawTwilio } from '../support/emulator-helpers.js';
import {
  desiredOf,
  fleetState,
  gatewayFor,
  SIDS,
  startFleet,
  SUPPORT_EU_TOKEN,
} from '../support/hardening.js';

const DAY = 86_400_000;

/** support-eu's FR messaging was disabled `daysAgo` days ago by a Console user (the fleet's drift). */
function fleetWithOldEvent(daysAgo: number, monitorRetentionDays?: number): EmulatorState {
  const state = fleetState();
  const eu = state.accounts.find((a) => a.sid === SIDS.supportEu)!;
  if (monitorRetentionDays !== undefined) eu.monitorRetentionDays = monitorRetentionDays;
  state.events.push({
    sid: 'AE0000000000000000000000000000000a',
    accountSid: SIDS.supportEu,
    eventType: 'sms-geographic-permissions.updated',
    resourceType: 'sms-geographic-permissions',
    eventDate: new Date(Date.now() - daysAgo * DAY).toISOString(),
    actorSid: SIDS.consoleUser,
    actorType: 'user',
    source: 'web',
    sourceIpAddress: '203.0.113.7',
    description: 'SMS geo permissions updated',
    eventData: { resource_properties: { France: { previous: 'enabled', updated: 'disabled' } } },
  });
  return state;
}

let emulator: RunningEmulator;
afterEach(async () => {
  await emulator.stop();
});

async function driftReport(state: EmulatorState, lookbackDays: number) {
  emulator = await startFleet(state);
  const desired = desiredOf();
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  const events = await readDriftEvents(gateway, desired, plan, { now: new Date(), lookbackDays });
  return frameDrift(plan, events);
}

const frMessaging = (report: Awaited<ReturnType<typeof driftReport>>) =>
  report.items.find((i) => i.account === 'support-eu' && i.category === 'messaging' && i.country === 'FR');

describe('Monitor retention in the emulator', () => {
  it('returns no event older than the account retention (30 days unless the state says otherwise)', async () => {
    emulator = await startFleet(fleetWithOldEvent(45));
    const since = new Date(Date.now() - 60 * DAY).toISOString();
    const path = `/v1/Events?StartDate=${encodeURIComponent(since)}`;
    const free = await rawTwilio(emulator, 'GET', path, [SIDS.supportEu, SUPPORT_EU_TOKEN]);
    expect(free.body.events).toEqual([]);
    await emulator.stop();
    emulator = await startFleet(fleetWithOldEvent(45, 395));
    const paid = await rawTwilio(emulator, 'GET', path, [SIDS.supportEu, SUPPORT_EU_TOKEN]);
    expect(paid.body.events.map((e: { sid: string }) => e.sid)).toEqual([
      'AE0000000000000000000000000000000a',
    ]);
  });
});

describe('a drift lookback beyond the retention', () => {
  it('on the free edition the older event is gone: the cell is unattributed and the report says why', async () => {
    const report = await driftReport(fleetWithOldEvent(45), 60);
    expect(frMessaging(report)?.attribution).toBeNull();
    expect(report.notices).toEqual([
      "The lookback (60 days) exceeds Twilio Monitor's 30-day retention on the free edition: on accounts without Administration, Security or Enterprise Edition, changes older than 30 days cannot be attributed.",
    ]);
    // In the JSON report as its own field.
    expect(JSON.parse(renderReport('drift', 'json', report)).notices).toEqual(report.notices);
  });

  it('with a paid edition the event is still there and attributed; the notice stays (the edition is not known)', async () => {
    const report = await driftReport(fleetWithOldEvent(45, 395), 60);
    expect(frMessaging(report)?.attribution).toMatchObject({ actorSid: SIDS.consoleUser });
    expect(report.notices).toHaveLength(1);
  });

  it('within 30 days there is no notice; beyond 13 months the notice says no edition keeps it', async () => {
    expect(lookbackNotices(30)).toEqual([]);
    expect(lookbackNotices(400)).toEqual([
      "The lookback (400 days) exceeds Twilio Monitor's retention on every edition (13 months): changes older than that cannot be attributed.",
    ]);
    const report = await driftReport(fleetWithOldEvent(10), 30);
    expect(report.notices).toEqual([]);
    expect(frMessaging(report)?.attribution).toMatchObject({ actorSid: SIDS.consoleUser });
  });
});
