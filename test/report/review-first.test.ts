// The plan as a reviewer reads it: verdict, what opens (critical first), what closes, then the detail;
// the same change across a fleet as one row; and no size limit that hides a critical or high cell.
import { describe, expect, it } from 'vitest';
import { planCommentBody } from '../../src/github/bodies.js';
import { parseReviewedPlan } from '../../src/github/markers.js';
import type { Plan } from '../../src/model/plan.js';
import { applyPlan } from '../../src/apply/apply.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { renderApplyMarkdown, renderApplyText } from '../../src/report/apply.js';
import { planSection, renderPlanMarkdown, shownChanges } from '../../src/report/plan.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
} from '../support/fake-account-client.js';
import { readMarkdown, withoutComments } from '../support/markdown-check.js';

const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'CU', 'MX'];
const MESSAGING = ['US', 'CA', 'GB', 'DE', 'FR'];
const CRITICAL_ROW = '| 🔴 critical | voice high-risk toll-fraud | CU Cuba | account-40 |  |';

/** A parent and its 39 subaccounts, each opening the same 5 messaging countries; the last also toll-fraud to Cuba. */
async function fleetPlan(): Promise<Plan> {
  const parent = { name: 'account-1', n: 1 };
  const fleet = fakeFleet([
    fakeAccount(1, { countries: COUNTRIES }),
    ...Array.from({ length: 39 }, (_, i) => fakeAccount(i + 2, { parent: 1, countries: COUNTRIES })),
  ]);
  return planAgainst(
    desiredState([
      desiredAccount(1),
      ...Array.from({ length: 39 }, (_, i) =>
        desiredAccount(i + 2, { parent, messaging: MESSAGING, tollfraud: i === 38 ? ['CU'] : [] }),
      ),
    ]),
    fleet,
  );
}

/** Where each heading and the rows under it start, in the rendered order. */
const at = (md: string, text: string): number => {
  const i = md.indexOf(text);
  expect(i, text).toBeGreaterThanOrEqual(0);
  return i;
};

describe('the 40-account plan with a critical enable on the last account', () => {
  it('says the verdict first and shows the critical row in the first screen, before the Opens table ends', async () => {
    const plan = await fleetPlan();
    const md = renderPlanMarkdown(plan);
    expect(md.split('\n')[0]).toBe(
      '**Plan: opens 196 cells (1 critical, 195 medium) and closes nothing, in 39 of 40 accounts.**',
    );
    const opens = at(md, '#### Opens');
    const critical = at(md, CRITICAL_ROW);
    const medium = at(
      md,
      '| 🟡 medium | messaging | CA Canada, DE Germany, FR France, GB United Kingdom, US United States | all 39 subaccounts of account-1 |  |',
    );
    expect(opens).toBeLessThan(critical);
    expect(critical).toBeLessThan(medium);
    expect(critical).toBeLessThan(1_500);
    // The Opens table ends after the critical row: the first line after it that is not a row.
    const tableEnd = md.indexOf('\n\n', critical);
    expect(critical).toBeLessThan(tableEnd);
    // Two rows stand for 196 cells; the per-account detail, folded, comes after them.
    const rows = readMarkdown(md.slice(opens, tableEnd)).filter((b) => b.kind === 'table-row');
    expect(rows).toHaveLength(2);
    expect(
      at(md, '<details><summary>Per-account detail: 39 accounts with changes</summary>'),
    ).toBeGreaterThan(tableEnd);
  });

  it('never hides the critical row when it degrades for size, and counts it as reviewed', async () => {
    const plan = await fleetPlan();
    const toll = plan.accounts[39]!.changes.find((c) => c.category === 'voice.high_risk_tollfraud')!;
    for (const maxChars of [3_000, 1_200, 700]) {
      const md = renderPlanMarkdown(plan, { maxChars });
      expect(md.length, String(maxChars)).toBeLessThanOrEqual(maxChars);
      expect(md, String(maxChars)).toContain(CRITICAL_ROW);
      expect(shownChanges(plan, md)).toContain(toll);
    }
    const small = renderPlanMarkdown(plan, { maxChars: 700 });
    expect(small).toContain('Per-account detail left out');
    const body = planCommentBody(plan, planSection(plan), 'https://run');
    expect(parseReviewedPlan(body)?.fingerprint).toBe(plan.fingerprint);
  });

  it('leaves out the changes of a row hidden in an HTML comment or cut off', async () => {
    const plan = await fleetPlan();
    const md = renderPlanMarkdown(plan);
    const toll = plan.accounts[39]!.changes.find((c) => c.category === 'voice.high_risk_tollfraud')!;
    // The folded detail shows account-40's row too: hide both to hide the change.
    const hidden = md.split(CRITICAL_ROW).join(`<!-- ${CRITICAL_ROW} -->`);
    const withoutDetail = hidden.slice(0, hidden.indexOf('<details>'));
    expect(shownChanges(plan, withoutDetail)).not.toContain(toll);
    expect(shownChanges(plan, withoutDetail)).toHaveLength(195);
    expect(shownChanges(plan, md.slice(0, md.indexOf(CRITICAL_ROW)))).toEqual([]);
    expect(withoutComments(hidden)).not.toContain(CRITICAL_ROW);
  });
});

