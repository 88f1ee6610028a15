import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../src/action/context.js';
import { resultMissing } from '../../src/action/flows/apply-result.js';
import { applyRecordPath } from '../../src/action/flows/live.js';
import { finishPendingReverts, openRevertRecord } from '../../src/action/flows/revert-record.js';
import { gateChanges } from '../../src/action/flows/review-gate.js';
import { earlierApply, recoveredApplySection, wideningWords } from '../../src/report/records.js';
import type { FlowCancel, FlowInput } from '../../src/action/flows/shared.js';
import { readActionSettings } from '../../src/action/settings.js';
import {
  REVERT_PENDING_MARKER,
  applyCommentMarker,
  planCommentMarker,
  reviewedPlanMarker,
  revertCellsMarker,
  revertRecordMarker,
} from '../../src/github/markers.js';
import { GitHubError } from '../../src/model/github-port.js';
import type { GitHubGateway, Issue, IssueComment, PullRequestRef } from '../../src/model/github-port.js';
import type { CellChange, DriftReport, Plan } from '../../src/model/plan.js';
import { markerKey, reviewedKey } from '../../src/plan/cells.js';
import { cellChange } from '../support/cell-change.js';

const SID = 'AC' + '1'.repeat(32);
const BOT = 'github-actions[bot]';
const change = (category: CellChange['category'], country: string | null, from: boolean, to: boolean) =>
  cellChange({ category, country, from, to, sid: SID });
const plan = (changes: CellChange[], fingerprint = 'fp-now'): Plan =>
  ({
    schemaVersion: 1,
    policyFile: 'geo-permissions.yml',
    fingerprint,
    summary: { changes: changes.length } as Plan['summary'],
    accounts: [
      { account: 'production', sid: SID, parent: null, type: 'Full', changes, unknown: [], error: null },
    ],
    expiring: [],
    warnings: [],
  }) as Plan;
const ctx = (over: Partial<RunContext> = {}): RunContext => ({
  eventName: 'push',
  payload: {},
  payloadError: null,
  owner: 'acme',
  repo: 'telephony',
  sha: 'c0ffee',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  runId: '4242',
  runAttempt: '1',
  tempDir: '/runner/temp',
  ...over,
});
/** A cancel that never comes: the flows run here outside main. */
const neverCancelled: FlowCancel = {
  signal: new AbortController().signal,
  beginWriting: () => {},
  quickly: (work) => work,
};
const input = (inputs: Record<string, string> = {}, over: Partial<RunContext> = {}): FlowInput => ({
  settings: readActionSettings((name) => inputs[name] ?? ''),
  ctx: ctx(over),
  reason: 'test',
  summary: [],
  now: new Date('2026-11-25T12:00:00Z'),
  cancel: neverCancelled,
});

/** Just the calls the gate and the record make, over in-memory comments. */
function fakeGitHub(pulls: PullRequestRef[], comments: IssueComment[] = [], login = BOT) {
  const updates: Array<{ id: number; body: string }> = [];
  const gh = {
    findPullRequestsForCommit: async () => pulls,
    listComments: async () => comments,
    // The job's GITHUB_TOKEN: GitHub names it github-actions[bot] (github/identity.ts).
    authenticatedLogin: async () => login,
    updateComment: async (id: number, body: string) => {
      updates.push({ id, body });
      return { id, body, author: BOT, url: '' };
    },
  } as unknown as GitHubGateway;
  return { gh, updates };
}
const merged: PullRequestRef = { number: 7, merged: true, mergeCommitSha: 'c0ffee', url: '' };
const comment = (id: number, body: string, author = BOT): IssueComment => ({ id, body, author, url: '' });

const us = change('voice.low_risk', 'US', true, false);
const ca = change('voice.low_risk', 'CA', false, true);
const join = change('voice.inherit', null, false, true);

