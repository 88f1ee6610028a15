import { describe, expect, it } from 'vitest';
import { mergedPullRequest } from '../../src/action/flows/apply.js';
import { driftIssueContent, planCommentBody } from '../../src/github/bodies.js';
import type { DriftReport, Plan } from '../../src/model/plan.js';
import { parseDriftState, parseReviewedPlan, planCommentMarker } from '../../src/github/markers.js';

const SID = 'AC' + '1'.repeat(32);
const change = {
  account: 'production',
  sid: SID,
  category: 'messaging' as const,
  country: 'FR',
  from: false,
  to: true,
  risk: 'medium' as const,
  countryName: 'France',
  continent: 'EUROPE',
  kind: 'write' as const,
  manual: null,
  source: null,
};
const plan = {
  schemaVersion: 1,
  policyFile: 'policies/geo.yml',
  fingerprint: 'f'.repeat(64),
  summary: {} as Plan['summary'],
  accounts: [
    {
      account: 'production',
      sid: SID,
      parent: null,
      type: 'Full',
      changes: [change],
      unknown: [],
      error: null,
    },
  ],
  expiring: [],
  warnings: [],
} as Plan;

describe('bodies', () => {
  it('puts the sticky marker first and carries the reviewed plan', () => {
    const body = planCommentBody(plan, '### plan', 'https://run');
    expect(body.startsWith(planCommentMarker('policies/geo.yml'))).toBe(true);
    expect(parseReviewedPlan(body)).toEqual({
      fingerprint: plan.fingerprint,
      cells: [`production@${SID}|messaging|FR|off>on`],
    });
    expect(body).toContain(
      '### plan\n\n<sub>Plan fingerprint `ffffffffffff`. On merge, only the enables shown here are applied.</sub>\n',
    );
  });
  it('titles the drift issue by policy file and stores the drifted cells', () => {
    const report = {
      schemaVersion: 1,
      policyFile: 'policies/geo.yml',
      fingerprint: 'd1',
      complete: true,
      items: [{ ...change, from: true, to: false, attribution: null }],
      plan,
    } as DriftReport;
    const { title, body } = driftIssueContent(report, '### drift', 'https://run');
    expect(title).toBe('Geo permissions drift: policies/geo.yml');
    expect(parseDriftState(body)).toEqual({ fingerprint: 'd1', cells: ['production|messaging|FR|on>off'] });
    expect(body).toContain('### drift\n\nFound by [this scan](https://run). This issue is kept up to date');
    expect(driftIssueContent(report, '### drift', 'https://run', '1/2').title).toBe(
      'Geo permissions drift: policies/geo.yml (shard 1/2)',
    );
  });
});

describe('mergedPullRequest', () => {
  it('prefers the PR whose merge commit is the pushed commit, and ignores open ones', () => {
    const pulls = [
      { number: 3, merged: false, mergeCommitSha: null, url: '' },
      { number: 4, merged: true, mergeCommitSha: 'other', url: '' },
      { number: 5, merged: true, mergeCommitSha: 'abc', url: '' },
    ];
    expect(mergedPullRequest(pulls, 'abc')?.number).toBe(5);
    expect(mergedPullRequest(pulls.slice(0, 1), 'abc')).toBeNull();
  });
});

describe('bodies of large fleets', () => {
  // 2,000 subaccounts each enabling one country: the reviewed-plan marker alone is past GitHub's limit.
  const many = Array.from({ length: 2000 }, (_, i) => ({
    ...change,
    account: `subaccount-${String(i).padStart(4, '0')}`,
    sid: 'AC' + String(i).padStart(32, '0'),
  }));
  const big = {
    ...plan,
    accounts: many.map((c) => ({ ...plan.accounts[0]!, account: c.account, sid: c.sid, changes: [c] })),
  } as Plan;

  it('keeps the plan comment under 65,536 characters and still carries every reviewed cell', () => {
    const body = planCommentBody(big, '### plan', 'https://run');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(planCommentMarker('policies/geo.yml'))).toBe(true);
    const reviewed = parseReviewedPlan(body);
    expect(reviewed?.fingerprint).toBe(big.fingerprint);
    expect(reviewed?.cells).toHaveLength(2000);
  });

  it('keeps the drift issue under 65,536 characters with its fingerprint', () => {
    const report = {
      schemaVersion: 1,
      policyFile: 'policies/geo.yml',
      fingerprint: 'd2',
      complete: true,
      items: many.map((c) => ({ ...c, from: true, to: false, attribution: null })),
      plan: big,
    } as DriftReport;
    const { body } = driftIssueContent(report, '### drift', 'https://run');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(parseDriftState(body)?.fingerprint).toBe('d2');
  });

  it('never exceeds the limit even when the cells cannot be stored, and then keeps only the fingerprint', () => {
    const huge = Array.from({ length: 60_000 }, (_, i) => ({
      ...change,
      account: `a${i}-${(i * 2654435761) % 1000003}`,
      country: String.fromCharCode(65 + (i % 26), 65 + ((i * 7) % 26)),
    }));
    const p = { ...plan, accounts: [{ ...plan.accounts[0]!, changes: huge }] } as Plan;
    const body = planCommentBody(p, '### plan', 'https://run');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(parseReviewedPlan(body)).toEqual({ fingerprint: p.fingerprint, cells: null });
  });
});
