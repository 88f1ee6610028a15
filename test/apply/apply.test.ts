import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { readLiveState } from '../../src/live/read.js';
import type { AccountClient, TwilioGateway, VoiceCountryUpdate } from '../../src/model/twilio-port.js';
import { buildPlan } from '../../src/plan/build.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
  writeCalls,
} from '../support/fake-account-client.js';

const options = {
  batchSize: 2,
  concurrency: 2,
  readBack: { attempts: 3, delayMs: 0 },
  sleep: async () => {},
};

describe('applyPlan', () => {
  it('writes disables, then messaging, then enables, in batches, reads everything back, and is idempotent', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { BR: { low_risk: true }, DE: { low_risk: true } }, messaging: { BR: true } }),
    ]);
    const desired = desiredState([desiredAccount(1, { low: ['US', 'FR', 'GB'], messaging: ['US'] })]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(result.ok).toBe(true);
    expect(result.summary).toEqual({ verified: 7, failed: 0, manual: 0, skipped: 0 });
    const writes = writeCalls(fleet).map((c) => `${c.op} ${JSON.stringify(c.detail)}`);
    // 1 disable batch (BR, DE), the messaging disables then enables, 2 enable batches (FR, GB | US)
    expect(writes).toHaveLength(5);
    expect(writes[0]).toContain('"iso":"BR"');
    expect(writes[0]).toContain('"iso":"DE"');
    expect(writes[1]).toBe('messaging.patch [{"iso":"BR","enabled":false}]');
    expect(writes[2]).toBe('messaging.patch [{"iso":"US","enabled":true}]');
    expect(writes[3]).toContain('"iso":"FR"');
    expect(writes[4]).toContain('"iso":"US"');
    expect(result.writeRequests).toBe(5);

    fleet.calls = [];
    const again = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(again.ok).toBe(true);
    expect(again.cells).toEqual([]);
    expect(writeCalls(fleet)).toEqual([]);
    expect(again.writeRequests).toBe(0);
  });

  it('does not read again before writing an account this run just read for its plan (options.reads)', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { BR: { low_risk: true } }, messaging: { US: true } })]);
    const desired = desiredState([desiredAccount(1, { low: ['US'], messaging: ['US'] })]);
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 });
    const plan = buildPlan(desired, live);
    fleet.calls = [];
    const result = await applyPlan(desired, plan, fakeGateway(fleet), { ...options, reads: live.accounts });
    expect(result.ok).toBe(true);
    expect(result.summary.verified).toBe(2);
    // Three reads, none before the first write: the check before the enable, the read-back, the end pass.
    const reads = fleet.calls.filter((c) => c.op.endsWith('.list') || c.op.endsWith('.get'));
    expect(reads.filter((c) => c.op === 'voice.list')).toHaveLength(3);
    expect(fleet.calls[0]?.op).toBe('voice.bulk');
  });

  it('reads a subaccount back in the end pass, once, after the check before its enables read its two lists', async () => {
    const fleet = fakeFleet([
      fakeAccount(1),
      fakeAccount(2, { parent: 1, voice: { BR: { low_risk: true } }, messaging: { BR: true } }),
    ]);
    const desired = desiredState([
      desiredAccount(1),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US'], messaging: ['US'] }),
    ]);
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 });
    fleet.calls = [];
    const result = await applyPlan(desired, buildPlan(desired, live), fakeGateway(fleet), {
      ...options,
      reads: live.accounts,
    });
    expect(result.summary).toEqual({ verified: 4, failed: 0, manual: 0, skipped: 0 });
    // Nothing later in the run depends on it: its read-back is the end pass, which reads it once.
    expect(fleet.calls.filter((c) => c.op !== 'identity').map((c) => c.op)).toEqual([
      'voice.bulk',
      'messaging.patch',
      ...['voice.list', 'messaging.get'], // before the enables: not its inheritance setting
      'messaging.patch',
      'voice.bulk',
      ...['voice.list', 'settings.get', 'messaging.get'], // the end pass
    ]);
  });

  it('polls in the end pass, as the read-back does, until the cells it was left to read back show', async () => {
    const fleet = fakeFleet([fakeAccount(1), fakeAccount(2, { parent: 1 })]);
    const desired = desiredState([
      desiredAccount(1),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['US'] }),
    ]);
    const gateway = fakeGateway(fleet);
    // Accepted at once, in effect only after two more reads of the countries.
    let applyAfter: { reads: number; apply: () => Promise<unknown> } | null = null;
    const late: TwilioGateway = {
      async forAccount(target) {
        const client = await gateway.forAccount(target);
        return Object.assign(Object.create(Object.getPrototypeOf(client)), client, {
          bulkUpdateVoice: async (updates: VoiceCountryUpdate[]) => {
            applyAfter = { reads: 2, apply: () => client.bulkUpdateVoice(updates) };
            return { updateCount: updates.length };
          },
          listVoiceCountries: async () => {
            if (applyAfter && --applyAfter.reads === 0) await applyAfter.apply();
            return client.listVoiceCountries();
          },
        }) as AccountClient;
      },
    };
    const plan = await planAgainst(desired, fleet);
    fleet.calls = [];
    let sleeps = 0;
    const result = await applyPlan(desired, plan, late, { ...options, sleep: async () => void sleeps++ });
    expect(result.cells).toEqual([expect.objectContaining({ country: 'US', outcome: 'verified' })]);
    expect(sleeps).toBe(1);
    // The re-read before writing, then the end pass: a read, the pause, a read that shows it.
    expect(fleet.calls.filter((c) => c.op === 'voice.list')).toHaveLength(3);
  });

  it('on a partial failure: reports the failed cells with the code, enables nothing, and is not ok', async () => {
    const fleet = fakeFleet(
      [
        fakeAccount(1, {
          voice: { BR: { low_risk: true }, DE: { low_risk: true } },
          messaging: { BR: true },
        }),
      ],
      { voiceFailIso: ['DE'] },
    );
    const desired = desiredState([desiredAccount(1, { low: ['US'], messaging: ['US'] })]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), {
      ...options,
      batchSize: 1,
    });
    expect(result.ok).toBe(false);
    const byCell = Object.fromEntries(result.cells.map((c) => [`${c.category} ${c.country}`, c]));
    expect(byCell['voice.low_risk BR']!.outcome).toBe('verified');
    expect(byCell['voice.low_risk DE']).toMatchObject({ outcome: 'failed', errorCode: 20001 });
    expect(byCell['messaging BR']!.outcome).toBe('verified'); // the disable still goes out
    expect(byCell['messaging US']).toMatchObject({ outcome: 'skipped' });
    expect(byCell['voice.low_risk US']).toMatchObject({ outcome: 'skipped' });
    expect(fleet.accounts[desired.accounts[0]!.sid]!.voice.US!.low_risk).toBe(false);
  });

  it('checks every per-country messaging result inside the 200', async () => {
    const fleet = fakeFleet([fakeAccount(1)], { messagingErrors: { CA: 30649 } });
    const desired = desiredState([desiredAccount(1, { messaging: ['US', 'CA'] })]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(result.ok).toBe(false);
    expect(result.cells.find((c) => c.country === 'CA')).toMatchObject({
      outcome: 'failed',
      errorCode: 30649,
    });
    expect(result.cells.find((c) => c.country === 'US')).toMatchObject({ outcome: 'verified' });
  });

  it('keeps manual steps out of the writes and lists them as manual', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { messaging: ['NG'] })]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(result.cells).toEqual([expect.objectContaining({ country: 'NG', outcome: 'manual' })]);
    expect(writeCalls(fleet)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('re-reads before writing: never enables what the plan did not show, still disables to match the policy', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })]);
    const reviewed = await planAgainst(desired, fleet);
    const account = fleet.accounts[desired.accounts[0]!.sid]!;
    account.voice.FR = { low_risk: true, high_risk_special: false, high_risk_tollfraud: false }; // Console change
    const narrower = desiredState([desiredAccount(1, { low: ['US', 'GB'] })]);
    const result = await applyPlan(narrower, reviewed, fakeGateway(fleet), options);
    const byCountry = Object.fromEntries(result.cells.map((c) => [c.country, c]));
    expect(byCountry.US!.outcome).toBe('verified');
    expect(byCountry.FR).toMatchObject({ outcome: 'verified', to: false });
    expect(byCountry.GB).toMatchObject({ outcome: 'skipped' });
    expect(account.voice.GB!.low_risk).toBe(false);
    expect(result.ok).toBe(false);
  });

  it('fails a cell that does not read back as written, after the bounded polling', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })]);
    const gateway = fakeGateway(fleet);
    const lazy = {
      async forAccount(t: Parameters<typeof gateway.forAccount>[0]) {
        const client = await gateway.forAccount(t);
        // Accepted but never applied.
        return Object.assign(Object.create(Object.getPrototypeOf(client)), client, {
          bulkUpdateVoice: async (u: readonly unknown[]) => ({ updateCount: u.length }),
        });
      },
    };
    let sleeps = 0;
    const result = await applyPlan(desired, await planAgainst(desired, fleet), lazy, {
      ...options,
      sleep: async () => void sleeps++,
    });
    expect(result.cells[0]).toMatchObject({
      outcome: 'failed',
      detail: 'read back false after 3 reads (wanted true)',
    });
    expect(sleeps).toBe(2);
  });

  it('leaves inheritance before writing the subaccount lists (Twilio refuses them while inheriting)', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true } } }),
      fakeAccount(2, { parent: 1, inheritance: true }),
    ]);
    const desired = desiredState([
      desiredAccount(1, { low: ['US'] }),
      desiredAccount(2, { parent: { name: 'account-1', n: 1 }, low: ['GB'] }),
    ]);
    const result = await applyPlan(desired, await planAgainst(desired, fleet), fakeGateway(fleet), options);
    expect(result.ok).toBe(true);
    expect(writeCalls(fleet).map((c) => c.op)).toEqual(['settings.post', 'voice.bulk']);
    const sub = result.cells.filter((c) => c.account === 'account-2');
    expect(sub.map((c) => `${c.category} ${c.country} ${c.outcome}`)).toEqual([
      'voice.inherit null verified',
      'voice.low_risk GB verified',
      'voice.low_risk US verified',
    ]);
    // US was in effect through the parent and is not in the policy: disabled after leaving.
    expect(fleet.accounts[desired.accounts[1]!.sid]!.voice.GB!.low_risk).toBe(true);
    expect(fleet.accounts[desired.accounts[1]!.sid]!.inheritance).toBe(false);
  });
});