describe('the review gate: without a reviewed plan only what narrows access applies', () => {
  it('leaves enables and inheritance changes of a direct push out, with the reason and what to do', async () => {
    const gate = await gateChanges(fakeGitHub([]).gh, input(), plan([us, ca, join]));
    expect(gate.review).toBeNull();
    expect(gate.toApply.accounts[0]!.changes).toEqual([us]);
    expect(gate.failures).toEqual([
      '1 enable and 1 inheritance change were refused: commit c0ffee was not merged through a pull request, ' +
        'so no plan of it was reviewed. Open a pull request so its plan is reviewed, or set ' +
        'allow-unreviewed-enables: true to apply enables under the guards alone',
    ]);
    expect(gate.sections[0]).toContain(
      '### Refused: 1 enable and 1 inheritance change without a reviewed plan',
    );
    expect(gate.sections[0]).toContain('| production | voice inheritance | - | own lists -> inherits |');
  });
  it('applies everything of a direct push that only narrows access', async () => {
    const gate = await gateChanges(fakeGitHub([]).gh, input(), plan([us]));
    expect(gate).toMatchObject({ failures: [], sections: [] });
    expect(gate.toApply.accounts[0]!.changes).toEqual([us]);
  });
  it('applies every change under allow-unreviewed-enables: true, and says so in the summary', async () => {
    const gate = await gateChanges(
      fakeGitHub([]).gh,
      input({ 'allow-unreviewed-enables': 'true' }),
      plan([us, ca]),
    );
    expect(gate.failures).toEqual([]);
    expect(gate.toApply.accounts[0]!.changes).toEqual([us, ca]);
    expect(gate.sections[0]).toMatch(/^### Applied without a reviewed plan\n\ncommit c0ffee was not merged/);
  });
  it('treats a pull request without a plan comment under comment: false as unreviewed', async () => {
    const gate = await gateChanges(fakeGitHub([merged]).gh, input({ comment: 'false' }), plan([ca]));
    expect(gate.review).toMatchObject({ pr: { number: 7 }, binding: null });
    expect(gate.failures[0]).toMatch(/^1 enable was refused: comment: false left no plan comment on PR #7/);
  });
  it('binds to the reviewed plan of the merged pull request as before', async () => {
    const reviewed = `${planCommentMarker('geo-permissions.yml')}\n${reviewedPlanMarker({ fingerprint: 'fp-pr', cells: [reviewedKey(ca)] })}`;
    const gate = await gateChanges(fakeGitHub([merged], [comment(1, reviewed)]).gh, input(), plan([us, ca]));
    expect(gate.failures).toEqual([]);
    expect(gate.review?.binding?.ok).toBe(true);
    expect(gate.toApply.accounts[0]!.changes).toEqual([us, ca]);
  });
});

describe('the apply record and a lost result', () => {
  const reviewedPlan = (fingerprint: string) => ({ fingerprint, cells: [reviewedKey(ca)] });
  const review = (comments: IssueComment[] = [], fingerprint = 'fp-pr') => ({
    pr: merged,
    comments,
    reviewed: reviewedPlan(fingerprint),
    binding: { ok: true, identical: false, unreviewed: [], noLongerNeeded: [] },
    login: 'github-actions[bot]',
  });
  it('goes to RUNNER_TEMP/geo-permissions/, one file per policy and commit', () => {
    expect(applyRecordPath(input({ policy: 'ops/geo perms.yml' }))).toBe(
      '/runner/temp/geo-permissions/apply-ops_geo_perms.yml-c0ffee.json',
    );
  });
  it('is missing when the reviewed plan had changes, nothing is left, and no result of the commit was posted', () => {
    expect(resultMissing(input(), review(), plan([]))).toBe(true);
    const posted = comment(2, `${applyCommentMarker('geo-permissions.yml', 'c0ffee')}\n## Apply`);
    expect(resultMissing(input(), review([posted]), plan([]))).toBe(false);
    // A forged result by someone else does not count.
    expect(resultMissing(input(), review([{ ...posted, author: 'eve' }]), plan([]))).toBe(true);
  });
  it('is not missing while there is still something to apply, after an unreadable account, or when nothing was reviewed', () => {
    expect(resultMissing(input(), review(), plan([ca]))).toBe(false);
    const unread = plan([]);
    unread.accounts[0]!.error = 'timeout';
    expect(resultMissing(input(), review(), unread)).toBe(false);
    expect(resultMissing(input(), review([], 'fp-now'), plan([]))).toBe(false);
    expect(resultMissing(input({ comment: 'false' }), review(), plan([]))).toBe(false);
    expect(resultMissing(input(), null, plan([]))).toBe(false);
  });
  it('names the earlier attempt of the run when this is a re-run', () => {
    expect(earlierApply(ctx({ runAttempt: '2' }))).toBe(
      'attempt 1 of this run (https://github.com/acme/telephony/actions/runs/4242/attempts/1) applied it but could not post its result',
    );
    expect(earlierApply(ctx({ runAttempt: '4' }))).toContain('the last one, attempt 3: ');
    expect(earlierApply(ctx())).toMatch(/^an earlier run of this commit applied it/);
    expect(recoveredApplySection(ctx(), 'geo-permissions.yml', 7)).toMatch(
      /^### Live state matches the reviewed policy\n\nNothing was left to apply: .* at c0ffee wants it, so the changes the plan reviewed on PR #7 showed are in effect\./,
    );
  });
  it('counts what widens access in words', () => {
    expect(wideningWords([ca])).toEqual({ words: '1 enable', verb: 'was' });
    expect(wideningWords([ca, ca, join])).toEqual({
      words: '2 enables and 1 inheritance change',
      verb: 'were',
    });
  });
});

describe('a revert record left pending is finished by the next scan', () => {
  const mx = change('voice.low_risk', 'MX', true, false);
  const pending = (runId: string, author = BOT) =>
    comment(
      Number(runId),
      [
        revertRecordMarker(runId, '1'),
        REVERT_PENDING_MARKER,
        revertCellsMarker({ fingerprint: 'fp', cells: [markerKey(mx)] }),
        '### Reverting to the policy',
      ].join('\n'),
      author,
    );
  const issue = (state: 'open' | 'closed') => ({ number: 1, state }) as Issue;
  const report = (complete: boolean, items: number) =>
    ({ complete, items: Array(items).fill(mx) }) as DriftReport;

  it('records what the earlier run set out to write and what this scan reads, and leaves others alone', async () => {
    const finished = comment(5, `${revertRecordMarker('4000', '1')}\n### Reverted to the policy`);
    const { gh, updates } = fakeGitHub([], [pending('4242'), pending('4100', 'eve'), finished]);
    await finishPendingReverts(gh, [issue('open')], input({}, { runId: '4243' }), report(true, 0));
    expect(updates.map((u) => u.id)).toEqual([4242]);
    const body = updates[0]!.body;
    expect(
      body.startsWith(`${revertRecordMarker('4242', '1')}\n### Reverted to the policy by run 4242`),
    ).toBe(true);
    expect(body).not.toContain(REVERT_PENDING_MARKER);
    expect(body).toContain(
      '[Run 4242, attempt 1](https://github.com/acme/telephony/actions/runs/4242/attempts/1)',
    );
    expect(body).toContain('- production voice.low_risk MX: on → off');
    expect(body).toContain('read the accounts back: the live state matches the policy.');
  });
  it("finishes the records of the token's own identity (a GitHub App), not those of bot-login", async () => {
    const { gh, updates } = fakeGitHub(
      [],
      [pending('4242', 'geo-app[bot]'), pending('4100')],
      'geo-app[bot]',
    );
    await finishPendingReverts(gh, [issue('open')], input(), report(true, 0));
    expect(updates.map((u) => u.id)).toEqual([4242]);
  });
  it('says so when drift remains or the scan was incomplete; closed issues are not read', async () => {
    const still = fakeGitHub([], [pending('4242')]);
    await finishPendingReverts(still.gh, [issue('open')], input(), report(true, 2));
    expect(still.updates[0]!.body).toContain('2 cells still differ from the policy (this issue lists them)');
    const partial = fakeGitHub([], [pending('4242')]);
    await finishPendingReverts(partial.gh, [issue('open'), issue('closed')], input(), report(false, 0));
    expect(partial.updates).toHaveLength(1);
    expect(partial.updates[0]!.body).toContain('some accounts could not be read');
  });
});

describe('the revert record is opened before the first write', () => {
  const report = { fingerprint: 'fp', items: [] } as unknown as DriftReport;
  const failing = (err: GitHubError) =>
    ({
      createComment: async () => {
        throw err;
      },
    }) as unknown as GitHubGateway;

  it('stops the revert when the record could not be posted for a passing reason (timeout, rate limit)', async () => {
    for (const kind of ['timeout', 'rate-limited'] as const)
      await expect(
        openRevertRecord(failing(new GitHubError(null, 'POST comment', kind, kind)), 1, input(), report),
      ).rejects.toThrow(/nothing was reverted/);
  });
  it('lets the revert go on, unrecorded on the issue, only when the token may not comment (403)', async () => {
    const record = await openRevertRecord(
      failing(new GitHubError(403, 'POST comment', 'Resource not accessible by integration', 'forbidden')),
      1,
      input(),
      report,
    );
    expect(record.commentId).toBeNull();
  });
});
