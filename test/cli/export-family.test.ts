import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DEMO, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { PARENT_TOKEN, control, requestLog } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator({ seed: 'demo' });
  dir = await mkdtemp(path.join(tmpdir(), 'geo-export-family-'));
});
afterEach(() => emulator.stop());

/** The CLI in-process with the demo parent's credentials, in a directory without a policy file. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env: {
      TWILIO_ACCOUNT_SID: DEMO.production,
      TWILIO_AUTH_TOKEN: PARENT_TOKEN,
      TWILIO_API_URL: emulator.url,
    },
    cwd: dir,
  });
  return { code, stdout, stderr };
}

describe('export without --account or a policy file', () => {
  it('exports the parent and its subaccounts, and planning that policy shows no changes', async () => {
    const r = await run(['export', '--out', 'exported.yml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exported 3 accounts.');
    const text = await readFile(path.join(dir, 'exported.yml'), 'utf8');
    for (const sid of [DEMO.production, DEMO.supportEu, DEMO.marketing])
      expect(text).toContain(`sid: ${sid}`);
    expect(text.match(/^ {4}parent: production$/gm)).toHaveLength(2);
    expect(text).toMatch(
      / {2}marketing:\n {4}sid: AC0+3\n {4}parent: production\n {4}voice:\n {6}inherit: true/,
    );
    expect(text).not.toContain('demo-token');
    // Each subaccount was read with its own derived token, not the parent's.
    const log = await requestLog(emulator);
    const settingsReaders = log.filter((q) => q.path === '/v1/Settings').map((q) => q.account);
    expect(settingsReaders.sort()).toEqual([DEMO.marketing, DEMO.supportEu].sort());

    const plan = await run(['plan', '--policy', 'exported.yml', '--detailed-exitcode']);
    // The demo's PK messaging is Console-only (30649): the policy keeps it, with a warning.
    expect(plan.stderr.trim().split('\n')).toEqual([expect.stringContaining('warning: messaging to PK')]);
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n')[0]).toBe('No changes: 3 accounts match the policy.');
  });

  it('names subaccounts by friendly name, de-duplicated, and notes suspended ones instead of reading them', async () => {
    const state = await control(emulator, 'GET', 'state');
    state.accounts[1].friendlyName = 'Support Team';
    state.accounts[2].friendlyName = 'Support Team';
    await control(emulator, 'PUT', 'state', state);
    const both = await run(['export']);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(/^ {2}support-team:$/m);
    expect(both.stdout).toMatch(/^ {2}support-team-2:$/m);
    state.accounts[2].status = 'suspended';
    await control(emulator, 'PUT', 'state', state);
    const before = (await requestLog(emulator)).length;
    const active = await run(['export', '--out', 'exported.yml']);
    expect(active.code).toBe(0);
    const text = await readFile(path.join(dir, 'exported.yml'), 'utf8');
    expect(text.match(/^ {4}sid: /gm)).toHaveLength(2);
    // Never silently: the suspended subaccount is a note in the file and in the summary, and is not read.
    expect(text).toContain(
      [
        '# Suspended: not read or written (Twilio refuses every request of a suspended account).',
        `#   Support Team ${DEMO.marketing} (subaccount of production)`,
      ].join('\n'),
    );
    expect(active.stdout).toContain(
      `Exported 2 accounts; not read: 1 suspended subaccount (listed at the end of the file).`,
    );
    const about = (await requestLog(emulator))
      .slice(before)
      .filter((q) => q.account === DEMO.marketing || q.subject === DEMO.marketing);
    expect(about).toEqual([]);
  });
});
