import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { loadPolicy } from '../../src/policy/load.js';
import { MALFORMED_POLICIES } from '../support/malformed-cases.js';
import { runAction } from '../support/action-harness.js';
import { runCliWithEnv } from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';
import { NOW, PARENT_TOKEN, POLICY, SIDS, startFleet } from '../support/hardening.js';

/**
 * Bad input never reaches Twilio: every malformed policy of the policy test corpus (test/policy/malformed-cases.ts) that is still an error
 * when planning (expired exceptions only warn there, by design) goes through the CLI's plan and apply
 * against a running emulator, and the emulator's request log must show no write at all.
 */
const PLAN_ERRORS = MALFORMED_POLICIES.filter((c) =>
  loadPolicy(c.text, 'p.yml', { now: NOW, mode: 'plan' }).diagnostics.some((d) => d.severity === 'error'),
);

let emulator: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emulator = await startFleet();
  dir = await mkdtemp(path.join(tmpdir(), 'geo-bad-input-'));
});
afterAll(async () => {
  await emulator.stop();
});

const cli = (args: string[]) =>
  runCliWithEnv(
    { TWILIO_ACCOUNT_SID: SIDS.production, TWILIO_AUTH_TOKEN: PARENT_TOKEN, TWILIO_API_URL: emulator.url },
    dir,
    args,
  );

const writes = async () =>
  ((await control(emulator, 'GET', 'requests')).requests as Array<{ method: string }>).filter(
    (r) => r.method !== 'GET',
  );

describe('malformed policies make zero write requests', () => {
  it('reuses at least 50 malformed policies from test/policy', () => {
    expect(PLAN_ERRORS.length).toBeGreaterThanOrEqual(50);
  });

  it.each(PLAN_ERRORS.map((c, i) => ({ ...c, i })))('$name', async ({ text, i }) => {
    const file = `bad-${i}.yml`;
    await writeFile(path.join(dir, file), text);
    await control(emulator, 'DELETE', 'requests');
    for (const args of [
      ['plan', '--policy', file],
      ['apply', '--policy', file, '--yes', '--force'],
    ]) {
      const run = await cli(args);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/error/);
    }
    expect(await writes()).toEqual([]);
    // Nothing was read either: the policy is checked before any request.
    expect((await control(emulator, 'GET', 'requests')).requests).toEqual([]);
  });
});

describe('the action: invalid inputs and malformed events', () => {
  const base = () => ({
    'twilio-account-sid': SIDS.production,
    'twilio-auth-token': PARENT_TOKEN,
    'twilio-api-url': emulator.url,
    'github-token': '',
  });

  it.each([
    ['mode', { mode: 'deploy' }, /mode must be one of/],
    ['on-drift', { 'on-drift': 'ignore', mode: 'drift' }, /on-drift must be one of/],
    ['max-changes', { 'max-changes': '-3', mode: 'apply' }, /max-changes must be a whole number/],
    ['allow-high-risk', { 'allow-high-risk': 'yes', mode: 'apply' }, /allow-high-risk must be true or false/],
    ['concurrency', { concurrency: '0', mode: 'apply' }, /concurrency must be a whole number/],
    ['twilio-api-key', { 'twilio-api-key': 'nope', mode: 'apply' }, /twilio-api-key must look like SK/],
    ['shard', { shard: '0/3', mode: 'drift' }, /invalid shard "0\/3"/],
  ])('rejects %s before any request', async (_name, inputs, message) => {
    await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
    await control(emulator, 'DELETE', 'requests');
    const run = await runAction({
      cwd: dir,
      eventName: 'workflow_dispatch',
      inputs: { ...base(), ...inputs },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(message);
    expect((await control(emulator, 'GET', 'requests')).requests).toEqual([]);
  });

  it.each([
    ['an event payload that is a string, not an object', 'pull_request', 'not an event'],
    ['a pull_request event without its pull request', 'pull_request', { action: 'opened' }],
    ['a push event without a repository', 'push', { ref: 42 }],
  ])('%s: no write request', async (_name, eventName, event) => {
    await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
    await control(emulator, 'DELETE', 'requests');
    const run = await runAction({
      cwd: dir,
      eventName,
      inputs: { ...base(), mode: eventName === 'push' ? 'plan' : 'auto' },
      event,
    });
    expect(run.stdout + run.stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
    expect(await writes()).toEqual([]);
  });
});
