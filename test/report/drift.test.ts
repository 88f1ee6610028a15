// The drift report, review-first, read as a reviewer reads it: the verdict, what is open live beyond the
// policy (critical first, the same drift in many accounts one row, an inheritance turned off as the
// routes it opened), what is narrower (service impact), then each account's cells with who changed them.
import { describe, expect, it } from 'vitest';
import type { AccountPlan, CellChange, DriftEvents, EffectiveCell, Plan } from '../../src/model/plan.js';
import type { GeoEvent } from '../../src/model/twilio-port.js';
import { frameDrift } from '../../src/plan/drift.js';
import { driftIssueContent } from '../../src/github/bodies.js';
import { parseDriftState } from '../../src/github/markers.js';
import { markerKey } from '../../src/plan/cells.js';
import { driftSection, driftToJson, renderDriftMarkdown, renderDriftText } from '../../src/report/drift.js';

const sid = (n: number) => `AC${String(n).padStart(32, '0')}`;
const name = (n: number) => `prod-${String(n).padStart(2, '0')}`;
const CONSOLE_USER = `US${'7'.repeat(32)}`;
const NAMES: Record<string, string> = { CU: 'Cuba', SO: 'Somalia', FR: 'France' };

/** A planned change, as buildPlan makes it: `from` is live, `to` the policy (frameDrift reframes it). */
function change(n: number, over: Partial<CellChange> & Pick<CellChange, 'category'>): CellChange {
  const country = over.country === undefined ? 'FR' : over.country;
  return {
    account: name(n),
    sid: sid(n),
    country,
    countryName: country ? (NAMES[country] ?? null) : null,
    continent: null,
    from: false,
    to: true,
    kind: 'write',
    manual: null,
    source: null,
    direction: 'opens',
    risk: 'medium',
    note: null,
    ...over,
  };
}

/** A Console toll-fraud enable: live on, the policy off. */
const tollFraudOn = (n: number, country = 'CU') =>
  change(n, { category: 'voice.high_risk_tollfraud', country, from: true, to: false });

/** A messaging country the policy wants but Twilio accepts only in the Console: live off. */
const pendingManual = (n: number, country: string) =>
  change(n, {
    category: 'messaging',
    country,
    kind: 'manual',
    manual: { reason: 'Console only', consolePath: 'Console > Messaging > Settings > Geo permissions' },
  });

/** A subaccount whose inheritance a Console user turned off: live own lists (CU, SO toll-fraud on). */
function inheritanceOff(n: number): CellChange {
  const effective = (country: string): EffectiveCell => ({
    category: 'voice.high_risk_tollfraud',
    country,
    countryName: NAMES[country] ?? null,
    continent: null,
    from: true,
    to: false,
    direction: 'closes',
    risk: 'low',
    note: null,
  });
  return change(n, {
    category: 'voice.inherit',
    country: null,
    from: false,
    to: true,
    effective: [effective('CU'), effective('SO')],
  });
}

function planOf(accounts: number, changes: CellChange[], errors: Record<number, string> = {}): Plan {
  const list: AccountPlan[] = Array.from({ length: accounts }, (_, i) => ({
    account: name(i + 1),
    sid: sid(i + 1),
    parent: i === 0 ? null : name(1),
    type: 'Full',
    changes: changes.filter((c) => c.sid === sid(i + 1)),
    unknown: [],
    error: errors[i + 1] ?? null,
  }));
  const zero = { critical: 0, high: 0, medium: 0, low: 0 };
  return {
    schemaVersion: 1,
    policyFile: 'geo.yml',
    fingerprint: 'f'.repeat(64),
    summary: {
      accounts,
      accountsWithChanges: list.filter((a) => a.changes.length > 0).length,
      changes: changes.length,
      writes: changes.filter((c) => c.kind === 'write').length,
      manual: changes.filter((c) => c.kind === 'manual').length,
      unknown: 0,
      errors: Object.keys(errors).length,
      opens: 0,
      closes: 0,
      byRisk: zero,
      opensByRisk: zero,
    },
    accounts: list,
    expiring: [],
    warnings: [],
  };
}

