import { describe, expect, it } from 'vitest';
import { readDriftEvents } from '../../src/live/events.js';
import { readLiveState } from '../../src/live/read.js';
import type { GeoEvent } from '../../src/model/twilio-port.js';
import { buildPlan } from '../../src/plan/build.js';
import { attribute, frameDrift } from '../../src/plan/drift.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  sid,
} from '../support/fake-account-client.js';

const now = new Date('2026-11-25T12:00:00Z');
const event = (over: Partial<GeoEvent>): GeoEvent => ({
  sid: 'AE1',
  eventType: 'voice-geographic-permissions.updated',
  eventDate: '2026-11-20T09:00:00.000Z',
  actorSid: 'US42',
  actorType: 'user',
  source: 'web',
  sourceIpAddress: '203.0.113.7',
  description: null,
  changes: [],
  ...over,
});

describe('frameDrift', () => {
  it('attributes a Console change to its user, IP and time, and says unknown otherwise', async () => {
    const account = fakeAccount(1, {
      countries: ['US', 'MX', 'FR'],
      voice: { MX: { low_risk: true }, FR: { low_risk: true } },
    });
    account.events.push(
      event({
        changes: [{ country: 'MX', field: 'low_risk_numbers_enabled', previous: 'false', updated: 'true' }],
      }),
      event({
        sid: 'AE2',
        eventType: 'sms-geographic-permissions.updated',
        eventDate: '2026-11-24T09:00:00.000Z',
        actorSid: sid(1),
        actorType: 'account',
        source: 'api',
        sourceIpAddress: '198.51.100.20',
        changes: [{ country: 'FR', field: 'enabled', previous: 'enabled', updated: 'disabled' }],
      }),
      // Outside the lookback window: ignored.
      event({
        sid: 'AE0',
        eventDate: '2026-01-01T00:00:00.000Z',
        changes: [{ country: 'FR', field: 'low_risk_numbers_enabled', previous: 'false', updated: 'true' }],
      }),
    );
    const fleet = fakeFleet([account]);
    const desired = desiredState([desiredAccount(1, { messaging: ['FR'] })]);
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 });
    const plan = buildPlan(desired, live);
    const events = await readDriftEvents(fakeGateway(fleet), desired, plan, { now, lookbackDays: 30 });
    const report = frameDrift(plan, events);
    const byCell = Object.fromEntries(report.items.map((i) => [`${i.category} ${i.country}`, i.attribution]));
    expect(byCell['voice.low_risk MX']).toMatchObject({
      actorType: 'user',
      actorSid: 'US42',
      sourceIpAddress: '203.0.113.7',
    });
    expect(byCell['messaging FR']).toMatchObject({ sid: 'AE2', actorType: 'account', source: 'api' });
    expect(byCell['voice.low_risk FR']).toBeNull();
    expect(report.complete).toBe(true);
  });

  it('is incomplete when an account could not be read, and keeps drift when events cannot be read', async () => {
    const one = fakeAccount(1, { voice: { US: { low_risk: true } } });
    one.events.push(
      event({
        changes: [{ country: 'US', field: 'low_risk_numbers_enabled', previous: 'false', updated: 'true' }],
      }),
    );
    const fleet = fakeFleet([one, fakeAccount(2)], { unreachable: [sid(2)] });
    const desired = desiredState([desiredAccount(1), desiredAccount(2)]);
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 2 });
    const plan = buildPlan(desired, live);
    // Events are fetched after the read; here account 1 has become unreachable in between.
    const eventsFail = fakeGateway({ ...fleet, faults: { unreachable: [sid(1), sid(2)] } });
    const failed = await readDriftEvents(eventsFail, desired, plan, { now, lookbackDays: 30 });
    const report = frameDrift(plan, failed);
    expect(report.complete).toBe(false);
    expect(report.items.map((i) => [i.account, i.category, i.country, i.attribution])).toEqual([
      [desired.accounts[0]!.name, 'voice.low_risk', 'US', null],
    ]);
    // With events readable, the same drift is attributed: the null above comes from the failed read.
    const read = await readDriftEvents(fakeGateway(fleet), desired, plan, { now, lookbackDays: 30 });
    expect(frameDrift(plan, read).items[0]?.attribution).toMatchObject({ actorSid: 'US42' });
  });

  it('is pure: the same plan and events frame the same report, and the plan is the one given', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { US: { low_risk: true } } })]);
    const desired = desiredState([desiredAccount(1)]);
    const plan = buildPlan(desired, await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 }));
    const events = {
      bySid: {
        [sid(1)]: [
          event({
            changes: [
              { country: 'US', field: 'low_risk_numbers_enabled', previous: 'false', updated: 'true' },
            ],
          }),
        ],
      },
      errors: [],
      lookbackDays: 30,
    };
    const report = frameDrift(plan, events);
    expect(report.plan).toBe(plan);
    expect(report).toEqual(frameDrift(plan, events));
    expect(report).toMatchObject({
      schemaVersion: 1,
      policyFile: plan.policyFile,
      fingerprint: plan.fingerprint,
    });
    expect(report.items.map((i) => i.attribution?.sid)).toEqual(['AE1']);
    // No events for the account: its items stay, unattributed.
    expect(
      frameDrift(plan, { bySid: {}, errors: [], lookbackDays: 30 }).items.map((i) => i.attribution),
    ).toEqual([null]);
  });
});

describe('attribute', () => {
  it('takes the newest matching event and ignores one that set another value', () => {
    const mx = (updated: string, eventDate: string, sid: string) =>
      event({
        sid,
        eventDate,
        changes: [{ country: 'MX', field: 'low_risk_numbers_enabled', previous: null, updated }],
      });
    const item = {
      account: 'prod',
      sid: sid(1),
      category: 'voice.low_risk' as const,
      country: 'MX',
      from: true,
      to: false,
      risk: 'low' as const,
      direction: 'closes' as const,
      note: null,
      countryName: 'Mexico',
      continent: 'NORTH_AMERICA',
      kind: 'write' as const,
      manual: null,
      source: null,
    };
    const events = [
      mx('true', '2026-11-01T00:00:00.000Z', 'AE1'),
      mx('true', '2026-11-03T00:00:00.000Z', 'AE3'),
      mx('false', '2026-11-04T00:00:00.000Z', 'AE4'),
    ];
    expect(attribute(item, events)?.sid).toBe('AE3');
    expect(attribute(item, [])).toBeNull();
  });

  it('a created event without a value set the cell on, a deleted one off', () => {
    const item = {
      account: 'prod',
      sid: sid(1),
      category: 'messaging' as const,
      country: 'NG',
      from: true,
      to: false,
      risk: 'medium' as const,
      direction: 'opens' as const,
      note: null,
      countryName: 'Nigeria',
      continent: 'AFRICA',
      kind: 'write' as const,
      manual: null,
      source: null,
    };
    const ng = (type: 'created' | 'deleted', sid: string, eventDate: string) =>
      event({
        sid,
        eventType: `sms-geographic-permissions.${type}`,
        eventDate,
        changes: [{ country: 'NG', field: 'enabled', previous: null, updated: null }],
      });
    const created = ng('created', 'AE1', '2026-11-01T00:00:00.000Z');
    const deleted = ng('deleted', 'AE2', '2026-11-02T00:00:00.000Z');
    // NG is on live: the newer deletion did not set that; the creation did.
    expect(attribute(item, [created, deleted])?.sid).toBe('AE1');
    expect(attribute({ ...item, from: false, to: true }, [created, deleted])?.sid).toBe('AE2');
  });
});
