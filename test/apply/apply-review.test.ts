// Hostile review of the reduced-read apply (identity from discovery, confirm without inheritance, end-pass read-back).
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import type { AccountClient, MessagingUpdate, TwilioGateway } from '../../src/model/twilio-port.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
  sid,
} from '../support/fake-account-client.js';

const options = {
  batchSize: 2,
  concurrency: 1,
  readBack: { attempts: 3, delayMs: 0 },
  sleep: async () => {},
};

/** A gateway whose clients run `before` ahead of each messaging update. */
function hooked(gateway: TwilioGateway, before: (sid: string, updates: readonly MessagingUpdate[]) => void) {
  return {
    async forAccount(target) {
      const client = await gateway.forAccount(target);
      return Object.assign(Object.create(Object.getPrototypeOf(client)), client, {
        updateMessaging: async (updates: MessagingUpdate[]) => {
          before(target.sid, updates);
          return client.updateMessaging(updates);
        },
      }) as AccountClient;
    },
  } satisfies TwilioGateway;
}

describe('apply with fewer reads (review)', () => {
  it('fails a subaccount another writer put back into inheritance after its re-read (the check before the enables no longer reads it)', async () => {
    const fleet = fakeFleet([
      fakeAccount(1),
      fakeAccount(2, { parent: 1, voice: { BR: { low_risk: true } }, messaging: { BR: true } }),
    ]);
    const desired = desiredState([
      desiredAccount(1),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US'], messaging: ['US'] }),
    ]);
    const plan = await planAgainst(desired, fleet);
    // The messaging disables go out after the voice disables: the concurrent writer acts right then.
    const gateway = hooked(fakeGateway(fleet), (s, updates) => {
      if (s === sid(2) && updates.every((u) => !u.enabled)) fleet.accounts[sid(2)]!.inheritance = true;
    });
    const result = await applyPlan(desired, plan, gateway, options);
    expect(result.ok).toBe(false);
    expect(result.cells).toContainEqual(
      expect.objectContaining({ category: 'voice.inherit', outcome: 'failed' }),
    );
    expect(result.cells).not.toContainEqual(
      expect.objectContaining({ category: 'voice.low_risk', country: 'US', outcome: 'verified' }),
    );
  });

  it('after a cancel once many end-pass subaccounts wrote, reads back at most concurrency of them and verifies none of the others', async () => {
    const subs = [2, 3, 4, 5];
    const fleet = fakeFleet([fakeAccount(1), ...subs.map((n) => fakeAccount(n, { parent: 1 }))]);
    const desired = desiredState([
      desiredAccount(1),
      ...subs.map((n) => desiredAccount(n, { parent: { name: 'account-1', n: 1 }, messaging: ['US'] })),
    ]);
    const plan = await planAgainst(desired, fleet);
    const controller = new AbortController();
    let written = 0;
    const gateway = hooked(fakeGateway(fleet), () => {
      if (++written === subs.length) queueMicrotask(() => controller.abort());
    });
    const result = await applyPlan(desired, plan, gateway, { ...options, signal: controller.signal });
    expect(result.ok).toBe(false);
    const rows = result.cells.filter((c) => c.category === 'messaging');
    expect(rows).toHaveLength(subs.length);
    // Each was written: those read back verified; the others uncertain, never verified.
    const verified = rows.filter((c) => c.outcome === 'verified');
    expect(verified.length).toBeLessThanOrEqual(2); // the one in flight at the cancel + concurrency (1)
    for (const c of rows.filter((r) => r.outcome !== 'verified')) {
      expect(c.outcome).toBe('failed');
      expect(c.detail).toMatch(/not read back|could not read back|read back/);
    }
  });
});
