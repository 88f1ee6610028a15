// An API key that belongs to another account (the parent's, given for a subaccount)
// acts as its owner on voice/messaging: a read through it must fail, never report the owner's state.
import { afterEach, describe, expect, it } from 'vitest';
import { demoState, type RunningEmulator } from '../../src/emulator/index.js';
import { readLiveState } from '../../src/live/read.js';
import { DEMO, gatewayOn, requestLog, startDemoEmulator } from '../support/emulator-helpers.js';

const PARENT_KEY = 'SK' + '1'.repeat(32);
let emulator: RunningEmulator;
afterEach(() => emulator.stop());

describe('reads through an API key of another account', () => {
  it("a parent's API key given for a subaccount fails its read instead of reading the parent", async () => {
    const state = demoState();
    state.accounts[0]!.apiKeys.push({ sid: PARENT_KEY, secret: 'parent-key-secret' });
    emulator = await startDemoEmulator(state);
    const { gateway } = gatewayOn(emulator, undefined, {
      perAccount: { [DEMO.supportEu]: { apiKey: PARENT_KEY, apiSecret: 'parent-key-secret' } },
    });
    const live = await readLiveState(
      gateway,
      { accounts: [{ name: 'support-eu', sid: DEMO.supportEu, parentSid: DEMO.production }] },
      { concurrency: 1 },
    );
    expect(live.accounts[DEMO.supportEu]).toBeUndefined();
    expect(live.errors[0]?.message).toMatch(/API key SK1+ is not a key of ACfedcba/);
    // Nothing of the parent's geo permissions was read in the subaccount's name.
    const log = await requestLog(emulator);
    expect(log.filter((r) => r.path.startsWith('/v1/'))).toEqual([]);
  });

  it('the same holds when the main credentials name a subaccount but use the parent key', async () => {
    const state = demoState();
    state.accounts[0]!.apiKeys.push({ sid: PARENT_KEY, secret: 'parent-key-secret' });
    emulator = await startDemoEmulator(state);
    const { gateway } = gatewayOn(emulator, {
      kind: 'apiKey',
      accountSid: DEMO.supportEu,
      apiKey: PARENT_KEY,
      apiSecret: 'parent-key-secret',
    });
    const live = await readLiveState(
      gateway,
      { accounts: [{ name: 'support-eu', sid: DEMO.supportEu, parentSid: null }] },
      { concurrency: 1 },
    );
    expect(live.accounts[DEMO.supportEu]).toBeUndefined();
    expect(live.errors).toHaveLength(1);
    expect(live.errors[0]?.message).toMatch(/API key SK1+ is not a key of ACfedcba/);
    const log = await requestLog(emulator);
    expect(log.filter((r) => r.path.startsWith('/v1/'))).toEqual([]);
  });

  it('a key created inside the account still reads it', async () => {
    emulator = await startDemoEmulator();
    const { gateway } = gatewayOn(emulator, undefined, {
      perAccount: {
        [DEMO.supportEu]: { apiKey: DEMO.supportEuKey, apiSecret: 'demo-secret-support-eu-key' },
      },
    });
    const live = await readLiveState(
      gateway,
      { accounts: [{ name: 'support-eu', sid: DEMO.supportEu, parentSid: DEMO.production }] },
      { concurrency: 1 },
    );
    expect(live.errors).toEqual([]);
    expect(live.accounts[DEMO.supportEu]?.identity.sid).toBe(DEMO.supportEu);
  });
});
