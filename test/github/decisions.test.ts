import { describe, expect, it } from 'vitest';
import { composeBody } from '../../src/github/body.js';
import { MAX_BODY_CHARS } from '../../src/model/limits.js';
import { decideDriftIssue, ownDriftIssues, supersededShardIssues } from '../../src/github/drift-issue.js';
import type { Issue, IssueComment } from '../../src/model/github-port.js';
import {
  driftIssueMarker,
  driftStateMarker,
  parseDriftState,
  parseReviewedPlan,
  planCommentMarker,
  reviewedPlanMarker,
} from '../../src/github/markers.js';
import { decideSticky } from '../../src/github/sticky.js';

const BOT = 'github-actions[bot]';
const marker = planCommentMarker('geo-permissions.yml');
const comment = (id: number, body: string, author = BOT): IssueComment => ({
  id,
  body,
  author,
  url: `u${id}`,
});

describe('sticky comment decision', () => {
  it('creates when no comment carries the marker from the bot', () => {
    expect(decideSticky([comment(1, 'hello')], marker, BOT, `${marker}\nplan`)).toEqual({ kind: 'create' });
  });
  it('ignores a copied marker in a human comment', () => {
    expect(decideSticky([comment(1, `${marker}\nfake`, 'mallory')], marker, BOT, `${marker}\nplan`)).toEqual({
      kind: 'create',
    });
  });
  it('updates the bot comment in place when the body changed, and leaves it when not', () => {
    const list = [comment(1, 'x'), comment(2, `${marker}\nold`), comment(3, `${marker}\nlater duplicate`)];
    expect(decideSticky(list, marker, BOT, `${marker}\nnew`)).toEqual({ kind: 'update', commentId: 2 });
    expect(decideSticky(list, marker, BOT, `${marker}\nold\n`)).toEqual({
      kind: 'unchanged',
      commentId: 2,
      url: 'u2',
    });
  });
  it('keeps markers of different policy files apart', () => {
    const other = planCommentMarker('other.yml');
    expect(decideSticky([comment(1, `${other}\nplan`)], marker, BOT, `${marker}\nplan`)).toEqual({
      kind: 'create',
    });
  });
});

describe('markers', () => {
  it('round-trips the reviewed plan and the drift state', () => {
    const snap = {
      fingerprint: 'abc123',
      cells: ['prod|voice.low_risk|FR|off>on', 'prod|messaging|DE|on>off'],
    };
    expect(parseReviewedPlan(`x\n${reviewedPlanMarker(snap)}\ny`)).toEqual(snap);
    expect(parseDriftState(driftStateMarker(snap))).toEqual(snap);
    expect(parseReviewedPlan(driftStateMarker(snap))).toBeNull();
    expect(
      parseReviewedPlan('<!-- twilio-geo-permissions:reviewed-plan v1 fingerprint=a cells=!!! -->'),
    ).toBeNull();
  });
});

describe('composeBody', () => {
  it('keeps the markers first and cuts oversized markdown at a line, closing open blocks', () => {
    const lines = [
      '<details>',
      '```',
      ...Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`),
    ];
    const body = composeBody([marker], lines.join('\n'), 'https://run');
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS);
    expect(body.startsWith(marker)).toBe(true);
    expect(body).toContain('truncated. Full report: https://run');
    expect((body.match(/```/g) ?? []).length % 2).toBe(0);
    expect(body).toContain('</details>');
  });
  it('leaves a small body whole', () => {
    expect(composeBody([marker], 'plan', 'r')).toBe(`${marker}\nplan\n`);
  });
});

