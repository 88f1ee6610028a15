// Issue 11, items 4, 6 and 8 end to end (dist/index.js, the fake GitHub, the Twilio emulator): the pull
// request's check states the guards' verdict its merge would meet and fails on a refusal; the plan comment
// names the commit it planned and says so at its top when a later push was not planned, its reviewed plan
// intact for the merge; the job log carries each report as text in a collapsed group.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReviewedPlan } from '../../src/github/markers.js';
import { runAction, type ActionRun } from '../support/action-harness.js';
import {
  buildDist,
  E2E_PR,
  E2E_SID,
  prEvent,
  productionPolicy,
  pushEvent,
  useActionWorld,
} from '../support/e2e-world.js';
import { withoutComments } from '../support/markdown-check.js';

const PR = E2E_PR;
const REPO_URL = 'https://github.com/acme/telephony';
const RUN_URL = `${REPO_URL}/actions/runs/4242`;
const commit = (sha: string) => `[\`${sha.slice(0, 7)}\`](${REPO_URL}/commit/${sha})`;
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** productionPolicy with a max_changes guard. */
const guarded = (voice: string[], maxChanges: number) =>
  productionPolicy(voice).replace('accounts:', `guards:\n  max_changes: ${maxChanges}\naccounts:`);

beforeAll(buildDist);

