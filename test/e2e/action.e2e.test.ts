import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorState, RunningEmulator } from '../../src/emulator/index.js';
import { parseDriftState, parseReviewedPlan } from '../../src/github/markers.js';
import { runAction } from '../support/action-harness.js';
import {
  buildDist,
  E2E_PR,
  E2E_SID,
  E2E_TOKEN,
  prEvent,
  productionPolicy,
  pushEvent,
  LOW_RISK_ON,
  useActionWorld,
} from '../support/e2e-world.js';
import { BOT, startFakeGitHub } from '../support/fake-github.js';
import type { FakeGitHub } from '../support/fake-github.js';
import { openings, readMarkdown, withoutComments } from '../support/markdown-check.js';

/** The built dist/index.js, run as a runner would, against the fake GitHub and the Twilio emulator. */
const SID = E2E_SID;
const TOKEN = E2E_TOKEN;
const on = LOW_RISK_ON;

const policy = productionPolicy;

const PR = E2E_PR;

beforeAll(buildDist);

describe('the action, end to end (dist/index.js)', () => {
  const world = useActionWorld();
  const { writePolicy, creds, run } = world;
  const consoleChange = async (change: object) => {
    const res = await fetch(`${world.twilio.url}/__emulator/console`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: SID, actor: 'US00000000000000000000000000000042', ...change }),
    });
    expect(res.status).toBe(200);
  };
  const live = () => world.twilio.state().accounts.find((a) => a.sid === SID)!;

  it('keeps one sticky plan comment on a pull request, updated in place and not rewritten when unchanged', async () => {
    await writePolicy(policy(['US', 'JM'], ['US', 'JM']));
    const first = await run('pull_request', prEvent(), {}, { ref: 'refs/pull/7/merge' });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(first.outputs).toMatchObject({ 'has-changes': 'true', 'change-count': '2' });
    expect(first.outputs['comment-url']).toMatch(/issuecomment-/);
    expect(first.summary).toContain('JM');
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
    const reviewed = parseReviewedPlan(world.gh.commentsOn(PR)[0]!.body);
    expect(reviewed?.cells?.sort()).toEqual([
      `production@${SID}|messaging|JM|off>on`,
      `production@${SID}|voice.low_risk|JM|off>on`,
    ]);
    expect(reviewed?.fingerprint).toBe(first.outputs['plan-fingerprint']);

    await writePolicy(policy(['US', 'JM', 'GB'], ['US', 'JM']));
    const second = await run('pull_request', prEvent(), {}, { ref: 'refs/pull/7/merge' });
    expect(second.code).toBe(0);
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
    expect(world.gh.commentsOn(PR)[0]!.body).toContain('GB');
    expect(world.gh.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);

    const third = await run('pull_request', prEvent(), {}, { ref: 'refs/pull/7/merge' });
    expect(third.code).toBe(0);
    expect(world.gh.writes()).toHaveLength(2);
    expect(world.twilio.state().accounts[0]!.voice.countries.JM).toBeUndefined();
  });

  it('applies the reviewed plan on merge, reads it back, and reports on the merged pull request', async () => {
    await writePolicy(policy(['US', 'JM'], ['US', 'JM']));
    expect((await run('pull_request', prEvent())).code).toBe(0);
    world.gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);

    const merge = await run('push', pushEvent('c0ffee'), {}, { sha: 'c0ffee', ref: 'refs/heads/main' });
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(0);
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
    expect(live().messaging.JM).toBe(true);
    const comments = world.gh.commentsOn(PR);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toContain('twilio-geo-permissions:apply');
    expect(comments[1]!.body).toContain('verified');
    expect(merge.summary).toContain('Apply of `geo-permissions.yml`');

    // A re-run of the same merge finds nothing to do and leaves the result comment as it is.
    const result = comments[1]!.body;
    const again = await run('push', pushEvent('c0ffee'), {}, { sha: 'c0ffee', ref: 'refs/heads/main' });
    expect(again.code).toBe(0);
    expect(again.outputs['has-changes']).toBe('false');
    expect(world.gh.commentsOn(PR).map((c) => c.body)).toEqual([comments[0]!.body, result]);
  });

  it('refuses an enable that was not in the reviewed plan, while reviewed changes proceed', async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    expect((await run('pull_request', prEvent())).code).toBe(0);
    // A later commit widens the policy and is merged without a new plan being reviewed.
    await writePolicy(policy(['US', 'JM', 'BR'], ['US']));
    world.gh.commitPulls.set('beef01', [{ number: PR, merged: true, merge_commit_sha: 'beef01' }]);
    // `comment: false` on the merge run turns off result comments, never the reviewed-plan check.
    const merge = await run(
      'push',
      pushEvent('beef01'),
      { comment: 'false' },
      { sha: 'beef01', ref: 'refs/heads/main' },
    );
    expect(merge.code).toBe(1);
    expect(merge.stdout).toContain('not in the plan reviewed on PR #7');
    expect(live().voice.countries.JM?.lowRisk).toBe(true);
    expect(live().voice.countries.BR?.lowRisk ?? false).toBe(false);
    // With comment: false the result goes to the job summary only; the PR keeps just its plan comment.
    expect(world.gh.commentsOn(PR)).toHaveLength(1);
    expect(merge.summary).toContain('| production | voice.low_risk | BR | not in the reviewed plan');
    expect(merge.summary).toContain('off (the policy now wants on)');
  });

  it('keeps one drift issue: created on a Console change, left alone on a rescan, closed once fixed', async () => {
    await writePolicy(policy(['US'], ['US']));
    const clean = await run('schedule', { schedule: '0 6 * * *' });
    expect(clean.code).toBe(0);
    expect(clean.outputs['drift-detected']).toBe('false');
    expect(world.gh.issues).toHaveLength(0);

    await consoleChange({ messaging: { MX: true } });
    const found = await run('schedule', { schedule: '0 6 * * *' });
    expect(found.stderr).toBe('');
    expect(found.code).toBe(0);
    expect(found.outputs).toMatchObject({ 'drift-detected': 'true', 'issue-number': '1' });
    expect(world.gh.labels.has('geo-permissions-drift')).toBe(true);
    expect(world.gh.issues).toHaveLength(1);
    const issue = world.gh.issues[0]!;
    expect(issue).toMatchObject({ state: 'open', user: BOT, labels: ['geo-permissions-drift'] });
    expect(parseDriftState(issue.body)?.cells).toEqual(['production|messaging|MX|on>off']);
    expect(issue.body).toContain('US00000000000000000000000000000042');

    const writesBefore = world.gh.writes().length;
    const rescan = await run(
      'workflow_dispatch',
      {
        inputs: {},
        ref: 'refs/heads/main',
        repository: { full_name: 'acme/telephony', default_branch: 'main' },
      },
      {},
      { ref: 'refs/heads/main' },
    );
    expect(rescan.code).toBe(0);
    expect(world.gh.issues).toHaveLength(1);
    expect(world.gh.writes()).toHaveLength(writesBefore);

    await consoleChange({ messaging: { MX: false } });
    const fixed = await run('schedule', { schedule: '0 6 * * *' });
    expect(fixed.code).toBe(0);
    expect(world.gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(world.gh.commentsOn(1).at(-1)!.body).toContain('Drift cleared');
  });

  it('reverts drift under the guards with on-drift: revert and records it on the issue', async () => {
    await writePolicy(policy(['US'], ['US']));
    await consoleChange({ voice: { MX: { lowRisk: true } } });
    const res = await run('schedule', { schedule: '0 6 * * *' }, { 'on-drift': 'revert' });
    expect(res.code).toBe(0);
    expect(live().voice.countries.MX?.lowRisk ?? false).toBe(false);
    expect(world.gh.issues).toHaveLength(1);
    expect(world.gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(world.gh.commentsOn(1).at(-1)!.body).toContain('Reverted to the policy');
  });

  it('a guard refusal on merge writes nothing and names each guard, in the one refusal format', async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    expect((await run('pull_request', prEvent())).code).toBe(0);
    world.gh.commitPulls.set('c0ffee', [{ number: PR, merged: true, merge_commit_sha: 'c0ffee' }]);
    const merge = await run(
      'push',
      pushEvent('c0ffee'),
      { 'max-changes': '0' },
      { sha: 'c0ffee', ref: 'refs/heads/main' },
    );
    expect(merge.code).toBe(1);
    expect(live().voice.countries.JM?.lowRisk ?? false).toBe(false);
    expect(merge.summary).toContain(
      '### Refused by the guards; nothing was written\n\n- **max_changes**: the plan changes 1 cell, over the max-changes input of 0.',
    );
  });

  it('a revert the guards refuse writes nothing, keeps the issue open, and says why on it in the same format', async () => {
    await writePolicy(policy(['US'], ['US']));
    await consoleChange({ voice: { MX: { lowRisk: true } } });
    const res = await run(
      'schedule',
      { schedule: '0 6 * * *' },
      { 'on-drift': 'revert', 'max-changes': '0' },
    );
    expect(res.code).toBe(1);
    expect(live().voice.countries.MX?.lowRisk).toBe(true);
    expect(world.gh.issues[0]).toMatchObject({ state: 'open' });
    const refusal =
      '### Refused by the guards; nothing was written\n\n- **max_changes**: the plan changes 1 cell, over the max-changes input of 0.';
    expect(world.gh.commentsOn(1).at(-1)!.body).toContain(refusal);
    expect(res.summary).toContain(refusal);
  });

  it('never writes the policy from a branch other than the default one, whatever the mode asks', async () => {
    await writePolicy(policy(['US', 'MX'], ['US']));
    const writes = async () => {
      const res = await fetch(`${world.twilio.url}/__emulator/requests`);
      const { requests } = (await res.json()) as { requests: Array<{ method: string }> };
      return requests.filter((r) => r.method !== 'GET').length;
    };
    const dispatch = await run(
      'workflow_dispatch',
      {
        inputs: {},
        ref: 'refs/heads/feature',
        repository: { full_name: 'acme/telephony', default_branch: 'main' },
      },
      { 'on-drift': 'revert' },
      { ref: 'refs/heads/feature' },
    );
    expect(dispatch.code).toBe(1);
    expect(dispatch.stdout).toContain('not the default branch');
    // The drift issue speaks for the default branch's policy: a feature-branch scan never files or edits it.
    expect(world.gh.issues).toHaveLength(0);
    expect(dispatch.stdout).toContain('drift issue left untouched');
    expect(live().voice.countries.MX?.lowRisk ?? false).toBe(false);

    const push = await run(
      'push',
      { ...pushEvent('feed01'), ref: 'refs/heads/feature' },
      { mode: 'apply' },
      { sha: 'feed01', ref: 'refs/heads/feature' },
    );
    expect(push.code).toBe(1);
    expect(push.stdout).toContain('not the default branch');
    const pr = await run('pull_request', prEvent(), { mode: 'apply' }, { ref: 'refs/pull/7/merge' });
    expect(pr.code).toBe(1);
    expect(live().voice.countries.MX?.lowRisk ?? false).toBe(false);
    expect(await writes()).toBe(0);
  });

  it('validates only on a fork pull request without secrets, and says why', async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    const res = await runAction({
      eventName: 'pull_request',
      event: prEvent(true),
      cwd: world.repo,
      githubApiUrl: world.gh.url,
      inputs: {},
    });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('no Twilio credentials');
    expect(res.summary).toContain('no Twilio credentials');
    expect(res.summary).toContain('✅ valid');
    expect(world.gh.requests).toHaveLength(0);
    expect(world.twilio.state().accounts).toHaveLength(1);
  });

  it("falls back to the summary when commenting on a fork's pull request answers 403", async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    world.gh.readOnly = true;
    // A fork's token is read-only; on a same-repository pull request a 403 fails the plan (github-errors.e2e).
    const res = await run('pull_request', prEvent(true));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/::warning::the plan comment on PR #7 was not updated: .*\(HTTP 403\)/);
    expect(res.summary).toContain('JM');
  });

  it('warns about a malformed event payload and fails a pull_request plan that cannot be commented', async () => {
    await writePolicy(policy(['US', 'JM'], ['US']));
    const res = await runAction({
      eventName: 'pull_request',
      eventText: '{"number": 7, "pull_request": ',
      cwd: world.repo,
      githubApiUrl: world.gh.url,
      inputs: creds(),
    });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(
      /::warning::the event payload .*event\.json is not valid JSON: .*; reading the event as empty/,
    );
    expect(res.stdout).toMatch(
      /::error::the pull_request event payload names no pull request, so the plan was not commented \(the event payload .* is not valid JSON/,
    );
    // Failed before the first request (issue 10, item 11d): no account was read for a plan nobody sees.
    expect(res.summary).toContain('names no pull request');
    const log = (await (await fetch(`${world.twilio.url}/__emulator/requests`)).json()) as {
      requests: unknown[];
    };
    expect(log.requests).toEqual([]);
    expect(world.gh.requests).toHaveLength(0);
  });

  it('annotates policy errors on their lines and fails before any request', async () => {
    await writePolicy(policy(['US', 'UK'], ['US']));
    const res = await run('pull_request', prEvent());
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('::error file=geo-permissions.yml,line=6,col=');
    expect(res.stdout).toContain('did you mean "GB"?');
    const twilioLog = (await (await fetch(`${world.twilio.url}/__emulator/requests`)).json()) as {
      requests: unknown[];
    };
    expect(twilioLog.requests).toEqual([]);
    // GitHub is only asked whether a plan comment is there to mark as not current (there is none).
    expect(world.gh.writes()).toHaveLength(0);
  });

  it('validate mode caps annotations per type and lists every error in the summary', async () => {
    const bad = Array.from({ length: 11 }, (_, i) => `Q${String.fromCharCode(66 + i)}`);
    await writePolicy(policy(['US', ...bad], ['US']));
    const res = await runAction({
      eventName: 'push',
      event: {},
      cwd: world.repo,
      githubApiUrl: world.gh.url,
      inputs: { mode: 'validate' },
    });
    expect(res.code).toBe(1);
    expect(res.stdout.match(/^::error file=/gm)).toHaveLength(8);
    expect(res.stdout).toContain('::notice::…and 3 more error(s); the job summary lists them all.');
    for (const code of bad) expect(res.summary).toContain(`"${code}"`);
  });

  it('rejects a bad input value with a clear message before any request', async () => {
    await writePolicy(policy(['US'], ['US']));
    const res = await run('pull_request', prEvent(), { 'max-changes': 'abc' });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('max-changes must be a whole number >= 0, got "abc"');
    expect(world.gh.requests).toHaveLength(0);
  });
});

