// The clean-up pull request's body, exposure first: what its expired exceptions still leave open live
// (critical first), then every entry it removes with where it is written; and what a drift scan knows of
// those cells (plan/expired-cells.ts).
import { describe, expect, it } from 'vitest';
import type { ExpiredCellState } from '../../src/model/cleanup.js';
import { frameDrift } from '../../src/plan/drift.js';
import { expiredCellStates } from '../../src/plan/expired-cells.js';
import { removeExpiredExceptions } from '../../src/policy/expired-cleanup.js';
import { loadPolicy } from '../../src/policy/load.js';
import { cleanupPrMarkdown, cleanupPrTitle } from '../../src/report/cleanup-pr.js';
import { fakeAccount, fakeFleet, planAgainst, sid } from '../support/fake-account-client.js';
import { closedByThisRun } from '../support/closed-by-run.js';
import { NOW, yaml } from '../support/policy-helpers.js';

const POLICY = yaml(
  'version: 1',
  'groups:',
  '  pilots: [{country: CU, expires: 2026-10-31, reason: "Havana <launch> @ops", ticket: "OPS|42"}]',
  'accounts:',
  '  production:',
  `    sid: ${sid(1)}`,
  '    voice:',
  '      low_risk: [US, pilots]',
  '      high_risk_tollfraud: [{country: GB, expires: 2026-11-01, ticket: FR-9}]',
  '    messaging: [US]',
  '  support:',
  `    sid: ${sid(2)}`,
  '    parent: production',
  '    voice:',
  '      low_risk: [US, pilots]',
  '    messaging: [US, {country: MX, expires: 2026-11-02}]',
);

/** production still has Cuba low-risk and Britain toll-fraud open; support has neither of its expired cells. */
async function scan() {
  const desired = loadPolicy(POLICY, 'p.yml', { now: NOW, mode: 'plan' }).desired!;
  const countries = ['US', 'CU', 'GB', 'MX'];
  const fleet = fakeFleet([
    fakeAccount(1, {
      name: 'production',
      countries,
      voice: { US: { low_risk: true }, CU: { low_risk: true }, GB: { high_risk_tollfraud: true } },
      messaging: { US: true },
    }),
    fakeAccount(2, {
      name: 'support',
      parent: 1,
      countries,
      voice: { US: { low_risk: true } },
      messaging: { US: true },
    }),
  ]);
  const plan = await planAgainst(desired, fleet);
  const report = frameDrift(plan, { bySid: {}, errors: [], lookbackDays: 30 }, desired.guards);
  return { desired, report };
}

function body(cells: readonly ExpiredCellState[]) {
  const result = removeExpiredExceptions(POLICY, 'p.yml', NOW);
  if (!result.ok) throw new Error(result.reason);
  return cleanupPrMarkdown({
    cleanup: result.cleanup,
    cells,
    branch: 'geo-permissions/expired-exceptions',
    runLink: 'https://github.com/acme/telephony/actions/runs/1',
  });
}

const tableRows = (markdown: string) =>
  markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| live') && !l.startsWith('| ---'));

