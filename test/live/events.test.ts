import { describe, expect, it } from 'vitest';
import { readDriftEvents } from '../../src/live/events.js';
import { readLiveState } from '../../src/live/read.js';
import type { GeoEvent } from '../../src/model/twilio-port.js';
import { buildPlan } from '../../src/plan/build.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  sid,
} from '../support/fake-account-client.js';

const now = new Date('2026-11-25T12:00:00Z');
const event = (eventSid: string, eventDate: string): GeoEvent => ({
  sid: eventSid,
  eventType: 'voice-geographic-permissions.updated',
  eventDate,
  actorSid: 'US42',
  actorType: 'user',
  source: 'web',
  sourceIpAddress: '203.0.113.7',
  description: null,
  changes: [{ country: 'US', field: 'low_risk_numbers_enabled', previous: 'false', updated: 'true' }],
});

describe('readDriftEvents', () => {
  it('reads the events of the drifted accounts only, since the lookback window opened', async () => {
    const drifted = fakeAccount(1, { voice: { US: { low_risk: true } } });
    drifted.events.push(event('AE1', '2026-11-20T00:00:00.000Z'), event('AE0', '2026-10-01T00:00:00.000Z'));
    const clean = fakeAccount(2);
    clean.events.push(event('AE2', '2026-11-20T00:00:00.000Z'));
    const fleet = fakeFleet([drifted, clean]);
    const desired = desiredState([desiredAccount(1), desiredAccount(2)]);
    const plan = buildPlan(desired, await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 }));
    fleet.calls.length = 0;

    const read = await readDriftEvents(fakeGateway(fleet), desired, plan, { now, lookbackDays: 30 });
    expect(read.errors).toEqual([]);
    expect(Object.keys(read.bySid)).toEqual([sid(1)]);
    expect(read.bySid[sid(1)]!.map((e) => e.sid)).toEqual(['AE1']);
    expect(fleet.calls.filter((c) => c.op === 'events').map((c) => c.sid)).toEqual([sid(1)]);
  });

  it('captures an account whose events cannot be read, and reads the others', async () => {
    const one = fakeAccount(1, { voice: { US: { low_risk: true } } });
    const two = fakeAccount(2, { voice: { US: { low_risk: true } } });
    two.events.push(event('AE2', '2026-11-20T00:00:00.000Z'));
    const fleet = fakeFleet([one, two]);
    const desired = desiredState([desiredAccount(1), desiredAccount(2)]);
    const plan = buildPlan(desired, await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 }));

    const unreachable = fakeGateway({ ...fleet, faults: { unreachable: [sid(1)] } });
    const read = await readDriftEvents(unreachable, desired, plan, { now, lookbackDays: 30 });
    expect(read.errors).toEqual([
      {
        account: desired.accounts[0]!.name,
        sid: sid(1),
        message: expect.any(String),
        reason: expect.any(String),
      },
    ]);
    expect(read.bySid[sid(1)]).toBeUndefined();
    expect(read.bySid[sid(2)]!.map((e) => e.sid)).toEqual(['AE2']);
  });
});
