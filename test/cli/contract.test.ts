// Bad flags fail before any Twilio request; exit codes follow docs/cli.md.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { runCli, startCliFleet, SID } from '../support/cli-fleet.js';
import { requestLog } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;
beforeEach(async () => void ({ emulator, dir } = await startCliFleet()));
afterEach(() => emulator.stop());

describe('CLI flags and exit codes', () => {
  const bad: string[][] = [
    ['plan', '--concurrency', '0'],
    ['plan', '--concurrency', 'abc'],
    ['plan', '--concurrency', '2.5'],
    ['plan', '--concurrency', ''],
    ['plan', '--shard', '3/2'],
    ['plan', '--shard', '0/2'],
    ['plan', '--shard', 'x'],
    ['apply', '--max-changes', '-1'],
    ['apply', '--max-changes', 'ten'],
    ['apply', '--max-changes', ''],
    ['plan', '--format', 'xml'],
    ['plan', '--format', ''],
    ['plan', '--bogus'],
    ['plan', '--yes'],
    ['plan', '--max-changes', '3'],
    ['drift', '--detailed-exitcode'],
    ['plan', 'extra'],
    ['drift', '--lookback-days', '0'],
    ['plan', '--twilio-url', ''],
    ['plan', '--out', ''],
    ['plan', '--policy', ''],
  ];
  for (const args of bad)
    it(`${JSON.stringify(args)} is a usage error before any request`, async () => {
      const r = await runCli(emulator, dir, args);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error/);
      expect(await requestLog(emulator)).toEqual([]);
    });

  it('an empty --twilio-url never falls back to the real Twilio (it overrode TWILIO_API_URL)', async () => {
    const r = await runCli(emulator, dir, ['plan', '--twilio-url', '']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--twilio-url is empty/);
  });

  it('plan --detailed-exitcode exits 1 (not 0 or 2) when an account read errored', async () => {
    // Break the support-eu token: its read fails, the rest of the fleet has changes.
    const r0 = await fetch(`${emulator.url}/__emulator/state`);
    const state = (await r0.json()) as { accounts: Array<{ sid: string; status?: string }> };
    state.accounts = state.accounts.filter((a) => a.sid !== SID.supportEu);
    await fetch(`${emulator.url}/__emulator/state`, { method: 'PUT', body: JSON.stringify(state) });
    const r = await runCli(emulator, dir, ['plan', '--detailed-exitcode']);
    expect(r.code).toBe(1);
    const d = await runCli(emulator, dir, ['drift']);
    expect(d.code).toBe(1);
    const a = await runCli(emulator, dir, ['apply', '--yes']);
    expect(a.code).toBe(1);
    expect((await requestLog(emulator)).filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