/** The Console user's event that turned CU toll-fraud on in account `n`. */
const consoleEvent = (country: string): GeoEvent => ({
  sid: `AE${'0'.repeat(32)}`,
  eventType: 'voice-geographic-permissions.updated',
  eventDate: '2026-11-25T11:00:48.665Z',
  actorSid: CONSOLE_USER,
  actorType: 'user',
  source: 'web',
  sourceIpAddress: '203.0.113.7',
  description: null,
  changes: [{ country, field: 'high_risk_tollfraud_numbers_enabled', previous: 'false', updated: 'true' }],
});

const eventsFor = (plan: Plan, bySid: DriftEvents['bySid'] = {}): DriftEvents => ({
  bySid: Object.fromEntries(
    plan.accounts.filter((a) => a.changes.length > 0).map((a) => [a.sid, bySid[a.sid] ?? []]),
  ),
  errors: [],
  lookbackDays: 30,
});

const MESSAGING_30 = Array.from(
  { length: 30 },
  (_, i) => `${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
);

/** 39 accounts with 30 pending manual steps each, a different set in each account (so rows do not merge). */
const manualFleet = (): CellChange[] =>
  Array.from({ length: 39 }, (_, a) =>
    MESSAGING_30.map((c, i) =>
      pendingManual(a + 1, i === 0 ? `Z${String.fromCharCode(65 + (a % 26))}${a}` : c),
    ),
  ).flat();

/** 40 accounts: a Console toll-fraud enable to Cuba on the last, 30 pending manual steps on the third. */
function fleetDrift() {
  const plan = planOf(40, [...MESSAGING_30.map((c) => pendingManual(3, c)), tollFraudOn(40)]);
  return frameDrift(plan, eventsFor(plan, { [sid(40)]: [consoleEvent('CU')] }));
}

const lineIndex = (md: string, prefix: string): number =>
  md.split('\n').findIndex((l) => l.startsWith(prefix));
/** The lines above the folded per-account detail: what a reviewer sees without opening anything. */
const unfolded = (md: string): string[] => md.split('<details>')[0]!.split('\n');

describe('drift markdown, review-first', () => {
  it('states what is open beyond the policy first, then what is narrower, in how many accounts', () => {
    const md = renderDriftMarkdown(fleetDrift());
    expect(md.split('\n')[0]).toBe(
      '**Drift: 1 cell open beyond the policy (1 critical), 30 narrower (service impact), in 2 of 40 accounts; 1 attributed.**',
    );
  });

  it('puts a Console toll-fraud enable to Cuba at the top as critical, the 30 manual steps after it as low', () => {
    const md = renderDriftMarkdown(fleetDrift());
    const open = lineIndex(md, '#### Open beyond the policy');
    const narrower = lineIndex(md, '#### Narrower than the policy (service impact)');
    const cuba = lineIndex(md, '| 🔴 critical | voice high-risk toll-fraud | CU Cuba | prod-40 | on | off |');
    const manual = lineIndex(md, '| ⚪ low | messaging | AA, AB,');
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThan(cuba);
    expect(cuba).toBeLessThan(narrower);
    expect(narrower).toBeLessThan(manual);
    expect(md.split('\n')[cuba]).toContain(`Console user ${CONSOLE_USER} from 203.0.113.7 |`);
    // The 30 manual steps of one account are one row, not 30.
    expect(unfolded(md).filter((l) => l.startsWith('| ⚪ low | messaging'))).toHaveLength(1);
    // Each account's cells with the time of the change, folded.
    const details = lineIndex(
      md,
      '<details><summary>Per account: who changed each cell (2 accounts)</summary>',
    );
    expect(details).toBeGreaterThan(manual);
    expect(md).toContain(`Console user ${CONSOLE_USER} from 203.0.113.7 at 2026-11-25T11:00:48.665Z |`);
  });

  it('shows an inheritance a Console user turned off as the toll-fraud routes to CU and SO it opened', () => {
    const plan = planOf(3, [inheritanceOff(2)]);
    const report = frameDrift(plan, eventsFor(plan));
    const md = renderDriftMarkdown(report);
    expect(md.split('\n')[0]).toBe(
      '**Drift: 2 cells open beyond the policy (2 critical), in 1 of 3 accounts; 0 attributed.**',
    );
    expect(md).toContain(
      '| 🔴 critical | voice high-risk toll-fraud through voice inheritance turned off | CU Cuba, SO Somalia | prod-02 | on | off |',
    );
    expect(md).not.toContain('#### Narrower');
    expect(renderDriftText(report)).toMatch(
      /critical +voice high-risk toll-fraud through voice inheritance turned off +CU Cuba, SO Somalia +live on, policy off +in prod-02\n/,
    );
  });

  it('groups the same drift in many accounts into one row naming them', () => {
    const plan = planOf(
      40,
      Array.from({ length: 39 }, (_, i) => tollFraudOn(i + 2, 'SO')),
    );
    const md = renderDriftMarkdown(frameDrift(plan, eventsFor(plan)));
    const rows = unfolded(md).filter((l) => l.startsWith('| 🔴 critical'));
    expect(rows).toEqual([
      '| 🔴 critical | voice high-risk toll-fraud | SO Somalia | all 39 subaccounts of prod-01 | on | off | no Monitor Event in the lookback window (30 days) |',
    ]);
    const some = planOf(
      40,
      [2, 5, 9].map((n) => tollFraudOn(n, 'SO')),
    );
    expect(renderDriftMarkdown(frameDrift(some, eventsFor(some)))).toContain(
      '| SO Somalia | prod-02, prod-05, prod-09 | on | off |',
    );
  });

  it('says accounts that failed alike once, with the count and their names, and that the scan is incomplete', () => {
    const errors = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [
        i + 3,
        `GET /v1/Countries for ${sid(i + 3)}: HTTP 401. Twilio error 20003: Authenticate.`,
      ]),
    );
    const plan = planOf(40, [tollFraudOn(1)], errors);
    const report = frameDrift(plan, eventsFor(plan));
    const md = renderDriftMarkdown(report);
    expect(md.split('\n')[0]).toMatch(/; 0 attributed\. Incomplete scan: 12 accounts not read\.\*\*$/);
    const grouped =
      '12 accounts not read: GET /v1/Countries for AC…: HTTP 401. Twilio error 20003: Authenticate. (prod-03, prod-04, prod-05 and 9 more)';
    expect(md).toContain(`\n- ${grouped}\n`);
    expect(md.match(/not read/g)).toHaveLength(2);
    const text = renderDriftText(report);
    expect(text.split('\n')[2]).toBe(grouped);
    expect(text.match(/HTTP 401/g)).toHaveLength(1);
  });

  it('never hides a critical or high row when the body degrades for size', () => {
    const low = manualFleet();
    const plan = planOf(40, [...low, tollFraudOn(40)]);
    const report = frameDrift(plan, eventsFor(plan, { [sid(40)]: [consoleEvent('CU')] }));
    const full = renderDriftMarkdown(report, { maxChars: 1_000_000 });
    expect(full).toContain('<details>');
    for (const max of [20_000, 6_000, 3_000]) {
      const md = renderDriftMarkdown(report, { maxChars: max });
      expect(md.length, String(max)).toBeLessThanOrEqual(max);
      expect(md, String(max)).toContain(
        '| 🔴 critical | voice high-risk toll-fraud | CU Cuba | prod-40 | on | off |',
      );
      expect(md.indexOf('🔴 critical |'), String(max)).toBeLessThan(md.indexOf('⚪ low |'));
    }
    expect(renderDriftMarkdown(report, { maxChars: 3_000 })).toContain(
      '| ⚪ low | messaging | 1170 cells in 68 countries | 39 accounts | off | on (manual step) | no Monitor Event in the lookback window (30 days) |',
    );
  });

  it('says how many critical rows it could not show when not even they fit', () => {
    const plan = planOf(
      60,
      Array.from({ length: 59 }, (_, i) => tollFraudOn(i + 2, `Q${String.fromCharCode(65 + (i % 26))}${i}`)),
    );
    const md = renderDriftMarkdown(frameDrift(plan, eventsFor(plan)), { maxChars: 3_000 });
    expect(md.length).toBeLessThanOrEqual(3_000);
    const shown = unfolded(md).filter((l) => l.startsWith('| 🔴 critical')).length;
    expect(shown).toBeGreaterThan(0);
    expect(md).toContain(
      `…and ${59 - shown} more critical or high rows: they do not fit in this body; the JSON report has every cell.`,
    );
  });

  it('keeps the drift issue markers: every drifted cell, whatever the body shows', () => {
    const report = fleetDrift();
    const { body } = driftIssueContent(report, driftSection(report, { maxChars: 3_000 }), 'https://run/1');
    expect(parseDriftState(body)?.cells).toEqual(report.items.map(markerKey));
    expect(parseDriftState(body)?.cells).toHaveLength(31);
  });

  it('text: the same order, coloured by risk on a TTY', () => {
    const report = fleetDrift();
    const text = renderDriftText(report);
    const at = (s: string) => text.indexOf(s);
    expect(text.split('\n')[0]).toBe(
      'Drift: 1 cell open beyond the policy (1 critical), 30 narrower (service impact), in 2 of 40 accounts; 1 attributed.',
    );
    expect(at('Open beyond the policy:')).toBeLessThan(at('critical  voice high-risk toll-fraud  CU Cuba'));
    expect(at('CU Cuba')).toBeLessThan(at('Narrower than the policy (service impact):'));
    expect(at('Narrower than the policy')).toBeLessThan(at('  low  messaging'));
    expect(at('  low  messaging')).toBeLessThan(at('Per account, who changed each cell:'));
    const colored = renderDriftText(report, { color: true });
    expect(colored).toContain('\u001b[31m  critical  voice high-risk toll-fraud');
    expect(colored).toContain('\u001b[2m  low ');
  });

  it('json: the report as before, with the core exposure fields', () => {
    const report = fleetDrift();
    const json = JSON.parse(driftToJson(report));
    expect(Object.keys(json)).toEqual([
      'kind',
      'schemaVersion',
      'policyFile',
      'fingerprint',
      'complete',
      'lookbackDays',
      'notices',
      'attributionByAccount',
      'exposure',
      'items',
      'summary',
      'accounts',
      'expiring',
      'warnings',
    ]);
    expect(json.exposure).toEqual(report.exposure);
    expect(json.items.at(-1)).toMatchObject({
      country: 'CU',
      direction: 'opens',
      risk: 'critical',
      from: true,
      to: false,
    });
  });
});

describe('the lookback notice', () => {
  it('is said near the top of the drift Markdown and text when the lookback exceeds Monitor retention', async () => {
    const { lookbackNotices } = await import('../../src/plan/retention.js');
    const { renderDriftMarkdown, renderDriftText } = await import('../../src/report/drift.js');
    const { richDrift } = await import('./fixtures.js');
    const report = { ...richDrift, lookbackDays: 60, notices: lookbackNotices(60) };
    const md = renderDriftMarkdown(report);
    const notice = md.indexOf('> The lookback (60 days) exceeds');
    expect(notice).toBeGreaterThan(0);
    expect(notice).toBeLessThan(md.indexOf('####'));
    expect(renderDriftText(report).split('\n').slice(0, 4).join('\n')).toContain(
      'Note: The lookback (60 days)',
    );
    expect(renderDriftMarkdown(richDrift)).not.toContain('The lookback');
  });
});

describe('critical drift names every account', () => {
  it('lists all 15 accounts with toll-fraud to Cuba open, at full size and degraded', async () => {
    const { desiredAccount, desiredState, fakeAccount, fakeFleet, planAgainst } =
      await import('../support/fake-account-client.js');
    const { frameDrift } = await import('../../src/plan/drift.js');
    const { renderDriftMarkdown } = await import('../../src/report/drift.js');
    const parent = { name: 'prod', n: 1 };
    const accounts = Array.from({ length: 40 }, (_, i) =>
      fakeAccount(i + 1, {
        parent: i === 0 ? null : 1,
        countries: ['US', 'CU'],
        voice: { US: { low_risk: true }, CU: { high_risk_tollfraud: i >= 1 && i <= 15 } },
      }),
    );
    const desired = desiredState(
      accounts.map((_, i) =>
        desiredAccount(i + 1, {
          name: i === 0 ? 'prod' : `sub-${i + 1}`,
          parent: i === 0 ? null : parent,
          low: ['US'],
        }),
      ),
    );
    const report = frameDrift(
      await planAgainst(desired, fakeFleet(accounts)),
      { bySid: {}, errors: [], lookbackDays: 30 },
      desired.guards,
    );
    for (const maxChars of [60_000, 1_500]) {
      const md = renderDriftMarkdown(report, { maxChars });
      for (let n = 2; n <= 16; n++) expect(md, `sub-${n} at ${maxChars}`).toContain(`sub-${n}`);
      expect(md).not.toMatch(/and \d+ more/);
    }
  });
});
