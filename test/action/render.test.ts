import { describe, expect, it } from 'vitest';
import { mergedPullRequest } from '../../src/action/flows/apply.js';
import { driftIssueContent, planCommentBody } from '../../src/action/render.js';
import type { DriftReport, Plan } from '../../src/core/plan-model.js';
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
      cells: ['production|messaging|FR|off>on'],
    });
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
