import { describe, expect, it } from 'vitest';
import { readDriftEvents } from '../../src/live/events.js';
import { readLiveState } from '../../src/live/read.js';
import type { GeoEvent } from '../../src/model/twilio-port.js';
import type { TwilioGateway } from '../../src/model/twilio-port.js';
import { buildPlan } from '../../src/plan/build.js';
import { frameDrift } from '../../src/plan/drift.js';
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

  it('many drifted accounts, read at once: the same result as one at a time, whatever order they finish in', async () => {
    // 30 accounts, every third matching the policy; every fifth cannot be reached for its events.
    const accounts = Array.from({ length: 30 }, (_, i) => {
      const n = i + 1;
      const account = fakeAccount(
        n,
        n % 3 === 0 ? {} : { voice: { US: { low_risk: true }, GB: { low_risk: true } } },
      );
      account.events.push(
        { ...event(`AE${n}a`, '2026-11-20T00:00:00.000Z'), actorSid: `US${n}` },
        {
          ...event(`AE${n}b`, '2026-11-21T00:00:00.000Z'),
          changes: [{ country: 'GB', field: 'low_risk_numbers_enabled', previous: 'false', updated: 'true' }],
        },
      );
      return account;
    });
    const fleet = fakeFleet(accounts);
    const unreachable = accounts.filter((_, i) => (i + 1) % 5 === 0).map((a) => a.identity.sid);
    const eventsFleet = { ...fleet, faults: { unreachable } };
    const desired = desiredState(accounts.map((_, i) => desiredAccount(i + 1)));
    const plan = buildPlan(desired, await readLiveState(fakeGateway(fleet), desired, { concurrency: 4 }));

    // Each account's events answer after a different number of turns of the event loop, so the reads
    // finish out of the plan's order; no clock is involved.
    const finished: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const shuffled = (gateway: TwilioGateway): TwilioGateway => ({
      async forAccount(target) {
        const client = await gateway.forAccount(target);
        const turns = (Number.parseInt(target.sid.slice(-2), 10) * 7) % 11;
        return Object.assign(Object.create(client) as typeof client, {
          async listGeoEvents(since: Date) {
            mostInFlight = Math.max(mostInFlight, ++inFlight);
            for (let t = 0; t < turns; t++) await new Promise((resolve) => setImmediate(resolve));
            inFlight--;
            finished.push(target.sid);
            return client.listGeoEvents(since);
          },
        });
      },
    });
    const options = { now, lookbackDays: 30 };
    const oneAtATime = await readDriftEvents(fakeGateway(eventsFleet), desired, plan, {
      ...options,
      concurrency: 1,
    });
    const atOnce = await readDriftEvents(shuffled(fakeGateway(eventsFleet)), desired, plan, {
      ...options,
      concurrency: 6,
    });

    const drifted = plan.accounts.filter((a) => a.changes.length > 0).map((a) => a.sid);
    const read = drifted.filter((s) => !unreachable.includes(s));
    expect(drifted).toHaveLength(20);
    expect(finished).toHaveLength(read.length);
    expect(finished).not.toEqual(read);
    expect(mostInFlight).toBe(6);
    expect(atOnce).toEqual(oneAtATime);
    expect(Object.keys(atOnce.bySid)).toEqual(read);
    expect(atOnce.errors.map((e) => e.sid)).toEqual(drifted.filter((s) => !read.includes(s)));
    // The same events attributed to the same cells, in every report built from them.
    const framed = frameDrift(plan, atOnce);
    expect(JSON.stringify(framed)).toBe(JSON.stringify(frameDrift(plan, oneAtATime)));
    const attributed = framed.items.filter((i) => i.attribution !== null);
    expect(attributed.map((i) => [i.sid, i.country, i.attribution?.sid])).toEqual(
      read.flatMap((s) => {
        const n = Number.parseInt(s.slice(-2), 10);
        return [
          [s, 'GB', `AE${n}b`],
          [s, 'US', `AE${n}a`],
        ];
      }),
    );
  });
});
