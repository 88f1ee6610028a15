import { describe, expect, it } from 'vitest';
import { allCountries } from '../../src/catalog/index.js';
import { voiceCountries } from '../../src/catalog/products.js';
import { applyPlan } from '../../src/apply/apply.js';
import { readDriftEvents } from '../../src/live/events.js';
import { frameDrift } from '../../src/plan/drift.js';
import { readLiveState } from '../../src/live/read.js';
import { buildPlan } from '../../src/plan/build.js';
import { applyToJson, renderApplyMarkdown, renderApplyText } from '../../src/report/apply.js';
import { driftToJson, renderDriftMarkdown, renderDriftText } from '../../src/report/drift.js';
import { planToJson, renderPlanMarkdown, renderPlanText } from '../../src/report/plan.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  fakeGateway,
  planAgainst,
} from '../support/fake-account-client.js';

const COUNTRIES = allCountries()
  .map((c) => c.iso)
  .slice(0, 240);

const VOICE_CODES = new Set(voiceCountries().map((c) => c.iso));

async function bigPlan(accounts: number, countries = COUNTRIES) {
  const fleet = fakeFleet(Array.from({ length: accounts }, (_, i) => fakeAccount(i + 1, { countries })));
  const desired = desiredState(
    Array.from({ length: accounts }, (_, i) =>
      // Each list in its product's own codes: Twilio's voice list has no CA or UM (US covers +1).
      desiredAccount(i + 1, { low: countries.filter((c) => VOICE_CODES.has(c)), messaging: countries }),
    ),
  );
  return planAgainst(desired, fleet);
}

/** Every table has a header, a separator and rows of the same width: none is cut in half. */
function expectWholeTables(markdown: string) {
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('| ---')) continue;
    const width = lines[i]!.split(' | ').length;
    expect(lines[i - 1]!.split(' | ').length).toBe(width);
    for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) {
      expect(lines[j]!.endsWith(' |')).toBe(true);
    }
  }
}

describe('markdown size degradation', () => {
  it('240 countries x 20 accounts: under 60,000 characters, verdict first, one row per change across accounts, whole tables', async () => {
    const plan = await bigPlan(20);
    expect(plan.summary.changes).toBeGreaterThan(9000);
    const md = renderPlanMarkdown(plan);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md.split('\n')[0]).toBe(
      `**Plan: opens ${plan.summary.opens} cells (${plan.summary.opensByRisk.medium} medium) and closes nothing, in 20 of 20 accounts; ${plan.summary.manual} manual steps.**`,
    );
    // The 20 accounts share every row: the per-account detail is what goes to fit.
    expect(md).toContain('Per-account detail left out');
    expect(md).toMatch(
      /^\| 🟡 medium \| voice low-risk \| AC Ascension Island, AD Andorra, .* \| all 20 accounts \| {2}\|$/m,
    );
    expectWholeTables(md);
  });

  it('reduces medium rows to codes, then totals, then keeps as many whole rows as fit', async () => {
    const plan = await bigPlan(20);
    const codes = renderPlanMarkdown(plan, { maxChars: 6_000 });
    expect(codes.length).toBeLessThanOrEqual(6_000);
    expect(codes).toContain('medium and low rows list country codes only');
    expect(codes).toMatch(/^\| 🟡 medium \| voice low-risk \| AC, AD, AE, /m);
    const totals = renderPlanMarkdown(plan, { maxChars: 1_000 });
    expect(totals.length).toBeLessThanOrEqual(1_000);
    const lowRisk = plan.accounts.flatMap((a) => a.changes).filter((c) => c.category === 'voice.low_risk');
    expect(totals).toContain(`| 🟡 medium | voice low-risk | ${lowRisk.length} cells | 20 accounts |  |`);
    const tiny = renderPlanMarkdown(plan, { maxChars: 500 });
    expect(tiny.length).toBeLessThanOrEqual(500);
    expect(tiny).toMatch(/…and \d+ more rows? that did not fit/);
    expect(tiny.startsWith('**Plan:')).toBe(true);
    expectWholeTables(tiny);
  });

  it('shows every cell when it fits', async () => {
    const plan = await bigPlan(2, ['US', 'GB', 'NG']);
    const md = renderPlanMarkdown(plan);
    expect(md).toContain(
      '| 🟡 medium | voice low-risk | GB United Kingdom | off -> on | `geo-permissions.yml:13` |',
    );
    expect(md).toContain(
      '- [ ] Enable messaging for NG Nigeria in Console &gt; Messaging &gt; Settings &gt; Geo permissions (all 2 accounts)',
    );
  });

  it('keeps apply and drift markdown under the limit too', async () => {
    const countries = COUNTRIES;
    const fleet = fakeFleet(Array.from({ length: 20 }, (_, i) => fakeAccount(i + 1, { countries })));
    const desired = desiredState(
      Array.from({ length: 20 }, (_, i) => desiredAccount(i + 1, { low: countries })),
    );
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 8 });
    const plan = buildPlan(desired, live);
    const events = await readDriftEvents(fakeGateway(fleet), desired, plan, {
      now: new Date(),
      lookbackDays: 30,
    });
    const drift = frameDrift(plan, events);
    const driftMd = renderDriftMarkdown(drift);
    expect(driftMd.length).toBeLessThanOrEqual(60_000);
    expect(driftMd.startsWith('**Drift:')).toBe(true);
    const result = await applyPlan(desired, buildPlan(desired, live), fakeGateway(fleet), {
      batchSize: 50,
      concurrency: 4,
      readBack: { attempts: 1, delayMs: 0 },
    });
    const applyMd = renderApplyMarkdown(result);
    expect(applyMd.length).toBeLessThanOrEqual(60_000);
    expect(applyMd.startsWith('**Apply succeeded:')).toBe(true);
    expectWholeTables(applyMd);
  });
});

