// `plan --out plan.json` then `apply --plan plan.json`, against the emulator: the saved plan is applied
// exactly, a cell that changed live since in a way that would widen it is refused and named, one
// already at its target is said to be, and a plan of another policy (or an edited one) is refused.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { CLI_POLICY, SID, runCli, startCliFleet } from '../support/cli-fleet.js';
import { control, requestLog } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;
const run = (args: string[]) => runCli(emulator, dir, args);
const twilioRequests = async () =>
  (await requestLog(emulator)).filter((r) => !r.path.startsWith('/__emulator')).length;
const writes = async () => (await requestLog(emulator)).filter((r) => r.kind === 'write').length;

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

describe('plan --out plan.json', () => {
  it('saves the JSON plan with the digest of the policy planned, and --out FILE.txt stays text', async () => {
    const r = await run(['plan', '--out', 'plan.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Plan: opens 3 cells (3 medium) and closes 2 cells, in 2 of 3 accounts.\nWritten to plan.json\n',
    );
    const saved = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({
      kind: 'plan',
      schemaVersion: 1,
      policyFile: 'geo-permissions.yml',
      policySha256: createHash('sha256').update(CLI_POLICY).digest('hex'),
      shard: null,
      guards: { refused: false },
    });
    await run(['plan', '--out', 'plan.txt']);
    expect(await readFile(path.join(dir, 'plan.txt'), 'utf8')).toMatch(/^Plan: opens 3 cells/);
  });
});

describe('apply --plan plan.json', () => {
  it('applies the saved plan when live state is as planned, then nothing is left to do', async () => {
    expect((await run(['plan', '--out', 'plan.json'])).code).toBe(0);
    const applied = await run(['apply', '--plan', 'plan.json', '--yes']);
    expect(applied.stderr).toContain('Saved plan plan.json: live state is as planned (fingerprint ');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^Apply succeeded: 5 verified, 0 failed, 0 manual, 0 skipped;/);
    expect((await run(['plan'])).stdout.split('\n')[0]).toBe('No changes: 3 accounts match the policy.');
  });

  it('refuses a cell that changed live since and would widen, names what is already done, applies the rest', async () => {
    expect((await run(['plan', '--out', 'plan.json'])).code).toBe(0);
    // Since the plan: IE was turned on (planned), GB turned off (the policy wants it on: an enable
    // nobody saw planned), DE turned on (the policy wants it off: closing it needs no review).
    await control(emulator, 'POST', 'console', {
      account: SID.production,
      actor: SID.consoleUser,
      voice: { IE: { lowRisk: true }, GB: { lowRisk: false }, DE: { lowRisk: true } },
    });
    const r = await run(['apply', '--plan', 'plan.json', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Saved plan plan.json: live state changed since it was planned (fingerprint ');
    expect(r.stderr).toContain(
      'Refused, 1 cell changed live since in a way this apply would widen (not in the saved plan):\n' +
        '  production voice.low_risk GB: off → on (live then matched the policy; now off)\n',
    );
    expect(r.stderr).toContain(
      'Already at the target, nothing to write (1 cell):\n  production voice.low_risk IE: already on\n',
    );
    expect(r.stderr).toContain(
      'Not in the saved plan but only closing access, so applied (1 cell):\n  production voice.low_risk DE: on → off\n',
    );
    expect(r.stderr).toContain('error: 1 cell of plan.json refused (above)');
    // The apply's own re-read before writing agrees: it never enables what the plan did not show.
    expect(r.stdout).toMatch(/^Apply FAILED: 5 verified, 0 failed, 0 manual, 1 skipped;/);
    expect(r.stdout).toMatch(
      /skipped {3}production {2}voice low-risk +GB United Kingdom {2}off -> on {2}changed since the plan/,
    );
    // What is left: only the refused enable.
    const after = await run(['plan']);
    expect(after.stdout.split('\n')[0]).toBe(
      'Plan: opens 1 cell (1 medium) and closes nothing, in 1 of 3 accounts.',
    );
    expect(after.stdout).toContain('GB United Kingdom');
  });

  it('refuses a plan of another policy, or of this one before an edit, before any request', async () => {
    await writeFile(path.join(dir, 'other.yml'), CLI_POLICY.replace('max_changes: 25', 'max_changes: 20'));
    expect((await run(['plan', '--policy', 'other.yml', '--out', 'other.json'])).code).toBe(0);
    expect((await run(['plan', '--out', 'plan.json'])).code).toBe(0);
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      CLI_POLICY.replace('core: [US, CA, GB, IE]', 'core: [US, CA, GB]'),
    );
    const before = await twilioRequests();

    const other = await run(['apply', '--plan', 'other.json', '--yes']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(
      /^error: other\.json was planned from another policy, or the policy changed since: it was planned from other\.yml with sha256 [0-9a-f]{12}, and geo-permissions\.yml has sha256 [0-9a-f]{12} now\. Nothing was sent to Twilio; pass the --policy it was planned from, or save a new one with `geo-permissions plan --out other\.json`\n$/,
    );
    const edited = await run(['apply', '--plan', 'plan.json', '--yes']);
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain('plan.json was planned from another policy, or the policy changed since');
    expect(await twilioRequests()).toBe(before);

    // The policy it was planned from binds again.
    expect((await run(['apply', '--plan', 'other.json', '--policy', 'other.yml', '--yes'])).code).toBe(0);
  });

  it('refuses what is not a saved plan, and another shard, before any write', async () => {
    await run(['drift', '--format', 'json', '--out', 'drift.json']);
    await run(['plan', '--out', 'plan.txt']);
    await run(['plan', '--shard', '1/2', '--out', 'shard.json']);
    const drift = await run(['apply', '--plan', 'drift.json', '--yes']);
    expect(drift.stderr).toBe(
      'error: --plan drift.json: not a plan (kind "drift"); save a new one with `geo-permissions plan --out drift.json`\n',
    );
    expect((await run(['apply', '--plan', 'plan.txt', '--yes'])).stderr).toMatch(
      /^error: --plan plan\.txt: .*JSON/,
    );
    expect((await run(['apply', '--plan', 'missing.json', '--yes'])).stderr).toMatch(
      /^error: --plan missing\.json: ENOENT/,
    );
    expect((await run(['apply', '--plan', 'shard.json', '--shard', '2/2', '--yes'])).stderr).toBe(
      'error: --plan shard.json was planned for --shard 1/2, not 2/2: drop --shard, or plan that shard\n',
    );
    expect(await writes()).toBe(0);
  });
});

describe('what a saved plan must have seen, and where a report may go', () => {
  it('refuses a saved plan made while a parent’s subaccounts could not be listed', async () => {
    await run(['plan', '--out', 'plan.json']);
    const saved = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8'));
    // As a Standard key would have left it: the parent's listing refused.
    saved.fleet = {
      parents: [{ parent: 'production', sid: SID.production, subaccounts: null, error: 'HTTP 401' }],
    };
    await writeFile(path.join(dir, 'unlisted.json'), JSON.stringify(saved));
    const r = await run(['apply', '--plan', 'unlisted.json', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the subaccounts of production could not be listed when it was made');
    expect(await writes()).toBe(0);
  });

  it('never writes a report over the policy file it was made from', async () => {
    const before = await readFile(path.join(dir, 'geo-permissions.yml'), 'utf8');
    const r = await run(['plan', '--out', 'geo-permissions.yml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--out geo-permissions.yml is the policy file itself');
    expect(await readFile(path.join(dir, 'geo-permissions.yml'), 'utf8')).toBe(before);
  });
});