describe('drift issue state machine', () => {
  const dm = driftIssueMarker('geo-permissions.yml');
  const state = (fingerprint: string, cells: string[]) => ({ fingerprint, cells });
  const issue = (number: number, s: 'open' | 'closed', fp: string, extra: Partial<Issue> = {}): Issue => ({
    number,
    title: 't',
    body: `${dm}\n${driftStateMarker(state(fp, ['prod|messaging|FR|off>on']))}`,
    state: s,
    author: BOT,
    url: `i${number}`,
    labels: ['geo-permissions-drift'],
    isPullRequest: false,
    createdAt: '2026-01-01',
    closedAt: s === 'closed' ? `2026-01-0${number}` : null,
    ...extra,
  });
  const rendered = { title: 'Drift', body: 'new body' };
  const drift = (fp: string, complete = true) => ({
    detected: true,
    complete,
    state: state(fp, ['prod|messaging|FR|off>on', 'prod|voice.low_risk|BR|off>on']),
  });
  const clean = (complete = true) => ({ detected: false, complete, state: state('', []) });

  it('filters to the bot own issues with the marker, never pull requests', () => {
    const list = [
      issue(1, 'open', 'a'),
      issue(2, 'open', 'a', { author: 'mallory' }),
      issue(3, 'open', 'a', { isPullRequest: true }),
      issue(4, 'open', 'a', { body: 'no marker' }),
    ];
    expect(ownDriftIssues(list, dm, BOT).map((i) => i.number)).toEqual([1]);
  });
  it('creates an issue when drift appears and none exists', () => {
    expect(decideDriftIssue([], drift('f1'), rendered, 'run').ops).toEqual([
      { op: 'create', title: 'Drift', body: 'new body' },
    ]);
  });
  it('does not write when the fingerprint is unchanged', () => {
    const d = decideDriftIssue([issue(1, 'open', 'f1')], drift('f1'), rendered, 'run');
    expect(d.ops).toEqual([]);
    expect(d.issue).toBe(1);
  });
  it('rewrites the body and comments what changed when the fingerprint changes', () => {
    const d = decideDriftIssue([issue(1, 'open', 'f0')], drift('f1'), rendered, 'run');
    expect(d.ops[0]).toEqual({ op: 'update', issue: 1, body: 'new body', reopen: false });
    expect(d.ops[1]).toMatchObject({ op: 'comment', issue: 1 });
    expect((d.ops[1] as { body: string }).body).toContain('prod voice.low_risk BR: off → on');
  });
  it('reopens the most recently closed issue rather than creating a duplicate', () => {
    const d = decideDriftIssue(
      [issue(1, 'closed', 'f0'), issue(2, 'closed', 'f0')],
      drift('f1'),
      rendered,
      'run',
    );
    expect(d.ops[0]).toEqual({ op: 'update', issue: 2, body: 'new body', reopen: true });
    expect(d.issue).toBe(2);
  });
  it('closes only after a complete clean scan', () => {
    expect(decideDriftIssue([issue(1, 'open', 'f0')], clean(false), rendered, 'run').ops).toEqual([]);
    const d = decideDriftIssue([issue(1, 'open', 'f0')], clean(true), rendered, 'run');
    expect(d.ops.map((o) => o.op)).toEqual(['comment', 'close']);
    expect(d.ops[1]).toEqual({ op: 'close', issue: 1, reason: 'completed' });
  });
  it('closes duplicates as not planned, keeping the oldest', () => {
    const d = decideDriftIssue(
      [issue(1, 'open', 'f1'), issue(5, 'open', 'f1')],
      drift('f1'),
      rendered,
      'run',
    );
    expect(d.ops).toEqual([
      { op: 'comment', issue: 5, body: 'Duplicate of #1; closing.' },
      { op: 'close', issue: 5, reason: 'not_planned' },
    ]);
  });
});

describe('drift issues of another shard count', () => {
  const at = (number: number, shard: string | null, extra: Partial<Issue> = {}): Issue => ({
    number,
    title: 't',
    body: `${driftIssueMarker('geo-permissions.yml', shard)}\nbody`,
    state: 'open',
    author: BOT,
    url: `i${number}`,
    labels: ['geo-permissions-drift'],
    isPullRequest: false,
    createdAt: '2026-01-01',
    closedAt: null,
    ...extra,
  });
  const issues = [
    at(1, '1/4'),
    at(2, '4/4'),
    at(3, '2/4', { state: 'closed' }),
    at(4, '1/2'),
    at(5, null),
    at(6, '3/4', { author: 'mallory' }),
    at(7, '3/4', { body: `${driftIssueMarker('other.yml', '3/4')}\nbody` }),
    at(8, '3/4', { isPullRequest: true }),
  ];

  it('shard 1/N closes the open ones of another count (no job scans them any more), each with why', () => {
    const ops = supersededShardIssues(issues, 'geo-permissions.yml', { index: 1, count: 2 }, BOT, 'run');
    expect(ops.map((o) => [o.op, o.issue])).toEqual([
      ['comment', 1],
      ['close', 1],
      ['comment', 2],
      ['close', 2],
    ]);
    expect(ops[1]).toEqual({ op: 'close', issue: 1, reason: 'not_planned' });
    expect((ops[0] as { body: string }).body).toBe(
      'Closed: the drift scan of geo-permissions.yml now runs as 2 shards, each with its own drift issue, so no job scans shard 1/4 any more; the accounts this issue tracked are in those issues ([run](run)).',
    );
  });
  it('leaves them to shard 1/N alone, and an unsharded issue to an unsharded scan (a drift.yml beside a matrix)', () => {
    expect(supersededShardIssues(issues, 'geo-permissions.yml', { index: 2, count: 2 }, BOT, 'run')).toEqual(
      [],
    );
    expect(supersededShardIssues(issues, 'geo-permissions.yml', null, BOT, 'run')).toEqual([]);
    const four = supersededShardIssues(issues, 'geo-permissions.yml', { index: 1, count: 4 }, BOT, 'run');
    expect(four.map((o) => o.issue)).toEqual([4, 4]);
  });
});
