import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { main } from '../../src/cli/main.js';
import { CLI_POLICY, PRODUCTION_TOKEN, SID, runCli, startCliFleet } from '../support/cli-fleet.js';
import { control, requestLog } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;

const run = (args: string[]) => runCli(emulator, dir, args);

const writes = async () =>
  (await requestLog(emulator)).filter((r) => r.method !== 'GET' && !r.path.startsWith('/__emulator')).length;

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

describe('plan -> apply -> plan against the emulator', () => {
  it('goes from exit 2 to 0 with --detailed-exitcode, and a second apply writes nothing', async () => {
    const before = await run(['plan', '--detailed-exitcode']);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(2);
    expect(before.stdout.split('\n')[0]).toBe(
      'Plan: opens 3 cells (3 medium) and closes 2 cells, in 2 of 3 accounts.',
    );
    expect(before.stdout).toContain('low     voice high-risk special  GB United Kingdom  on -> off');

    const applied = await run(['apply', '--yes']);
    expect(applied.code).toBe(0);
    expect(applied.stdout.split('\n')[0]).toMatch(
      /^Apply succeeded: 5 verified, 0 failed, 0 manual, 0 skipped; \d write requests\.$/,
    );

    const after = await run(['plan', '--detailed-exitcode']);
    expect(after.code).toBe(0);
    expect(after.stdout.split('\n')[0]).toBe('No changes: 3 accounts match the policy.');

    const writesBefore = await writes();
    const again = await run(['apply', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to apply');
    expect(await writes()).toBe(writesBefore);
  });

  it('draws a progress line on stderr only when it is a terminal', async () => {
    let stderr = '';
    const code = await main(['plan'], {
      stdout: { write: () => true, isTTY: false },
      stderr: { write: (t: string) => (stderr += t), isTTY: true },
      env: {
        TWILIO_ACCOUNT_SID: SID.production,
        TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN,
        TWILIO_API_URL: emulator.url,
      },
      cwd: dir,
    });
    expect(code).toBe(0);
    expect(stderr).toContain('\rreading accounts 3/3');
    expect((await run(['plan'])).stderr).toBe('');
  });

  it('colours text only on a terminal', async () => {
    let stdout = '';
    await main(['plan'], {
      stdout: { write: (t: string) => (stdout += t), isTTY: true },
      stderr: { write: () => true },
      env: {
        TWILIO_ACCOUNT_SID: SID.production,
        TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN,
        TWILIO_API_URL: emulator.url,
      },
      cwd: dir,
    });
    expect(stdout).toContain('\u001b[');
    expect((await run(['plan'])).stdout).not.toContain('\u001b[');
  });

  it('--shard i/n plans disjoint sets of accounts that together cover the fleet', async () => {
    const accounts = async (shard: string) =>
      JSON.parse((await run(['plan', '--shard', shard, '--format', 'json'])).stdout).accounts.map(
        (a: { account: string }) => a.account,
      );
    const shards = [await accounts('1/2'), await accounts('2/2')];
    expect(shards.flat().sort()).toEqual(['production', 'sandbox', 'support-eu']);
    // sandbox inherits, so it goes with production; support-eu has its own lists and goes by its own SID.
    expect(shards.find((s) => s.includes('production'))).toContain('sandbox');
    expect((await run(['plan', '--shard', '3/2'])).stderr).toContain('--shard: invalid shard "3/2"');
  });

  it('writes the plan as markdown or versioned json to --out', async () => {
    const md = await run(['plan', '--format', 'markdown', '--out', 'plan.md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(
      'Plan: opens 3 cells (3 medium) and closes 2 cells, in 2 of 3 accounts.\nWritten to plan.md\n',
    );
    const json = await run(['plan', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: 'plan',
      schemaVersion: 1,
      summary: { changes: 5 },
    });
  });
});

describe('plan states the guards verdict an apply would meet', () => {
  it('after the text plan, and as a top-level guards object in JSON; the exit status is unchanged', async () => {
    const pass = await run(['plan']);
    expect(pass.stdout).toMatch(/\n\nGuards: pass\n {2}guard {10}verdict {2}detail\n {2}max_changes {4}pass/);
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      CLI_POLICY.replace('max_changes: 25', 'max_changes: 2'),
    );
    const text = await run(['plan']);
    expect(text.code).toBe(0);
    const verdictAt = text.stdout.indexOf('Guards: an apply would be REFUSED');
    expect(verdictAt).toBeGreaterThan(text.stdout.indexOf('support-eu'));
    expect(text.stdout.slice(verdictAt)).toContain(
      'refused (max_changes): the plan changes 5 cells, over guards.max_changes = 2',
    );
    const json = JSON.parse((await run(['plan', '--format', 'json'])).stdout);
    expect(json).toMatchObject({ kind: 'plan', schemaVersion: 1, summary: { changes: 5 } });
    expect(json.guards.refused).toBe(true);
    expect(json.guards.checks.map((c: { guard: string; passed: boolean }) => [c.guard, c.passed])).toEqual([
      ['max_changes', false],
      ['never_disable', true],
      ['never_enable', true],
      ['trial_account', true],
      ['high_risk', true],
    ]);
    expect(json.guards.refusals[0].guard).toBe('max_changes');
    const md = await run(['plan', '--format', 'markdown']);
    expect(md.stdout).toContain('❌ **Guards: an apply would be REFUSED**');
  });
});

describe('apply refusals and failures', () => {
  it('sends nothing to Twilio when the policy is invalid', async () => {
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      CLI_POLICY.replace('core: [US, CA, GB, IE]', 'core: [US, UK]'),
    );
    const r = await run(['apply', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown country code "UK" (did you mean "GB"?)');
    expect(r.stderr).toContain('nothing was sent to Twilio');
    expect((await requestLog(emulator)).filter((q) => !q.path.startsWith('/__emulator'))).toEqual([]);
  });

  it('refuses without --yes when not on a terminal, before any write', async () => {
    const r = await run(['apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pass --yes to confirm');
    expect(await writes()).toBe(0);
  });

  it('names the max_changes number and its override; --max-changes N and --force pass', async () => {
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      CLI_POLICY.replace('max_changes: 25', 'max_changes: 2'),
    );
    const r = await run(['apply', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'refused (max_changes): the plan changes 5 cells, over guards.max_changes = 2',
    );
    expect(r.stderr).toContain('run apply with --max-changes 5');
    expect(await writes()).toBe(0);
    expect((await run(['apply', '--yes', '--max-changes', '5'])).code).toBe(0);
  });

  it('refuses high-risk enables without --allow-high-risk, and on the trial account even with it', async () => {
    const risky = CLI_POLICY.replace(
      '    messaging: [core, DE, FR, ES]',
      '    messaging: [core, DE, FR, ES]\n    # high risk\n',
    ).replace(
      '      low_risk: [core, DE, FR, ES]',
      '      low_risk: [core, DE, FR, ES]\n      high_risk_tollfraud: [DE]',
    );
    await writeFile(path.join(dir, 'geo-permissions.yml'), risky);
    const r = await run(['apply', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused (high_risk)');
    expect(r.stderr).toContain('support-eu voice.high_risk_tollfraud DE');
    expect(r.stderr).toContain('--allow-high-risk');
    expect(await writes()).toBe(0);

    const trial = CLI_POLICY.replace(
      '    voice:\n      inherit: true\n',
      '    voice:\n      low_risk: [US]\n      high_risk_special: [GB]\n',
    );
    await writeFile(path.join(dir, 'geo-permissions.yml'), trial);
    const t = await run(['apply', '--yes', '--allow-high-risk']);
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('refused (trial_account): trial accounts can only enable low-risk');
    expect(t.stderr).toContain('sandbox voice.high_risk_special GB');
  });

  it('refuses to disable a never_disable country and says to edit the policy', async () => {
    await writeFile(
      path.join(dir, 'geo-permissions.yml'),
      CLI_POLICY.replace('  support-eu:\n', '    messaging: [CA, GB, IE]\n  support-eu:\n'),
    );
    const r = await run(['apply', '--yes', '--force', '--allow-high-risk']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('refused (never_disable): the plan disables US');
    expect(r.stderr).toContain('remove US from guards.never_disable');
  });

  it('reports a partial failure cell by cell with the Twilio code, enables nothing after it, exits 1', async () => {
    await control(emulator, 'POST', 'faults', [
      {
        type: 'status',
        status: 400,
        method: 'POST',
        path: '/v1/DialingPermissions/BulkCountryUpdates',
        count: 1,
      },
    ]);
    const r = await run(['apply', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^Apply FAILED: \d+ verified, [1-9]\d* failed/);
    expect(r.stdout).toMatch(/failed\s+production\s+voice low-risk\s+MX Mexico\s+on -> off\s+Twilio \d+/);
    expect(r.stdout).toMatch(
      /skipped\s+production\s+voice low-risk\s+IE Ireland\s+off -> on\s+not attempted/,
    );
    const state = await control(emulator, 'GET', 'state');
    const production = state.accounts.find((a: { sid: string }) => a.sid === SID.production);
    expect(production.voice.countries.IE?.lowRisk ?? false).toBe(false);
  });
});

describe('dist/cli.js plan --demo (built bundle, as `npm start` runs it)', () => {
  it('prints a real plan of the demo fleet from any working directory', () => {
    const cli = path.resolve(import.meta.dirname, '../../dist/cli.js');
    const r = spawnSync(process.execPath, [cli, 'plan', '--demo', '--detailed-exitcode'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Plan: opens \d+ cells .*, in \d of 3 accounts/);
    expect(r.stdout).toContain('examples/geo-permissions.yml:');
    expect(r.status).toBe(2);
  });
});
