import { describe, expect, it } from 'vitest';
import type { CellChange, Plan } from '../../src/model/plan.js';
import { checkReviewedPlan, withoutCells } from '../../src/plan/binding.js';
import { markerKey, reviewedKey, reviewUnits } from '../../src/plan/cells.js';
import { renderBindingMarkdown } from '../../src/report/binding.js';
import { cellChange } from '../support/cell-change.js';

const change = (category: CellChange['category'], country: string | null, from: boolean, to: boolean) =>
  cellChange({ category, country, from, to });

const plan = (changes: CellChange[], fingerprint = 'fp'): Plan =>
  ({
    schemaVersion: 1,
    policyFile: 'geo-permissions.yml',
    fingerprint,
    summary: {} as Plan['summary'],
    accounts: [
      {
        account: 'production',
        sid: 'AC' + '1'.repeat(32),
        parent: null,
        type: 'Full',
        changes,
        unknown: [],
        error: null,
      },
    ],
    expiring: [],
    warnings: [],
  }) as Plan;

describe('reviewed-plan binding', () => {
  const fr = change('voice.low_risk', 'FR', false, true);
  const de = change('messaging', 'DE', true, false);
  const br = change('voice.low_risk', 'BR', false, true);

  it('accepts the reviewed enables and any disable', () => {
    const r = checkReviewedPlan({ fingerprint: 'fp', cells: [markerKey(fr)] }, plan([fr, de]), 7);
    expect(r.ok).toBe(true);
    expect(r.unreviewed).toEqual([]);
  });
  it('refuses an enable not in the reviewed plan, explained three ways', () => {
    const r = checkReviewedPlan({ fingerprint: 'old', cells: [reviewedKey(fr)] }, plan([fr, br, de]), 7);
    expect(r.ok).toBe(false);
    expect(r.identical).toBe(false);
    expect(r.unreviewed).toHaveLength(1);
    expect(markerKey(r.unreviewed[0]!.change)).toBe('production|voice.low_risk|BR|off>on');
    expect(r.unreviewed[0]!.reviewed).toContain('not in the reviewed plan');
    expect(r.unreviewed[0]!.liveNow).toBe('off (the policy now wants on)');
    const md = renderBindingMarkdown({ result: r, prNumber: 7 });
    expect(md).toContain('| production | voice.low_risk | BR |');
    const rest = withoutCells(
      plan([fr, br, de]),
      r.unreviewed.map((u) => u.change),
    );
    expect(rest.accounts[0]!.changes.map(markerKey)).toEqual([markerKey(fr), markerKey(de)]);
  });
  it('refuses every enable when the pull request carried no plan', () => {
    const r = checkReviewedPlan(null, plan([fr, de]), 9);
    expect(r.unreviewed.map((u) => markerKey(u.change))).toEqual([markerKey(fr)]);
    expect(r.unreviewed[0]!.reviewed).toContain('no reviewed plan was found on PR #9');
  });
  it('requires review for an inheritance flip either way', () => {
    for (const flip of [
      change('voice.inherit', null, true, false),
      change('voice.inherit', null, false, true),
    ]) {
      const r = checkReviewedPlan({ fingerprint: 'x', cells: [] }, plan([flip]), 1);
      expect(r.ok).toBe(false);
      expect(r.unreviewed.map((u) => markerKey(u.change))).toEqual([markerKey(flip)]);
      // The same flip, reviewed, goes through: the refusal above is for want of review.
      expect(checkReviewedPlan({ fingerprint: 'x', cells: [reviewedKey(flip)] }, plan([flip]), 1).ok).toBe(
        true,
      );
    }
  });
});

describe('a reviewed plan too large to keep its cells', () => {
  const enable = change('messaging', 'FR', false, true);
  it('binds an identical plan by its fingerprint', () => {
    const r = checkReviewedPlan({ fingerprint: 'fp', cells: null }, plan([enable], 'fp'), 7);
    expect(r.ok).toBe(true);
    expect(r.identical).toBe(true);
  });
  it('refuses every enable once the plan changed', () => {
    const r = checkReviewedPlan({ fingerprint: 'old', cells: null }, plan([enable], 'new'), 7);
    expect(r.ok).toBe(false);
    expect(r.unreviewed[0]?.reviewed).toMatch(/too large/);
  });
});

describe('binding to the reviewed accounts', () => {
  it('refuses a reviewed enable once its account name points at another account', () => {
    // Reviewed on the PR for production = AC111…; a last push (whose plan never ran) moved the name to AC222….
    const reviewedFr = change('voice.low_risk', 'FR', false, true);
    const moved = { ...reviewedFr, sid: 'AC' + '2'.repeat(32) };
    const r = checkReviewedPlan(
      { fingerprint: 'old', cells: [reviewedKey(reviewedFr)] },
      plan([moved], 'new'),
      7,
    );
    expect(r.ok).toBe(false);
    expect(r.unreviewed.map((u) => markerKey(u.change))).toEqual([markerKey(moved)]);
  });
});

describe('an inheritance join is bound by the cells it opens', () => {
  // The reviewer's case: the join was reviewed when the parent's lists opened nothing new; a later merge
  // on the parent makes the same join open toll-fraud to Cuba. The flip is the same, what it opens is not.
  it('refuses a join whose effective openings were not shown, though the flip itself was', async () => {
    const { desiredAccount, desiredState, fakeAccount, fakeFleet, planAgainst } =
      await import('../support/fake-account-client.js');
    const parent = { name: 'prod', n: 1 };
    const fleet = (parentCuba: boolean) =>
      fakeFleet([
        fakeAccount(1, {
          countries: ['US', 'CU'],
          voice: { US: { low_risk: true }, CU: { high_risk_tollfraud: parentCuba } },
        }),
        fakeAccount(2, { parent: 1, countries: ['US', 'CU'], voice: { US: { low_risk: true } } }),
      ]);
    const reviewedDesired = desiredState([
      desiredAccount(1, { name: 'prod', low: ['US'] }),
      desiredAccount(2, { name: 'sub', parent, inherit: true }),
    ]);
    const reviewed = await planAgainst(reviewedDesired, fleet(false));
    const bindingOf = (p: Plan) => ({
      fingerprint: p.fingerprint,
      cells: p.accounts
        .flatMap((a) => a.changes)
        .flatMap(reviewUnits)
        .map(reviewedKey),
    });
    // Another pull request merged first and opened Cuba on prod: the merge-time plan is the join alone.
    const atMerge = await planAgainst(
      desiredState([
        desiredAccount(1, { name: 'prod', low: ['US'], tollfraud: ['CU'] }),
        desiredAccount(2, { name: 'sub', parent, inherit: true }),
      ]),
      fleet(true),
    );
    expect(atMerge.accounts.flatMap((a) => a.changes).map((c) => `${c.account} ${c.category}`)).toEqual([
      'sub voice.inherit',
    ]);
    expect(atMerge.fingerprint).not.toBe(reviewed.fingerprint);
    const result = checkReviewedPlan(bindingOf(reviewed), atMerge, 7);
    expect(result.ok).toBe(false);
    expect(result.unreviewed.map((u) => `${u.change.account} ${u.change.category}`)).toEqual([
      'sub voice.inherit',
    ]);
    expect(result.unreviewed[0]!.reviewed).toContain('voice.high_risk_tollfraud CU');
    // The same join, reviewed with what it opens, binds.
    expect(checkReviewedPlan(bindingOf(atMerge), atMerge, 7).ok).toBe(true);
  });
});
