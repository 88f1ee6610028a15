// A late scheduled run writes only the policy the default branch still holds, end to end (dist/index.js
// against the fake GitHub and the Twilio emulator). A scheduled or queued run checks out the commit that
// was current when it was triggered; a merge in between (one that extends an exception, or changes the
// lists) is applied by its own push, and the late run must not then close or revert with the old policy.
// Before it writes to Twilio the run compares its commit with the default branch's head and the policy
// file's blob at both: moved and changed, it writes nothing and says so; moved without touching the
// policy, it writes; when it cannot tell (no token, GitHub refused), it writes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDriftState } from '../../src/github/markers.js';
import { mdText } from '../../src/report/escape.js';
import { buildDist, E2E_SID, LOW_RISK_ON, useActionWorld } from '../support/e2e-world.js';

beforeAll(buildDist);

const SCHEDULE = { schedule: '0 6 * * *' };
const FILE = 'geo-permissions.yml';
const short = (sha: string) => sha.slice(0, 7);

/** production's policy: US, BR as an exception ending `brazil`, and the messaging list. */
const policy = (brazil: string, messaging = 'US') => `version: 1
accounts:
  production:
    sid: ${E2E_SID}
    voice:
      low_risk: [US, {country: BR, expires: ${brazil}, reason: "pilot in São Paulo", ticket: OPS-42}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [${messaging}]
`;
const EXPIRED = policy('2020-01-31');
/** The pull request merged after the run was triggered: the pilot runs on. */
const EXTENDED = policy('2099-12-31');

/** The line a run held back by a newer policy writes in the issue, the summary and the log. */
const movedLine = (head: string, run: string) =>
  `the default branch main moved to ${short(head)} since this run's commit ${short(run)} and changed ` +
  `${FILE}: nothing written to Twilio; the next scheduled run uses the new policy`;

