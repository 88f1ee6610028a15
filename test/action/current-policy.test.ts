// The drift run's check that its policy is still the default branch's (src/action/flows/current-policy.ts),
// over an in-memory RepositoryGateway: the cases the end-to-end test does not reach, and that it asks
// GitHub once, and only when asked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunContext } from '../../src/action/context.js';
import { policyCheck } from '../../src/action/flows/current-policy.js';
import type { FlowInput } from '../../src/action/flows/shared.js';
import { readActionSettings } from '../../src/action/settings.js';
import { GitHubError, type RepositoryGateway } from '../../src/model/github-port.js';

const RUN = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const FILE = 'geo-permissions.yml';

/** The default branch at `head`; `files` by commit; every call counted. */
function repository(head: string | null, files: Record<string, string | undefined>) {
  const calls: string[] = [];
  const gh = {
    defaultBranch: async () => (calls.push('defaultBranch'), 'trunk'),
    branchHead: async (branch: string) => (calls.push(`branchHead ${branch}`), head),
    readFile: async (path: string, ref: string) => {
      calls.push(`readFile ${path}@${ref.slice(0, 1)}`);
      const sha = files[ref];
      return sha === undefined ? null : { path, sha, text: '' };
    },
  } as unknown as RepositoryGateway;
  return { gh, calls };
}

const input = (ctx: Partial<RunContext> = {}, inputs: Record<string, string> = {}): FlowInput =>
  ({
    settings: readActionSettings((name) => ({ 'github-token': 'ghs_job', ...inputs })[name] ?? '', {
      GITHUB_WORKSPACE: '/w',
    }),
    ctx: {
      eventName: 'schedule',
      payload: {},
      payloadError: null,
      owner: 'acme',
      repo: 'telephony',
      sha: RUN,
      ref: 'refs/heads/trunk',
      serverUrl: 'https://github.com',
      runId: '1',
      runAttempt: '1',
      tempDir: '/tmp',
      ...ctx,
    },
  }) as FlowInput;

let log: string[];
beforeEach(() => {
  log = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((line) => (log.push(String(line)), true));
});
afterEach(() => vi.restoreAllMocks());

describe('policyCheck: may the drift run write with the policy it checked out?', () => {
  it('writes when the run is on the head: one read of the branch, no file read', async () => {
    const { gh, calls } = repository(RUN, {});
    expect(await policyCheck(input(), gh).heldBack()).toBeNull();
    expect(calls).toEqual(['defaultBranch', 'branchHead trunk']);
  });

  it('asks nothing until asked, and GitHub once however often it is asked', async () => {
    const { gh, calls } = repository(HEAD, { [RUN]: 'blob1', [HEAD]: 'blob2' });
    const check = policyCheck(input({ payload: { repository: { default_branch: 'main' } } }), gh);
    expect(check.asked()).toBeNull();
    expect(calls).toEqual([]);
    const first = await check.heldBack();
    expect(await check.heldBack()).toBe(first);
    expect(check.asked()).toBe(first);
    // The payload's default branch is taken as it is: no GET /repos.
    expect(calls).toEqual(['branchHead main', `readFile ${FILE}@a`, `readFile ${FILE}@b`]);
    expect(first).toBe(
      `the default branch main moved to bbbbbbb since this run's commit aaaaaaa and changed ${FILE}: ` +
        'nothing written to Twilio; the next scheduled run uses the new policy',
    );
    expect(log.filter((l) => l.startsWith('::notice::'))).toEqual([`::notice::${first}\n`]);
  });

  it('writes when the branch moved and the blob is the same, and says so in the log only', async () => {
    const { gh } = repository(HEAD, { [RUN]: 'blob1', [HEAD]: 'blob1' });
    const check = policyCheck(input(), gh);
    expect(await check.heldBack()).toBeNull();
    expect(check.asked()).toBeNull();
    expect(log.join('')).toContain(
      `the default branch trunk moved to bbbbbbb since this run's commit aaaaaaa, without changing ${FILE}: the writes go ahead`,
    );
  });

  it('holds back when the default branch removed the policy file', async () => {
    const { gh } = repository(HEAD, { [RUN]: 'blob1' });
    expect(await policyCheck(input(), gh).heldBack()).toContain(`and removed ${FILE}: nothing written`);
  });

  it('holds back, with a warning, whatever keeps it from telling', async () => {
    const cases: Array<[string, FlowInput, RepositoryGateway | null]> = [
      ['no github-token', input({}, { 'github-token': '' }), null],
      ['GITHUB_REPOSITORY is not set', input({ owner: '' }), null],
      ['GITHUB_SHA is not set', input({ sha: '' }), repository(HEAD, {}).gh],
      ['GitHub has no branch trunk', input(), repository(null, {}).gh],
      [`the repository has no ${FILE} at aaaaaaa`, input(), repository(HEAD, { [HEAD]: 'blob2' }).gh],
    ];
    for (const [why, flow, gh] of cases) {
      const line = await policyCheck(flow, gh).heldBack();
      expect(line).toMatch(`changed ${FILE} since this run's commit`);
      expect(line).toContain(`(${why}): nothing written to Twilio; the next scheduled run tries again`);
    }
    expect(log.filter((l) => l.startsWith('::warning::'))).toHaveLength(cases.length);
  });

  it('holds back on a GitHub failure, naming contents: read for a refusal', async () => {
    const failing = (err: GitHubError) =>
      ({
        defaultBranch: async () => {
          throw err;
        },
      }) as unknown as RepositoryGateway;
    const refused = new GitHubError(404, 'get the repository', 'Not Found', 'not-found');
    expect(await policyCheck(input(), failing(refused)).heldBack()).toContain(
      '(GitHub get the repository failed (HTTP 404): Not Found; the job needs contents: read)',
    );
    const down = new GitHubError(502, 'get the repository', 'Bad Gateway');
    expect(await policyCheck(input(), failing(down)).heldBack()).toContain(
      '(GitHub get the repository failed (HTTP 502): Bad Gateway): nothing written',
    );
  });

  it('lets a bug through instead of calling it a GitHub failure', async () => {
    const broken = {
      defaultBranch: async () => {
        throw new TypeError('boom');
      },
    } as unknown as RepositoryGateway;
    await expect(policyCheck(input(), broken).heldBack()).rejects.toThrow('boom');
  });
});