describe('the pull request plan, reviewed as its merge will run (dist/index.js)', () => {
  const world = useActionWorld();
  const { writePolicy, run } = world;
  const planPush = (head: string, inputs: Record<string, string> = {}) =>
    run('pull_request', prEvent(false, head), inputs, { ref: 'refs/pull/7/merge' });
  const comment = () => world.gh.commentsOn(PR)[0]!.body;
  /** What a reader sees first: the comment without its markers. */
  const visible = (body: string) => withoutComments(body).trimStart();

  it('fails the check when the merge would be refused, naming the guard; warns only with fail-on-refusal: false', async () => {
    await writePolicy(guarded(['US', 'FR', 'GB'], 1));
    const refused = await planPush('aaa1111');
    expect(refused.code).toBe(1);
    expect(refused.outputs.guards).toBe('refuse');
    expect(refused.stdout).toMatch(/^::error::the guards would refuse this merge \(max_changes\): /m);
    // The verdict comes right under the plan's summary line, in the comment and the job summary alike.
    for (const md of [comment(), refused.summary]) {
      const summaryLine = md.indexOf('**Plan: opens 2 cells');
      const verdict = md.indexOf('❌ **Guards: the merge would be REFUSED**');
      expect(summaryLine).toBeGreaterThan(0);
      expect(verdict).toBeGreaterThan(summaryLine);
      expect(verdict).toBeLessThan(md.indexOf('#### Opens'));
      expect(md).toContain(
        '| `max_changes` | ❌ refused | 2 cells, limit 1 (guards.max_changes, geo-permissions.yml:3:16) |',
      );
      expect(md).toContain('- **max_changes**: the plan changes 2 cells, over guards.max_changes = 1');
    }

    const warned = await planPush('aaa1111', { 'fail-on-refusal': 'false' });
    expect(warned.code).toBe(0);
    expect(warned.outputs.guards).toBe('refuse');
    expect(warned.stdout).toMatch(
      /^::warning::the guards would refuse this merge \(max_changes\): .*\(fail-on-refusal: false, so this check passes\)$/m,
    );

    await writePolicy(guarded(['US', 'FR', 'GB'], 2));
    const passed = await planPush('aaa1111');
    expect(passed.code).toBe(0);
    expect(passed.outputs.guards).toBe('pass');
    expect(comment()).toContain('✅ **Guards: pass**');
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
  });

  it('names the planned commit and the run; a later invalid push puts a banner on top and keeps the reviewed plan', async () => {
    await writePolicy(productionPolicy(['US', 'FR']));
    const first = await planPush('def5678aa');
    expect(first.code).toBe(0);
    expect(comment()).toMatch(
      new RegExp(
        `Planned commit ${escapeRe(commit('def5678aa'))}, <!-- volatile -->live state read at \\S+ in \\[this run\\]\\(${escapeRe(RUN_URL)}\\)<!-- /volatile -->\\.`,
      ),
    );
    const reviewed = parseReviewedPlan(comment());
    expect(reviewed?.cells).toEqual([`production@${E2E_SID}|voice.low_risk|FR|off>on`]);
    const plan = visible(comment());

    await writePolicy(productionPolicy(['US', 'FR', 'UK']));
    const invalid = await planPush('abc1234ff');
    expect(invalid.code).toBe(1);
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
    const banner =
      `> ⚠️ **The latest push ${commit('abc1234ff')} is invalid: this plan is for ${commit('def5678aa')}.** ` +
      `See [the run](${RUN_URL}); the plan below is not current until a push is planned again.`;
    const shown = visible(comment());
    expect(shown.startsWith(`${banner}\n`)).toBe(true);
    expect(shown.slice(banner.length).trimStart()).toBe(plan);
    expect(parseReviewedPlan(comment())).toEqual(reviewed);
    expect(invalid.summary).toContain('The plan comment on PR #7 still shows the plan for');

    // The merge binds to the reviewed plan under the banner: the reviewed FR enable applies.
    await writePolicy(productionPolicy(['US', 'FR']));
    world.gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    const merge = await run('push', pushEvent('c0ffee'), {}, { sha: 'c0ffee', ref: 'refs/heads/main' });
    expect(merge.code).toBe(0);
    expect(merge.outputs.guards).toBe('pass');
    expect(world.twilio.state().accounts[0]!.voice.countries.FR?.lowRisk).toBe(true);
  });

  it('a push that cannot be planned says why on the comment; the next plan replaces the comment, banner gone', async () => {
    await writePolicy(productionPolicy(['US', 'FR']));
    expect((await planPush('def5678aa')).code).toBe(0);
    // No Twilio credentials on a same-repository pull request: validated only, and the comment says so.
    const noSecrets = await runAction({
      eventName: 'pull_request',
      event: prEvent(false, 'abc1234ff'),
      cwd: world.repo,
      githubApiUrl: world.gh.url,
      inputs: {},
    });
    expect(noSecrets.code).toBe(0);
    expect(visible(comment())).toMatch(
      /^> ⚠️ \*\*The latest push \[`abc1234`\]\(.*\) could not be planned: this run was given no Twilio credentials .*\. This plan is for \[`def5678`\]/,
    );

    // Twilio unreachable: no account is read, so the comment keeps its plan under a new banner.
    const unreachable = await planPush('bcd2345ee', { 'twilio-api-url': 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(1);
    const stale = visible(comment());
    expect(stale).toMatch(
      /^> ⚠️ \*\*The latest push \[`bcd2345`\]\(.*\) could not be planned: no account could be read/,
    );
    expect(stale.match(/⚠️/g)).toHaveLength(1);

    const replanned = await planPush('cde3456dd');
    expect(replanned.code).toBe(0);
    expect(comment()).not.toContain('⚠️');
    expect(comment()).toContain(`Planned commit ${commit('cde3456dd')}`);
  });

  it('makes no comment only for a banner, and leaves a fork pull request without secrets alone', async () => {
    await writePolicy(productionPolicy(['US', 'UK']));
    const invalid = await planPush('abc1234ff');
    expect(invalid.code).toBe(1);
    expect(world.gh.commentsOn(PR)).toHaveLength(0);

    await writePolicy(productionPolicy(['US', 'FR']));
    expect((await planPush('def5678aa')).code).toBe(0);
    const before = comment();
    const fork = await runAction({
      eventName: 'pull_request',
      event: prEvent(true, 'abc1234ff'),
      cwd: world.repo,
      githubApiUrl: world.gh.url,
      inputs: {},
    });
    expect(fork.code).toBe(0);
    expect(comment()).toBe(before);
  });

  it('writes the plan, the apply result and the drift report as text in collapsed log groups', async () => {
    await writePolicy(productionPolicy(['US', 'FR']));
    const plan = await planPush('def5678aa');
    const group = (r: ActionRun, title: string) => {
      const start = r.stdout.indexOf(`::group::${title}\n`);
      const end = r.stdout.indexOf('::endgroup::', start);
      expect(start, `${title} group`).toBeGreaterThanOrEqual(0);
      return r.stdout.slice(start, end);
    };
    const planLog = group(plan, 'Plan (text)');
    expect(planLog).toContain('Plan: opens 1 cell (1 medium) and closes nothing, in 1 of 1 account.');
    expect(planLog).toMatch(/medium\s+voice low-risk\s+FR France\s+off -> on/);
    expect(planLog).toContain('Guards: pass');
    // Workflow commands are off inside the group: an account's name can print `::`, never run it.
    expect(planLog).toMatch(/::stop-commands::[0-9a-f-]{36}\n[\s\S]*\n::[0-9a-f-]{36}::\n$/);

    world.gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    const merge = await run('push', pushEvent('c0ffee'), {}, { sha: 'c0ffee', ref: 'refs/heads/main' });
    expect(group(merge, 'Apply result (text)')).toContain('Apply succeeded: 1 verified');

    const drift = await run('schedule', { schedule: '0 6 * * *' });
    expect(group(drift, 'Drift (text)')).toContain('No drift');
  });
});