describe('a late drift run writes only the policy the default branch still holds (dist/index.js)', () => {
  const world = useActionWorld();
  const live = () => world.twilio.state().accounts.find((a) => a.sid === E2E_SID)!;
  const openLive = async (change: object) => {
    const res = await fetch(`${world.twilio.url}/__emulator/console`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: E2E_SID, actor: 'US00000000000000000000000000000042', ...change }),
    });
    expect(res.status).toBe(200);
  };
  /** The run's checkout: `text` committed on main (and in the workspace); answers that commit. */
  const checkout = async (text: string) => {
    await world.writePolicy(text);
    return world.gh.repository.commitFile('main', FILE, text);
  };
  const mainHead = () => world.gh.repository.branches.get('main')!;

  it('does not close an expired exception that a merge since the run was triggered extended', async () => {
    const runCommit = await checkout(EXPIRED);
    await openLive({ voice: { BR: LOW_RISK_ON } });
    // The merge lands while the scheduled run waits in the queue; its own apply saw BR open, as it wants.
    const merged = world.gh.repository.commitFile('main', FILE, EXTENDED, 'Extend the São Paulo pilot');

    const run = await world.run('schedule', SCHEDULE, {}, { sha: runCommit });
    expect(run.stderr).toBe('');
    // A race the next run settles is not a failure of this one.
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR).toMatchObject(LOW_RISK_ON);
    expect(run.outputs).toMatchObject({ 'expired-disabled': '0', 'drift-detected': 'true' });
    const line = movedLine(merged, runCommit);
    const issue = world.gh.issues.find((i) => !i.pull_request)!;
    for (const text of [issue.body, run.summary]) {
      expect(text).toContain(`> ${mdText(line)}`);
      expect(text).toContain('#### Expired exceptions still open');
      expect(text).not.toContain('Closed by this run');
    }
    expect(run.stdout).toContain(`::notice::${line}`);
    // Still drift by this run's policy: the issue keeps the cell until a run of the new policy clears it.
    expect(parseDriftState(issue.body)?.cells).toEqual(['production|voice.low_risk|BR|on>off']);

    // The next scheduled run checks out the merge: BR is granted, nothing to close, the issue clears.
    await world.writePolicy(EXTENDED);
    const settled = await world.run('schedule', SCHEDULE, {}, { sha: merged });
    expect(settled.code).toBe(0);
    expect(live().voice.countries.BR).toMatchObject(LOW_RISK_ON);
    expect(world.gh.issues.find((i) => !i.pull_request)).toMatchObject({ state: 'closed' });
  });

  it('closes it when the default branch moved without changing the policy file', async () => {
    const runCommit = await checkout(EXPIRED);
    await openLive({ voice: { BR: LOW_RISK_ON } });
    world.gh.repository.commitFile('main', 'README.md', '# telephony\n', 'Docs');
    expect(mainHead()).not.toBe(runCommit);

    const run = await world.run('schedule', SCHEDULE, {}, { sha: runCommit });
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR?.lowRisk ?? false).toBe(false);
    expect(run.outputs['expired-disabled']).toBe('1');
    expect(run.summary).not.toContain('nothing written to Twilio');
  });

  it('does not revert drift with on-drift: revert when a merge since changed the policy', async () => {
    const runCommit = await checkout(policy('2099-12-31'));
    // Mexico opened in the Console for a launch whose pull request merges while the run is queued.
    await openLive({ messaging: { MX: true } });
    const merged = world.gh.repository.commitFile('main', FILE, policy('2099-12-31', 'US, MX'));

    const run = await world.run('schedule', SCHEDULE, { 'on-drift': 'revert' }, { sha: runCommit });
    expect(run.code).toBe(0);
    expect(live().messaging.MX).toBe(true);
    const line = movedLine(merged, runCommit);
    expect(run.summary).toContain(`### Not reverted\n\n${mdText(line)}.`);
    const issue = world.gh.issues.find((i) => !i.pull_request)!;
    expect(issue).toMatchObject({ state: 'open' });
    expect(issue.body).toContain(`> ${mdText(line)}`);
    expect(
      world.gh
        .commentsOn(issue.number)
        .map((c) => c.body)
        .join('\n'),
    ).not.toContain('Reverted');
  });

  it('reverts when the default branch moved without changing the policy file', async () => {
    const runCommit = await checkout(policy('2099-12-31'));
    await openLive({ messaging: { MX: true } });
    world.gh.repository.commitFile('main', 'README.md', '# telephony\n', 'Docs');

    const run = await world.run('schedule', SCHEDULE, { 'on-drift': 'revert' }, { sha: runCommit });
    expect(run.code).toBe(0);
    expect(live().messaging.MX ?? false).toBe(false);
    expect(world.gh.commentsOn(1).at(-1)!.body).toContain('Reverted to the policy');
  });

  it('asks GitHub nothing about the branch when the scan has nothing to write', async () => {
    const runCommit = await checkout(EXPIRED);
    world.gh.repository.commitFile('main', FILE, EXTENDED);
    const run = await world.run('schedule', SCHEDULE, { 'on-drift': 'revert' }, { sha: runCommit });
    expect(run.code).toBe(0);
    expect(run.outputs['drift-detected']).toBe('false');
    expect(run.summary).not.toContain('nothing written to Twilio');
    // The clean-up pull request reads the branch (it edits the default branch's file); the check did not.
    expect(
      world.gh.requests.filter((r) => r.path.includes(`/contents/`) && r.query.includes(runCommit)),
    ).toEqual([]);
  });

  it('writes nothing when the default branch cannot be read, and says why', async () => {
    const runCommit = await checkout(EXPIRED);
    await openLive({ voice: { BR: LOW_RISK_ON } });
    world.gh.faults.push({ kind: 'forbidden', method: 'GET', path: '/git/ref/' });

    const run = await world.run('schedule', SCHEDULE, {}, { sha: runCommit });
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR).toMatchObject(LOW_RISK_ON);
    expect(run.outputs['expired-disabled']).toBe('0');
    const line =
      `could not check whether the default branch changed ${FILE} since this run's commit ${short(runCommit)} ` +
      '(GitHub get a branch failed (HTTP 403): Resource not accessible by integration; the job needs ' +
      'contents: read): nothing written to Twilio; the next scheduled run tries again';
    expect(run.summary).toContain(`> ${mdText(line)}`);
    expect(world.gh.issues[0]!.body).toContain(`> ${mdText(line)}`);
    expect(run.stdout).toContain(`::warning::${line}`);
  });

  it('writes nothing without a github-token: the default branch cannot be asked', async () => {
    const runCommit = await checkout(EXPIRED);
    await openLive({ voice: { BR: LOW_RISK_ON } });
    const run = await world.run('schedule', SCHEDULE, { 'github-token': '' });
    expect(run.code).toBe(0);
    expect(live().voice.countries.BR).toMatchObject(LOW_RISK_ON);
    const line =
      `could not check whether the default branch changed ${FILE} since this run's commit ` +
      `${short(runCommit)} (no github-token): nothing written to Twilio; the next scheduled run tries again`;
    expect(run.summary).toContain(`> ${mdText(line)}`);
    expect(run.stdout).toContain(`::warning::${line}`);
  });
});
