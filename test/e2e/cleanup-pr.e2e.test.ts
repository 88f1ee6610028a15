// The clean-up pull request end to end: the built action on a schedule, against the fake GitHub (whose
// default branch holds the same policy as the checkout) and the Twilio emulator. Opened once, updated on
// the next run (same pull request, same branch, a new commit and body), closed once nothing is expired;
// its diff removes only the expired entries, comments kept; a token without the permissions it needs is
// named in one warning while the drift issue is still written.
import { beforeAll, describe, expect, it } from 'vitest';
import { CLEANUP_BRANCH } from '../../src/github/cleanup-pr.js';
import { DAY_MS } from '../../src/model/limits.js';
import { buildDist, E2E_SID, useActionWorld } from '../support/e2e-world.js';

beforeAll(buildDist);

const FILE = 'geo-permissions.yml';
/** A date `days` from today (UTC), as a policy writes it. */
const day = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
const EXPIRED = day(-3);
const LATER = day(30);

const policy = (mx: string | null, jm: string | null) =>
  [
    'version: 1',
    'accounts:',
    '  production:',
    `    sid: ${E2E_SID}`,
    '    voice:',
    '      low_risk: [US]',
    '      high_risk_special: []',
    '      high_risk_tollfraud: []',
    '    # Mexico for the spring promotion; Jamaica for the call-centre pilot',
    '    messaging:',
    '      - US',
    ...(mx
      ? [`      - {country: MX, expires: ${mx}, reason: "spring promotion", ticket: MKT-7}  # ends with it`]
      : []),
    ...(jm ? [`      - {country: JM, expires: ${jm}, ticket: OPS-1}`] : []),
    '',
  ].join('\n');

describe('the clean-up pull request of expired exceptions, end to end (dist/index.js)', () => {
  const world = useActionWorld();
  const schedule = () => world.run('schedule', { schedule: '0 6 * * *' });
  /** The policy as the checkout and the default branch both hold it. */
  const commitPolicy = async (text: string) => {
    await world.writePolicy(text);
    return world.gh.repository.commitFile('main', FILE, text);
  };
  const pulls = () => world.gh.issues.filter((i) => i.pull_request);
  const openLive = async (messaging: Record<string, boolean>) => {
    const res = await fetch(`${world.twilio.url}/__emulator/console`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: E2E_SID, actor: 'US00000000000000000000000000000042', messaging }),
    });
    expect(res.status).toBe(200);
  };

  it('is opened once, updated on the next run, and closed when nothing is expired', async () => {
    await commitPolicy(policy(EXPIRED, LATER));
    await openLive({ MX: true });

    const first = await schedule();
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain('::warning::');
    // The drift issue first (it records Mexico closed by this run), then the pull request.
    const issue = world.gh.issues.find((i) => !i.pull_request)!;
    expect(issue.body).toContain('MX Mexico');
    expect(pulls()).toHaveLength(1);
    const pr = pulls()[0]!;
    expect(first.outputs).toMatchObject({
      'cleanup-pr-number': String(pr.number),
      'cleanup-pr-url': `https://github.com/acme/telephony/pull/${pr.number}`,
    });
    expect(first.summary).toContain(
      `Clean-up pull request: clean-up pull request #&#8203;${pr.number} opened`,
    );
    expect(pr.title).toBe('Remove expired geo permission exceptions from geo-permissions.yml');
    // The same run's enforcement (expired: enforce, the default) closed Mexico before the body was written.
    expect(pr.body).toContain(
      '**Nothing an expired exception granted is open beyond the policy; 1 cell disabled by this run.**',
    );
    expect(pr.body).toContain(
      `| disabled by this run | production | messaging | MX Mexico | ${EXPIRED} | spring promotion | MKT-7 | \`geo-permissions.yml:12\` \`accounts.production.messaging\` |`,
    );
    // Its diff: the expired entry's line alone, the comments and the rest as they were.
    expect(world.gh.repository.fileAt(CLEANUP_BRANCH, FILE)).toBe(policy(null, LATER));
    const firstHead = world.gh.repository.branches.get(CLEANUP_BRANCH)!;

    // Jamaica's exception is cut short on the default branch: the same pull request, a new commit and body.
    const main = await commitPolicy(policy(EXPIRED, EXPIRED));
    const second = await schedule();
    expect(second.code).toBe(0);
    expect(pulls()).toHaveLength(1);
    expect(pulls()[0]!.number).toBe(pr.number);
    expect(second.outputs['cleanup-pr-number']).toBe(String(pr.number));
    expect(second.summary).toContain(
      `clean-up pull request #&#8203;${pr.number} updated (2 expired exceptions)`,
    );
    const secondHead = world.gh.repository.branches.get(CLEANUP_BRANCH)!;
    expect(secondHead).not.toBe(firstHead);
    expect(world.gh.repository.commits.get(secondHead)!.parent).toBe(main);
    expect(world.gh.repository.fileAt(CLEANUP_BRANCH, FILE)).toBe(policy(null, null));
    expect(pulls()[0]!.body).toContain(
      '| not open beyond the policy | production | messaging | JM Jamaica |',
    );

    // Both are extended: nothing is expired, so the pull request is closed and its branch deleted.
    await commitPolicy(policy(LATER, LATER));
    const third = await schedule();
    expect(third.code).toBe(0);
    expect(pulls()[0]!.state).toBe('closed');
    expect(world.gh.repository.branches.has(CLEANUP_BRANCH)).toBe(false);
    expect(third.outputs['cleanup-pr-number']).toBeUndefined();
    expect(third.summary).toContain(`nothing is expired; clean-up pull request #&#8203;${pr.number} closed`);
  });

  it('without contents: write, says so in one warning, and the drift issue is still written', async () => {
    await commitPolicy(policy(EXPIRED, LATER));
    await openLive({ MX: true });
    world.gh.repository.permissions.contents = 'read';
    const res = await schedule();
    expect(res.code).toBe(0);
    const warnings = res.stdout.split('\n').filter((l) => l.startsWith('::warning::'));
    expect(warnings).toEqual([
      '::warning::clean-up pull request not kept: the github-token may not create the branch geo-permissions/expired-exceptions ' +
        '(HTTP 403: it lacks contents: write); add "contents: write" and "pull-requests: write" to the drift ' +
        "job's permissions:, or set cleanup-pr: false",
    ]);
    expect(res.summary).toContain('Clean-up pull request: clean-up pull request not kept');
    expect(res.outputs).toMatchObject({ 'drift-detected': 'true', 'issue-number': '1' });
    expect(world.gh.issues.filter((i) => !i.pull_request)).toHaveLength(1);
    expect(pulls()).toHaveLength(0);
  });

  it('cleanup-pr: false opens nothing', async () => {
    await commitPolicy(policy(EXPIRED, LATER));
    const res = await world.run('schedule', { schedule: '0 6 * * *' }, { 'cleanup-pr': 'false' });
    expect(res.code).toBe(0);
    expect(pulls()).toHaveLength(0);
    expect(world.gh.repository.branches.has(CLEANUP_BRANCH)).toBe(false);
  });
});
