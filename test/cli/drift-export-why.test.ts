import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { SID, runCli, startCliFleet } from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;
const run = (args: string[]) => runCli(emulator, dir, args);

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

describe('drift', () => {
  it('shows a Console change made through the control API with its actor, IP and time; exit 2', async () => {
    expect((await run(['apply', '--yes'])).code).toBe(0);
    expect((await run(['drift'])).code).toBe(0);
    await control(emulator, 'POST', 'console', {
      account: SID.production,
      actor: SID.consoleUser,
      voice: { FR: { lowRisk: true } },
    });
    const r = await run(['drift']);
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')[0]).toBe(
      'Drift: 1 cell open beyond the policy (1 medium), in 1 of 3 accounts; 1 attributed.',
    );
    expect(r.stdout).toContain('voice low-risk FR France: live on, policy off');
    expect(r.stdout).toMatch(
      new RegExp(
        `changed by: Console user ${SID.consoleUser} from 203\\.0\\.113\\.7 at \\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    const json = JSON.parse((await run(['drift', '--format', 'json'])).stdout);
    expect(json).toMatchObject({ kind: 'drift', schemaVersion: 1, complete: true });
    expect(json.items[0].attribution).toMatchObject({ actorType: 'user', actorSid: SID.consoleUser });
    const md = (await run(['drift', '--format', 'markdown'])).stdout;
    expect(md.split('\n')[0]).toBe(
      '**Drift: 1 cell open beyond the policy (1 medium), in 1 of 3 accounts; 1 attributed.**',
    );
  });

  it('says "unknown" when no event explains a drifted cell', async () => {
    const r = await run(['drift']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('changed by: no Monitor Event in the lookback window (30 days)');
  });
});

describe('export', () => {
  it('round-trips: planning the exported policy against the same live state shows no changes', async () => {
    const r = await run(['export', '--out', 'exported.yml']);
    expect(r.code).toBe(0);
    const text = await readFile(path.join(dir, 'exported.yml'), 'utf8');
    expect(text).toContain('inherit: true');
    expect(text).toContain('parent: production');
    const plan = await run(['plan', '--policy', 'exported.yml', '--detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout.split('\n')[0]).toBe('No changes: 3 accounts match the policy.');
  });

  it('exports one account named by --account', async () => {
    const r = await run(['export', '--account', SID.production]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sid: ${SID.production}`);
    // Twilio's voice list has no CA (the state's CA cell is not listed): US covers Canada.
    expect(r.stdout).toContain('low_risk: [GB, MX, US]');
  });
});

describe('why', () => {
  it('answers for voice and SMS with the country, permission, Twilio errors and policy line', async () => {
    const r = await run(['why', '+33142685300', '--account', 'production']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+33142685300: France (FR, +33');
    expect(r.stdout).toContain('voice: BLOCKED (voice.low_risk FR)');
    expect(r.stdout).toContain(
      '21215 (REST API call create), 13227 (TwiML <Dial>), 32205 (Elastic SIP Trunking)',
    );
    expect(r.stdout).toContain('add FR to voice.low_risk of production (geo-permissions.yml:');
    expect(r.stdout).toContain('sms: BLOCKED (messaging FR)');
    expect(r.stdout).toContain('21408');
    const gb = await run(['why', '+442079460123', '--account', 'production']);
    expect(gb.stdout).toContain('voice: ALLOWED (voice.low_risk GB)');
    expect(gb.stdout).toContain('allowed by geo-permissions.yml:3:');
    expect(gb.stdout).toContain('via defaults.voice.low_risk > group:core');
  });

  it('rejects a malformed number before any request', async () => {
    const r = await run(['why', '12345']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('E.164');
  });
});

describe('--demo', () => {
  it('plan --demo with no --policy prints a real plan of the demo fleet from any directory', async () => {
    const r = await runCli(null, tmpdir(), ['plan', '--demo']);
    expect(r.stderr).not.toContain('not read');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Plan: opens \d+ cells .*, in \d of 3 accounts/);
  });

  it("the example policy (core: [US, CA, GB, IE] in voice and messaging) plans with no warning against Twilio's voice list", async () => {
    const r = await runCli(null, tmpdir(), ['plan', '--demo', '--format', 'json']);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.warnings).toEqual([]);
    // Voice has no CA cell to write (US "United States/Canada" covers Canada); messaging keeps CA.
    const cells = plan.accounts.flatMap((a: { changes: Array<{ category: string; country: string }> }) =>
      a.changes.map((c) => `${c.category} ${c.country}`),
    );
    expect(cells.filter((c: string) => c.endsWith(' CA'))).toEqual([]);
    const why = await runCli(null, tmpdir(), ['why', '+14165550123', '--demo']);
    expect(why.stdout).toContain('voice: ALLOWED (voice.low_risk US "United States/Canada")');
    expect(why.stdout).toContain('sms: ALLOWED (messaging CA)');
  });
});

describe('flags', () => {
  it('rejects unknown flags and bad values before any request', async () => {
    expect((await run(['plan', '--bogus'])).stderr).toContain("Unknown option '--bogus'");
    expect((await run(['plan', '--format', 'xml'])).stderr).toContain(
      '--format must be text, markdown or json',
    );
    expect((await run(['apply', '--max-changes', 'many'])).stderr).toContain(
      '--max-changes must be a whole number',
    );
    expect((await run(['plan', '--yes'])).stderr).toContain('--yes is not an option of this command');
    const none = await runCli(null, dir, ['plan']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no Twilio credentials');
  });
});