describe('order', () => {
  it('puts opens before closes, critical and high first, and says why a close is risky', async () => {
    const fleet = fakeFleet([
      fakeAccount(1, { voice: { US: { low_risk: true }, GB: { low_risk: true } } }),
      fakeAccount(2),
    ]);
    const desired = desiredState(
      [
        desiredAccount(1, { low: ['FR'] }),
        desiredAccount(2, { low: ['DE'], special: ['GB'], tollfraud: ['NG'] }),
      ],
      { neverDisable: ['US'] },
    );
    const md = renderPlanMarkdown(await planAgainst(desired, fleet), {
      review: {
        commit: { sha: 'def5678abcdef', url: 'https://github.com/o/r/commit/def5678abcdef' },
        readAt: '2026-05-01T10:00:00Z',
        runLink: 'https://run/9',
      },
      guards: '**Guards: pass.** max\\_changes: 6 of 25.',
    });
    const order = [
      '**Plan: opens 4 cells (1 critical, 1 high, 2 medium) and closes 2 cells (1 high), in 2 of 2 accounts.**',
      'Planned commit [`def5678`](https://github.com/o/r/commit/def5678abcdef), <!-- volatile -->live state read at 2026-05-01T10:00:00Z in [this run](https://run/9)<!-- /volatile -->.',
      '**Guards: pass.**',
      '#### Opens',
      '| 🔴 critical | voice high-risk toll-fraud | NG Nigeria | account-2 |',
      '| 🟠 high | voice high-risk special | GB United Kingdom | account-2 |',
      '| 🟡 medium | voice low-risk | DE Germany | account-2 |',
      '| 🟡 medium | voice low-risk | FR France | account-1 |',
      '#### Closes',
      '| 🟠 high | voice low-risk | US United States/Canada | account-1 | closes US, protected by guards.never_disable |',
      '| ⚪ low | voice low-risk | GB United Kingdom | account-1 |',
      '<details><summary>',
      'Fingerprint:',
    ].map((line) => at(md, line));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe('the apply result', () => {
  it('says the verdict, then what opened (critical first, grouped), then the verified cells folded', async () => {
    const parent = { name: 'account-1', n: 1 };
    const fleet = fakeFleet([
      fakeAccount(1, { countries: COUNTRIES }),
      ...[2, 3, 4].map((n) => fakeAccount(n, { parent: 1, countries: COUNTRIES })),
    ]);
    const desired = desiredState([
      desiredAccount(1),
      ...[2, 3, 4].map((n) =>
        desiredAccount(n, { parent, messaging: ['FR', 'DE'], tollfraud: n === 4 ? ['CU'] : [] }),
      ),
    ]);
    const plan = buildPlan(desired, await readLiveState(fakeGateway(fleet), desired, { concurrency: 2 }));
    const result = await applyPlan(desired, plan, fakeGateway(fleet), {
      batchSize: 50,
      concurrency: 2,
      readBack: { attempts: 1, delayMs: 0 },
    });
    const md = renderApplyMarkdown(result);
    const order = [
      '**Apply succeeded: 7 verified, 0 failed, 0 manual, 0 skipped; 4 write requests.**',
      '#### Opened',
      '| 🔴 critical | voice high-risk toll-fraud | CU Cuba | account-4 |  |',
      '| 🟡 medium | messaging | DE Germany, FR France | account-2, account-3, account-4 |  |',
      '<details><summary>Verified cells: 7 cells</summary>',
      '| verified | account-4 | voice high-risk toll-fraud | CU Cuba | off -> on |  |',
    ].map((line) => at(md, line));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const text = renderApplyText(result);
    expect(text).toContain('Opened:\n  critical  voice high-risk toll-fraud  CU Cuba');
  });
});
