// Expired exceptions close the door, end to end (dist/index.js against the fake GitHub and the Twilio
// emulator): the scheduled drift run disables the cell an expired exception left open, reads it back and
// records it on the drift issue and the summary; a guards.never_disable country, `expired: report`, a
// dispatch of another branch and read-only credentials each leave it open and say why.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDriftState } from '../../src/github/markers.js';
import { buildDist, E2E_PR, E2E_SID, LOW_RISK_ON, prEvent, useActionWorld } from '../support/e2e-world.js';

beforeAll(buildDist);

const SCHEDULE = { schedule: '0 6 * * *' };
const KEY = 'SK' + '5'.repeat(32);
/** A Restricted key that may read everything the drift scan reads, and write nothing. */
const READ_ONLY = [
  'GET /2010-04-01/Accounts/{AC}/Balance.json',
  'GET /v1/DialingPermissions/Countries',
  'GET /v1/Settings',
  'GET /v1/Messaging/GeoPermissions',
  'GET /v1/Events',
];

/** production's policy: US, and BR as an exception that ran out on 2020-01-31. */
const policy = (extra = '') => `version: 1
${extra}accounts:
  production:
    sid: ${E2E_SID}
    voice:
      low_risk: [US, {country: BR, expires: 2020-01-31, reason: "pilot in São Paulo", ticket: OPS-42}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [US]
`;

describe('expired: enforce on the scheduled drift run (dist/index.js)', () => {
  const world = useActionWorld();
  const live = () => world.twilio.state().accounts.find((a) => a.sid === E2E_SID)!;
  /** BR open live, as the exception once granted it; optionally a read-only Restricted key. */
  const openBrazil = async (apiKeys: object[] = []) => {
    const state = world.twilio.state();
    const account = state.accounts[0]!;
    account.voice.countries.BR = LOW_RISK_ON;
    account.apiKeys = apiKeys as typeof account.apiKeys;
    const res = await fetch(`${world.twilio.url}/__emulator/state`, {
      method: 'PUT',
      body: JSON.stringify(state),
    });
    expect(res.status).toBe(200);
  };

  it('disables the cell, reads it back, records it on the issue and the summary, then closes the issue', async () => {
    await world.writePolicy(policy());
    await openBrazil();
    const run = await world.run('schedule', SCHEDULE);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR?.lowRisk ?? false).toBe(false);
    expect(run.outputs).toMatchObject({
      'expired-disabled': '1',
      'drift-detected': 'false',
      'issue-number': '1',
    });
    const [issue] = world.gh.issues;
    expect(issue).toMatchObject({ state: 'open', labels: ['geo-permissions-drift'] });
    for (const text of [issue!.body, run.summary]) {
      expect(text).toContain('Expired exceptions: closed 1 cell.');
      expect(text).toContain('#### Closed by this run: expired exceptions');
      expect(text).toContain('| ⚪ low | voice low-risk | BR Brazil | production | - | expired 2020-01-31');
      expect(text).toContain('| OPS-42 | pilot in São Paulo |');
    }
    // Closed is no longer drift: the issue's state holds no cell.
    expect(parseDriftState(issue!.body)?.cells).toEqual([]);

    const next = await world.run('schedule', SCHEDULE);
    expect(next.code).toBe(0);
    expect(next.outputs['expired-disabled']).toBe('0');
    expect(world.gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('never disables a guards.never_disable country: it stays open, reported as drift with why', async () => {
    await world.writePolicy(policy('guards:\n  never_disable: [BR]\n'));
    await openBrazil();
    const run = await world.run('schedule', SCHEDULE);
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR?.lowRisk).toBe(true);
    expect(run.outputs).toMatchObject({ 'expired-disabled': '0', 'drift-detected': 'true' });
    const body = world.gh.issues[0]!.body;
    expect(parseDriftState(body)?.cells).toEqual(['production|voice.low_risk|BR|on>off']);
    expect(body).toContain('#### Expired exceptions still open');
    expect(body).toContain('guards.never_disable (line 3) protects BR: reported, not disabled');
    expect(body).not.toContain('Closed by this run');
  });

  it('expired: report keeps the cell open and reports it as drift, as before', async () => {
    await world.writePolicy(policy('expired: report\n'));
    await openBrazil();
    const run = await world.run('schedule', SCHEDULE);
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR?.lowRisk).toBe(true);
    expect(run.outputs).toMatchObject({ 'expired-disabled': '0', 'drift-detected': 'true' });
    const body = world.gh.issues[0]!.body;
    expect(body).toContain('Drift: 1 cell open beyond the policy (1 medium)');
    expect(body).toContain('expired: report in the policy: reported, left open');
    expect(world.twilio.state().accounts[0]!.voice.countries.BR).toMatchObject(LOW_RISK_ON);
  });

  it('a dispatch of another branch writes nothing and says so', async () => {
    await world.writePolicy(policy());
    await openBrazil();
    const event = {
      ref: 'refs/heads/geo',
      repository: { full_name: 'acme/telephony', default_branch: 'main' },
    };
    const run = await world.run('workflow_dispatch', event, {}, { ref: 'refs/heads/geo' });
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR?.lowRisk).toBe(true);
    expect(run.summary).toContain(
      "not closed: refs/heads/geo is not the default branch main, and only the default branch's policy closes expired exceptions",
    );
  });

  it('with read-only credentials: one clear line, the cell stays drift with why, the rest of the scan works', async () => {
    await world.writePolicy(policy());
    await openBrazil([{ sid: KEY, secret: 'read-only', type: 'restricted', permissions: READ_ONLY }]);
    const run = await world.run('schedule', SCHEDULE, {
      'twilio-api-key': KEY,
      'twilio-api-secret': 'read-only',
    });
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR?.lowRisk).toBe(true);
    expect(run.stdout).toContain(
      "::warning::The drift job's Twilio credentials may not write geo permissions (Twilio 70051)",
    );
    expect(run.outputs).toMatchObject({ 'expired-disabled': '0', 'drift-detected': 'true' });
    const body = world.gh.issues[0]!.body;
    expect(body).toContain(
      "> The drift job's Twilio credentials may not write geo permissions (Twilio 70051)",
    );
    expect(body).toMatch(/#### Expired exceptions still open[\s\S]*not closed: Twilio 70051/);
    expect(parseDriftState(body)?.cells).toEqual(['production|voice.low_risk|BR|on>off']);
  });

  it('the plan comment shows every exception with its days left, not only those within the horizon', async () => {
    await world.writePolicy(
      policy().replace(
        'messaging: [US]',
        'messaging: [US, {country: FR, expires: 2099-12-31, reason: "trade fair", ticket: 77}]',
      ),
    );
    const run = await world.run('pull_request', prEvent(), {}, { ref: 'refs/pull/7/merge' });
    expect(run.code).toBe(0);
    const comment = world.gh.commentsOn(E2E_PR)[0]!.body;
    expect(comment).toMatch(
      /\*\*Exceptions:\*\*\n- production voice\.low_risk BR: expired 2020-01-31 \(pilot in São Paulo, OPS-42\), geo-permissions\.yml:6\n- production messaging FR: expires 2099-12-31 \(\d+ days left\) \(trade fair, 77\), geo-permissions\.yml:9/,
    );
  });
});
