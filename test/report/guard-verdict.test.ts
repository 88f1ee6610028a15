import { describe, expect, it } from 'vitest';
import { refusedGuards, guardVerdict } from '../../src/plan/guards.js';
import { renderGuardVerdictMarkdown, renderGuardVerdictText } from '../../src/report/index.js';
import {
  desiredAccount,
  desiredState,
  fakeAccount,
  fakeFleet,
  planAgainst,
} from '../support/fake-account-client.js';
import { openings } from '../support/markdown-check.js';

const options = { maxChangesOverride: null, allowHighRisk: false, surface: 'action' as const };

async function verdictFor(opts: Parameters<typeof desiredAccount>[1], guards = {}, name = 'account-1') {
  const desired = desiredState([desiredAccount(1, { name, ...opts })], guards);
  return guardVerdict(await planAgainst(desired, fakeFleet([fakeAccount(1)])), desired, options);
}

describe('the guards verdict', () => {
  it('passes every guard on a small low-risk plan, and says so in one line and a table', async () => {
    const verdict = await verdictFor({ low: ['US'] }, { maxChanges: 5 });
    expect(verdict.refused).toBe(false);
    expect(verdict.checks.map((c) => [c.guard, c.passed])).toEqual([
      ['max_changes', true],
      ['never_disable', true],
      ['never_enable', true],
      ['trial_account', true],
      ['high_risk', true],
    ]);
    const md = renderGuardVerdictMarkdown(verdict);
    expect(md.split('\n')[0]).toBe('✅ **Guards: pass**');
    expect(md.split('\n').slice(2)).toEqual([
      '| guard | verdict | detail |',
      '| --- | --- | --- |',
      '| `max_changes` | ✅ pass | 1 cell, limit 5 (guards.max_changes, geo-permissions.yml:3:1) |',
      '| `never_disable` | ✅ pass | no country protected |',
      '| `never_enable` | ✅ pass | no country forbidden |',
      '| `trial_account` | ✅ pass | no trial account |',
      '| `high_risk` | ✅ pass | no high-risk enable |',
    ]);
    expect(renderGuardVerdictText(verdict).split('\n')[0]).toBe('Guards: pass');
  });

  it('names each refused guard first, in the table and with its message', async () => {
    const verdict = await verdictFor({ low: ['US', 'FR', 'GB'], tollfraud: ['DE'] }, { maxChanges: 2 });
    expect(verdict.refused).toBe(true);
    expect(refusedGuards(verdict)).toEqual(['max_changes', 'high_risk']);
    const md = renderGuardVerdictMarkdown(verdict);
    expect(md.split('\n')[0]).toBe('❌ **Guards: the merge would be REFUSED**');
    expect(md).toContain(
      '| `max_changes` | ❌ refused | 4 cells, limit 2 (guards.max_changes, geo-permissions.yml:3:1) |',
    );
    expect(md).toContain('- **max_changes**: the plan changes 4 cells, over guards.max_changes = 2');
    expect(md).toContain('- **high_risk**: the plan enables high-risk voice permissions');
    const text = renderGuardVerdictText(verdict, { color: false, subject: 'an apply' });
    expect(text.split('\n')[0]).toBe('Guards: an apply would be REFUSED');
    expect(text).toMatch(
      /^ {2}max_changes {4}refused {2}4 cells, limit 2 \(guards\.max_changes, geo-permissions\.yml:3:1\)$/m,
    );
    expect(text).toContain('refused (high_risk): the plan enables high-risk voice permissions');
  });

  it('escapes the account names in refusal messages, in Markdown and on a terminal', async () => {
    const hostile = 'ops <!-- [x](https://evil) @team \u001b[31m';
    const verdict = await verdictFor({ tollfraud: ['DE'] }, {}, hostile);
    const md = renderGuardVerdictMarkdown(verdict);
    expect(openings(md)).toEqual([]);
    expect(md).not.toContain('<!--');
    const text = renderGuardVerdictText(verdict);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\u001b[31m');
  });
});