/**
 * Issue 10, item 4: an account named `support <!-- ` used to open an HTML comment in the plan comment
 * that hid every row after it, and the hidden enables were then applied at merge as reviewed. Now the
 * name is escaped, the reviewed-plan marker holds exactly the rows the comment shows, and the merge
 * applies nothing else.
 */
const HOSTILE = 'support <!-- ';
const SUBS = { billing: 'AC0000000000000000000000000000000b', sales: 'AC0000000000000000000000000000000c' };
const COUNTRIES = ['JM', 'GB', 'FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'IE', 'PT'];
const RUN_LINK = 'https://github.com/acme/telephony/actions/runs/4242';
/** The pull request head the plan comment names (prEvent's). */
const HEAD_LINK = 'https://github.com/acme/telephony/commit/aaa111';
/** The tags the renderers write themselves: the footer's <sub>, the folded per-account detail. */
const OUR_TAGS = ['<sub>', '</sub>', '<details>', '</details>', '<summary>', '</summary>'];
/** Our own volatile-span markers (report/markdown.ts `volatile`), taken out before reading what the name opens. */
const withoutVolatileMarkers = (md: string) =>
  md.replaceAll('<!-- volatile -->', '').replaceAll('<!-- /volatile -->', '');

/** The hostile account first (so its comment would hide the rest), two subaccounts of it after. */
const hostilePolicy = (extra: string[] = []) =>
  [
    'version: 1',
    'defaults:',
    '  voice: {low_risk: [US], high_risk_special: [], high_risk_tollfraud: []}',
    '  messaging: [US]',
    'accounts:',
    `  ${JSON.stringify(HOSTILE)}:`,
    `    sid: ${SID}`,
    `    voice: {low_risk: [US, ${[...COUNTRIES, ...extra].join(', ')}]}`,
    `    messaging: [US, ${COUNTRIES.join(', ')}]`,
    ...Object.entries(SUBS).flatMap(([name, sid]) => [
      `  ${name}:`,
      `    sid: ${sid}`,
      `    parent: ${JSON.stringify(HOSTILE)}`,
      `    voice: {low_risk: [US, ${COUNTRIES.join(', ')}]}`,
      `    messaging: [US, ${COUNTRIES.join(', ')}]`,
    ]),
    '',
  ].join('\n');

/** Every account's Twilio friendly name is the hostile string too. */
const hostileAccount = (sid: string, owner: string | null, token: string) => ({
  sid,
  authToken: token,
  friendlyName: HOSTILE,
  ownerAccountSid: owner,
  type: 'Full',
  status: 'active',
  apiKeys: [],
  voice: { inheritance: false, countries: { US: on } },
  messaging: { US: true },
});

/** A body without its markers: the Markdown a reader sees. */
const markdownOf = (body: string) =>
  body
    .split('\n')
    .filter((l) => !l.startsWith('<!-- twilio-geo-permissions:'))
    .join('\n');

describe('the action with a hostile account name, end to end (dist/index.js)', () => {
  let gh: FakeGitHub;
  let twilio: RunningEmulator;
  let repo: string;
  beforeEach(async () => {
    gh = await startFakeGitHub();
    const accounts = [
      hostileAccount(SID, null, TOKEN),
      hostileAccount(SUBS.billing, SID, 'e2e-token-billing-0b'),
      hostileAccount(SUBS.sales, SID, 'e2e-token-sales-0c'),
    ];
    twilio = await startEmulator({ state: { accounts, events: [] } as EmulatorState });
    repo = await mkdtemp(path.join(tmpdir(), 'geo-hostile-'));
  });
  afterEach(async () => {
    await gh.close();
    await twilio.stop();
  });
  const run = (eventName: string, event: unknown, extra: { sha?: string; ref?: string } = {}) =>
    runAction({
      eventName,
      event,
      cwd: repo,
      githubApiUrl: gh.url,
      inputs: { 'twilio-account-sid': SID, 'twilio-auth-token': TOKEN, 'twilio-api-url': twilio.url },
      ...extra,
    });
  const write = (text: string) => writeFile(path.join(repo, 'geo-permissions.yml'), text);

  it('shows every planned row, reviews exactly those, and applies nothing unreviewed', async () => {
    await write(hostilePolicy());
    const plan = await run('pull_request', prEvent(), { ref: 'refs/pull/7/merge' });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    const changes = Number(plan.outputs['change-count']);
    expect(changes).toBe(60);
    const body = gh.commentsOn(PR)[0]!.body;
    // The comment as GitHub shows it: the name opens nothing, and every planned row is there.
    expect(
      openings(withoutVolatileMarkers(markdownOf(body)), { tags: OUR_TAGS, urls: [RUN_LINK, HEAD_LINK] }),
    ).toEqual([]);
    expect(body).toContain('### support &lt;!--  `AC00000000000000000000000000000001`');
    // Every planned cell has its row in the folded per-account detail (the Opens and Closes rows above it group them).
    const detail = body.slice(body.indexOf('<details>'));
    const rows = readMarkdown(withoutComments(detail)).filter((b) => b.kind === 'table-row' && b.cells === 5);
    expect(rows).toHaveLength(changes);
    const reviewed = parseReviewedPlan(body);
    expect(reviewed?.fingerprint).toBe(plan.outputs['plan-fingerprint']);
    expect(reviewed?.cells).toHaveLength(changes);
    expect(
      openings(withoutVolatileMarkers(markdownOf(plan.summary)), {
        tags: OUR_TAGS,
        urls: [RUN_LINK, HEAD_LINK],
      }),
    ).toEqual([]);

    // A later commit adds an enable nobody reviewed; the merge applies the 60 reviewed ones only.
    await write(hostilePolicy(['BR']));
    gh.commitPulls.set('d00d01', [{ number: PR, merged: true, merge_commit_sha: 'd00d01' }]);
    const merge = await run('push', pushEvent('d00d01'), { sha: 'd00d01', ref: 'refs/heads/main' });
    expect(merge.code).toBe(1);
    expect(merge.stdout).toContain('1 change(s) were not in the plan reviewed on PR #7');
    const accounts = twilio.state().accounts;
    for (const a of accounts)
      for (const c of COUNTRIES) {
        expect(a.voice.countries[c]?.lowRisk, `${a.sid} voice ${c}`).toBe(true);
        expect(a.messaging[c], `${a.sid} messaging ${c}`).toBe(true);
      }
    expect(accounts.find((a) => a.sid === SID)!.voice.countries.BR?.lowRisk ?? false).toBe(false);
    const result = gh.commentsOn(PR)[1]!.body;
    expect(openings(markdownOf(result), { tags: OUR_TAGS, urls: [RUN_LINK], refs: ['#7'] })).toEqual([]);
    expect(result).toContain('| support &lt;!--  | voice.low_risk | BR | not in the reviewed plan');
  });
});