describe('expiredCellStates', () => {
  it('says which cells of expired exceptions are still open live, per account the policy names', async () => {
    const { desired, report } = await scan();
    expect(expiredCellStates(desired, report)).toEqual([
      { account: 'production', list: 'voice.low_risk', country: 'CU', outcome: 'still open' },
      { account: 'production', list: 'voice.high_risk_tollfraud', country: 'GB', outcome: 'still open' },
      { account: 'support', list: 'voice.low_risk', country: 'CU', outcome: 'not open' },
      { account: 'support', list: 'messaging', country: 'MX', outcome: 'not open' },
    ]);
  });

  it('a cell this run disabled after the scan is disabled', async () => {
    const { desired, report } = await scan();
    const closed = closedByThisRun(desired, report, [
      { account: 'production', category: 'voice.high_risk_tollfraud', country: 'GB' },
    ]);
    expect(expiredCellStates(desired, closed).slice(0, 2)).toEqual([
      { account: 'production', list: 'voice.low_risk', country: 'CU', outcome: 'still open' },
      { account: 'production', list: 'voice.high_risk_tollfraud', country: 'GB', outcome: 'disabled' },
    ]);
  });

  it('a cell of an account the scan did not read is not read', async () => {
    const { desired, report } = await scan();
    const narrowed = { ...report, plan: { ...report.plan, accounts: report.plan.accounts.slice(0, 1) } };
    expect(expiredCellStates(desired, narrowed).filter((c) => c.account === 'support')).toEqual([
      { account: 'support', list: 'voice.low_risk', country: 'CU', outcome: 'not read' },
      { account: 'support', list: 'messaging', country: 'MX', outcome: 'not read' },
    ]);
  });
});

describe('the clean-up pull request body', () => {
  it('opens with what is still open live, critical first, then lists every entry it removes', async () => {
    const { desired, report } = await scan();
    const markdown = body(expiredCellStates(desired, report));
    expect(markdown.split('\n').slice(0, 3)).toEqual([
      '### Expired exceptions: `p.yml`',
      '',
      '**Still open live: 2 cells an expired exception granted (1 critical, 1 medium).**',
    ]);
    expect(tableRows(markdown)).toEqual([
      '| 🔴 critical: still open | production | voice high-risk toll-fraud | GB United Kingdom | 2026-11-01 |  | FR-9 | `p.yml:9` `accounts.production.voice.high_risk_tollfraud` |',
      '| 🟡 medium: still open | production | voice low-risk | CU Cuba | 2026-10-31 | Havana &lt;launch&gt; @&#8203;ops | OPS\\|42 | `p.yml:3` `groups.pilots` |',
      '| not open beyond the policy | support | voice low-risk | CU Cuba | 2026-10-31 | Havana &lt;launch&gt; @&#8203;ops | OPS\\|42 | `p.yml:3` `groups.pilots` |',
      '| not open beyond the policy | support | messaging | MX Mexico | 2026-11-02 |  |  | `p.yml:16` `accounts.support.messaging` |',
    ]);
    expect(markdown).toContain('removes 3 expired exceptions from `p.yml`');
    expect(markdown).toContain('What is still open live is drift');
    expect(markdown).toContain('the branch `geo-permissions/expired-exceptions` is reset');
  });

  it('says what this run disabled, and what it did not read, and lists empty lists as allowing nothing', () => {
    const markdown = body([
      { account: 'production', list: 'voice.low_risk', country: 'CU', outcome: 'disabled' },
      { account: 'production', list: 'voice.high_risk_tollfraud', country: 'GB', outcome: 'disabled' },
      { account: 'support', list: 'messaging', country: 'MX', outcome: 'not open' },
    ]);
    expect(markdown).toContain(
      '**Nothing an expired exception granted is open beyond the policy; 2 cells disabled by this run; 1 cell not read by this run.**',
    );
    expect(markdown).not.toContain('What is still open live is drift');
    expect(tableRows(markdown).map((r) => r.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| disabled by this run | production',
      '| disabled by this run | production',
      '| not read by this run | support',
      '| not open beyond the policy | support',
    ]);
    expect(markdown).toContain('#### Lists left empty');
    expect(markdown).toContain(
      '- `groups.pilots` (`p.yml:3`) is now `[]`: that list allows nothing; the lists using the group get nothing from it.',
    );
    expect(markdown).toContain(
      '- `accounts.production.voice.high_risk_tollfraud` (`p.yml:9`) is now `[]`: that list allows nothing, as it has since its exception expired',
    );
  });

  it('has a one-line title', () => {
    expect(cleanupPrTitle('policies/geo\npermissions.yml')).toBe(
      'Remove expired geo permission exceptions from policies/geo permissions.yml',
    );
  });
});