describe('text and json', () => {
  it('colours only when asked, and puts the summary first', async () => {
    const plan = await bigPlan(1, ['US', 'GB']);
    const plain = renderPlanText(plan, { color: false });
    expect(plain).not.toContain('\u001b[');
    expect(plain.split('\n')[0]).toBe(
      'Plan: opens 4 cells (4 medium) and closes nothing, in 1 of 1 account.',
    );
    expect(renderPlanText(plan, { color: true })).toContain('\u001b[');
  });

  it('counts, rather than lists, many accounts without changes', async () => {
    const fleet = fakeFleet(Array.from({ length: 12 }, (_, i) => fakeAccount(i + 1)));
    const desired = desiredState(
      Array.from({ length: 12 }, (_, i) => desiredAccount(i + 1, i === 0 ? { low: ['US'] } : {})),
    );
    const text = renderPlanText(await planAgainst(desired, fleet), { color: false });
    expect(text).toContain('11 other accounts match the policy.');
    expect(text).not.toContain('no changes');
  });

  it('emits versioned JSON that parses back to the same plan', async () => {
    const plan = await bigPlan(1, ['US']);
    const json = JSON.parse(planToJson(plan));
    expect(json).toMatchObject({ kind: 'plan', schemaVersion: 1, fingerprint: plan.fingerprint });
    expect(json.accounts[0].changes).toHaveLength(2);
  });

  it('renders apply and drift in every format', async () => {
    const fleet = fakeFleet([fakeAccount(1, { voice: { FR: { low_risk: true } } })]);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })]);
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 });
    const plan = buildPlan(desired, live);
    const events = await readDriftEvents(fakeGateway(fleet), desired, plan, {
      now: new Date(),
      lookbackDays: 30,
    });
    const drift = frameDrift(plan, events);
    expect(renderDriftText(drift)).toContain('changed by: no Monitor Event in the lookback window (30 days)');
    expect(JSON.parse(driftToJson(drift))).toMatchObject({ kind: 'drift', schemaVersion: 1, complete: true });
    const result = await applyPlan(desired, buildPlan(desired, live), fakeGateway(fleet), {
      batchSize: 50,
      concurrency: 1,
      readBack: { attempts: 1, delayMs: 0 },
    });
    expect(renderApplyText(result).split('\n')[0]).toBe(
      'Apply succeeded: 2 verified, 0 failed, 0 manual, 0 skipped; 2 write requests.',
    );
    expect(JSON.parse(applyToJson(result))).toMatchObject({ kind: 'apply', ok: true });
  });
});

describe('exceptions', () => {
  it('lists exceptions expiring within 14 days in drift reports', async () => {
    const fleet = fakeFleet([fakeAccount(1)]);
    const desired = desiredState([desiredAccount(1, { low: ['US'] })]);
    const at = { file: 'geo-permissions.yml', line: 7, column: 9 };
    desired.expiring = [
      {
        account: 'account-1',
        list: 'voice.low_risk',
        country: 'US',
        expires: '2026-12-01',
        daysLeft: 6,
        reason: 'pilot',
        ticket: 'OPS-42',
        location: at,
      },
      {
        account: 'account-1',
        list: 'messaging',
        country: 'BR',
        expires: '2027-06-01',
        daysLeft: 188,
        reason: null,
        ticket: null,
        location: at,
      },
    ];
    const live = await readLiveState(fakeGateway(fleet), desired, { concurrency: 1 });
    const plan = buildPlan(desired, live);
    const events = await readDriftEvents(fakeGateway(fleet), desired, plan, {
      now: new Date(),
      lookbackDays: 30,
    });
    const drift = frameDrift(plan, events);
    const text = renderDriftText(drift);
    expect(text).toContain(
      'Exceptions expiring within 14 days:\n  account-1 voice.low_risk US: expires 2026-12-01 (6 days left) (pilot, OPS-42), geo-permissions.yml:7',
    );
    expect(text).not.toContain('BR');
    expect(renderDriftMarkdown(drift)).toContain('**Exceptions expiring within 14 days:**');
  });
});
