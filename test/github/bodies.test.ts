import { describe, expect, it } from 'vitest';
import { mergedPullRequest } from '../../src/action/flows/apply.js';
import {
  driftIssueContent,
  planCommentBody,
  unreviewedByComment,
  withStaleBanner,
} from '../../src/github/bodies.js';
import { findOwnComment } from '../../src/github/sticky.js';
import type { DriftReport, Plan } from '../../src/model/plan.js';
import {
  applyCommentMarker,
  driftIssueMarker,
  driftStateMarker,
  parseDriftState,
  parsePlannedCommit,
  parseReviewedPlan,
  planCommentMarker,
  plannedCommitMarker,
  reviewedPlanMarker,
} from '../../src/github/markers.js';
import { checkReviewedPlan } from '../../src/plan/binding.js';
import { planSection } from '../../src/report/index.js';
import { readMarkdown, withoutComments } from '../support/markdown-check.js';

const SID = 'AC' + '1'.repeat(32);
const change = {
  account: 'production',
  sid: SID,
  category: 'messaging' as const,
  country: 'FR',
  from: false,
  to: true,
  risk: 'medium' as const,
  direction: 'opens' as const,
  note: null,
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
  summary: {
    accounts: 1,
    accountsWithChanges: 1,
    changes: 1,
    writes: 1,
    manual: 0,
    byRisk: { critical: 0, high: 0, medium: 1, low: 0 },
    opens: 1,
    closes: 0,
    opensByRisk: { critical: 0, high: 0, medium: 1, low: 0 },
    unknown: 0,
    errors: 0,
  },
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
    const markdown = planSection(plan);
    const body = planCommentBody(plan, markdown, 'https://run');
    expect(body.startsWith(planCommentMarker('policies/geo.yml'))).toBe(true);
    expect(parseReviewedPlan(body)).toEqual({
      fingerprint: plan.fingerprint,
      cells: [`production@${SID}|messaging|FR|off>on`],
    });
    expect(body).toContain(
      `${markdown}\n\n<sub>Plan fingerprint \`ffffffffffff\`. On merge, only the enables shown here are applied.</sub>\n`,
    );
    expect(body).not.toContain('did not fit');
  });

  it('reviews no change whose row the comment does not show, and says so', () => {
    const body = planCommentBody(plan, '### plan', 'https://run');
    expect(parseReviewedPlan(body)).toEqual({ fingerprint: `partial-${plan.fingerprint}`, cells: [] });
    expect(body).toContain('> **1 planned change did not fit in this comment**');
    // The merge then refuses the enable as unreviewed.
    const binding = checkReviewedPlan(parseReviewedPlan(body), plan, 7);
    expect(binding.ok).toBe(false);
    expect(binding.unreviewed.map((u) => u.change)).toEqual([change]);
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

describe('the staleness banner of a plan comment', () => {
  const body = planCommentBody(plan, planSection(plan), 'https://run', 'def5678abcdef');
  const banner = '> ⚠️ **The latest push `abc1234` is invalid: this plan is for `def5678`.**';
  const own = (text: string) => [{ id: 1, body: text, author: 'bot', url: 'u' }];

  it('names the planned commit in a marker right after the sticky marker', () => {
    expect(
      body.startsWith(`${planCommentMarker('policies/geo.yml')}\n${plannedCommitMarker('def5678abcdef')}\n`),
    ).toBe(true);
    expect(parsePlannedCommit(body)).toBe('def5678abcdef');
    expect(parsePlannedCommit(planCommentBody(plan, planSection(plan), 'https://run'))).toBeNull();
  });

  it('goes on top of what a reader sees, after the markers, and leaves the reviewed plan the merge binds to', () => {
    const stale = withStaleBanner(body, banner);
    const visible = withoutComments(stale).trimStart();
    expect(visible.startsWith(banner)).toBe(true);
    expect(parseReviewedPlan(stale)).toEqual(parseReviewedPlan(body));
    expect(checkReviewedPlan(parseReviewedPlan(stale), plan, 7).ok).toBe(true);
    expect(findOwnComment(own(stale), planCommentMarker('policies/geo.yml'), 'bot')?.id).toBe(1);
    expect(parsePlannedCommit(stale)).toBe('def5678abcdef');
    // Everything of the old body is still there, in order, around the banner.
    expect(
      stale.replace(
        /<!-- twilio-geo-permissions:stale -->\n[^\n]*\n<!-- twilio-geo-permissions:stale-end -->\n\n/,
        '',
      ),
    ).toBe(body);
  });

  it('replaces an earlier banner instead of stacking, and is the same body when repeated', () => {
    const once = withStaleBanner(body, banner);
    expect(withStaleBanner(once, banner)).toBe(once);
    const next = withStaleBanner(once, '> ⚠️ could not be planned');
    expect(next.match(/⚠️/g)).toHaveLength(1);
    expect(next).toContain('could not be planned');
    expect(parseReviewedPlan(next)).toEqual(parseReviewedPlan(body));
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
  // 2,000 subaccounts each enabling toll-fraud dialing to a country of its own: 2,000 critical rows, which
  // never degrade, so only some fit; the reviewed-plan marker of all of them is past GitHub's limit.
  const many = Array.from({ length: 2000 }, (_, i) => ({
    ...change,
    category: 'voice.high_risk_tollfraud' as const,
    risk: 'critical' as const,
    country: `C${String(i).padStart(4, '0')}`,
    countryName: null,
    account: `subaccount-${String(i).padStart(4, '0')}`,
    sid: 'AC' + String(i).padStart(32, '0'),
  }));
  const big = {
    ...plan,
    accounts: many.map((c) => ({ ...plan.accounts[0]!, account: c.account, sid: c.sid, changes: [c] })),
  } as Plan;

  it('keeps the plan comment under 65,536 characters, its marker holding exactly the accounts it shows', () => {
    // As the action writes it: the plan degraded to fit 55,000 characters, then the body cut to fit the marker.
    const body = planCommentBody(big, planSection(big, { maxChars: 55_000 }), 'https://run');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith(planCommentMarker('policies/geo.yml'))).toBe(true);
    // The accounts whose row a reviewer sees (read from the body, comments hidden).
    const rows = readMarkdown(withoutComments(body))
      .filter((b) => b.kind === 'table-row' && /^subaccount-\d{4}$/.test(b.row[3] ?? ''))
      .map((b) => ({ ...b, row: [b.row[3]!] }));
    const seen = rows.map((b) => {
      const c = many.find((x) => x.account === b.row[0])!;
      return `${c.account}@${c.sid}|voice.high_risk_tollfraud|${c.country}|off>on`;
    });
    expect(seen.length).toBeGreaterThan(100);
    expect(seen.length).toBeLessThan(2000);
    const reviewed = parseReviewedPlan(body);
    expect(reviewed?.cells).toEqual(seen);
    expect(reviewed?.fingerprint).toBe(`partial-${big.fingerprint}`);
    expect(body).toContain(`> **${2000 - seen.length} planned changes did not fit in this comment**`);
    // The merge applies the enables the comment showed and refuses the others.
    const binding = checkReviewedPlan(reviewed, big, 7);
    expect(binding.unreviewed).toHaveLength(2000 - seen.length);
    expect(binding.unreviewed.map((u) => u.change.account)).not.toContain(rows[0]!.row[0]);
    // What the PR check counts before the merge (the action fails it under fail-on-refusal).
    expect(unreviewedByComment(big, body)).toBe(2000 - seen.length);
    const small = { ...big, accounts: big.accounts.slice(0, 3) };
    const whole = planCommentBody(small, planSection(small, { maxChars: 55_000 }), 'https://run');
    expect(unreviewedByComment(small, whole)).toBe(0);
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
    // The same enable under 60,000 names: one row shows them all, and their cells are past any marker.
    const huge = Array.from({ length: 60_000 }, (_, i) => ({
      ...change,
      account: `a${i}-${(i * 2654435761) % 1000003}`,
    }));
    const p = {
      ...plan,
      summary: { ...plan.summary, changes: huge.length, writes: huge.length },
      accounts: [{ ...plan.accounts[0]!, changes: huge }],
    } as Plan;
    // Grouped into one row, every change is in the comment; the marker cannot hold them all.
    const body = planCommentBody(p, planSection(p, { maxChars: 55_000 }), 'https://run');
    expect(body).toContain('| 🟡 medium | messaging | FR France | all 60000 accounts |  |');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(parseReviewedPlan(body)).toEqual({ fingerprint: p.fingerprint, cells: null });
  });
});

describe('markers', () => {
  const RUN = 'https://run';
  it('are one HTML comment each, whatever the names in them', () => {
    const hostile = ['-->', '--!>', '<!-->', 'a -- > b', 'x<!--y'];
    const markers = hostile.flatMap((h) => [
      planCommentMarker(h),
      applyCommentMarker(h, h),
      driftIssueMarker(h, '1/2'),
      driftIssueMarker(h, h),
      reviewedPlanMarker({ fingerprint: h, cells: [h] }),
      driftStateMarker({ fingerprint: h, cells: [h] }),
    ]);
    for (const m of markers) {
      expect(m.startsWith('<!-- ')).toBe(true);
      // Nothing ends the comment before its own `-->`, and nothing opens another.
      expect(m.indexOf('-->')).toBe(m.length - 3);
      expect(m.slice(4)).not.toMatch(/<!--|--!>|</);
      expect(withoutComments(m)).toBe('');
    }
    expect(driftIssueMarker('geo.yml', '2/4')).toBe(
      '<!-- twilio-geo-permissions:drift policy=geo.yml shard=2/4 -->',
    );
    expect(applyCommentMarker('geo.yml', 'c0ffee')).toBe(
      '<!-- twilio-geo-permissions:apply policy=geo.yml sha=c0ffee -->',
    );
    expect(planCommentBody(plan, planSection(plan), RUN).split('\n')[0]).toBe(
      '<!-- twilio-geo-permissions:plan policy=policies%2Fgeo.yml -->',
    );
  });
});
