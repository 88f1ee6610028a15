import { describe, expect, it } from 'vitest';
import {
  REPORTS,
  applySection,
  driftIssueText,
  driftIssueTitle,
  driftSection,
  invalidPolicySection,
  notAppliedSection,
  planSection,
  renderReport,
  reviewedPlanFooter,
  validateSections,
  type ReportFormat,
  type ReportKind,
} from '../../src/report/index.js';
import { transition, valueLabel } from '../../src/report/format.js';
import {
  SID_BROKEN,
  SID_PROD,
  blockedWhy,
  boundBinding,
  diagnostics,
  emptyApply,
  failedApply,
  leaveInherit,
  noDrift,
  refusedBinding,
  richDrift,
  richPlan,
} from './fixtures.js';

const FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json'];
const binding = { result: refusedBinding, prNumber: 7 };

describe('the table of outputs', () => {
  it('has every report in every format', () => {
    expect(Object.keys(REPORTS).sort()).toEqual([
      'apply',
      'binding',
      'diagnostics',
      'drift',
      'exceptions',
      'plan',
      'refusals',
      'why',
    ]);
    for (const kind of Object.keys(REPORTS) as ReportKind[])
      expect(Object.keys(REPORTS[kind]).sort(), kind).toEqual(['json', 'markdown', 'text']);
  });

  it('gives every JSON report its kind and schemaVersion 1', () => {
    const values = {
      plan: richPlan,
      apply: failedApply,
      drift: richDrift,
      binding,
      diagnostics,
      why: blockedWhy,
      refusals: [{ guard: 'max_changes', message: '30 changes, over guards.max_changes (25)', cells: [] }],
    } as const;
    for (const kind of Object.keys(values) as (keyof typeof values)[]) {
      const json = renderReport(kind, 'json', values[kind] as never);
      expect(json.endsWith('}\n'), kind).toBe(true);
      expect(JSON.parse(json), kind).toMatchObject({ kind, schemaVersion: 1 });
    }
  });

  it('passes colour to text cells only, and size to Markdown cells only', () => {
    expect(renderReport('plan', 'text', richPlan)).not.toContain('\u001b[');
    expect(renderReport('plan', 'text', richPlan, { color: true })).toContain('\u001b[1mPlan: opens 2 cells');
    expect(renderReport('plan', 'markdown', richPlan, { color: true })).not.toContain('\u001b[');
    const small = renderReport('plan', 'markdown', richPlan, { maxChars: 1500 });
    expect(small.length).toBeLessThanOrEqual(1500);
    expect(small).toContain('Per-account detail left out');
    expect(renderReport('plan', 'markdown', richPlan, { title: 'Nightly' })).toContain('\n\n## Nightly\n\n');
    for (const format of FORMATS) expect(renderReport('why', format, blockedWhy)).toContain('+447011234567');
  });
});

describe('plan', () => {
  it('text: the verdict, opens, closes, manual steps, then one aligned row per change, the decision, the unread account', () => {
    const text = renderReport('plan', 'text', richPlan);
    expect(text.split('\n').slice(0, 13)).toEqual([
      'Plan: opens 2 cells (1 high, 1 medium) and closes 2 cells, in 2 of 4 accounts; 1 manual step; 1 unknown country to decide; 1 account not read.',
      '',
      'Opens:',
      '  high    messaging       NG Nigeria  production  manual step in the Console',
      '  medium  voice low-risk  FR France   production',
      '',
      'Closes:',
      '  low  voice inheritance           -        child|pipe  leaves the parent\u2019s voice lists',
      '  low  voice high-risk toll-fraud  CU Cuba  production',
      '',
      'Manual steps (Twilio accepts these only in the Console):',
      '  [ ] Enable messaging for NG Nigeria in Console > Messaging > Settings > Geo permissions (production)',
      '',
    ]);
    expect(text.endsWith(`\nFingerprint: ${'a'.repeat(64)}\n`)).toBe(true);
    expect(text).toContain(
      '  medium  voice low-risk              FR France   off -> on  geo-permissions.yml:12\n' +
        '  low     voice high-risk toll-fraud  CU Cuba     on -> off  geo-permissions.yml:3\n' +
        '  high    messaging                   NG Nigeria  off -> on  MANUAL: Console > Messaging > Settings > Geo permissions\n',
    );
    expect(text).toContain('  low  voice inheritance  -  inherits -> own lists\n');
    expect(text).toContain(`broken (${SID_BROKEN}): not read: Twilio 20003: Authenticate`);
    expect(text).toContain('decide: Twilio lists XK (Kosovo) for voice low-risk');
  });

  it('markdown: escapes pipes in account names and keeps tables whole', () => {
    const md = renderReport('plan', 'markdown', richPlan);
    expect(md).toContain('### child\\|pipe `AC22222222222222222222222222222222` (subaccount of production)');
    expect(md).toContain('| ⚪ low | voice inheritance | - | inherits -> own lists |  |');
    expect(md).toContain('| 🟠 high | messaging | NG Nigeria | off -> on | manual step |');
    expect(md).toContain('- `geo-permissions.yml:22:5: warning: BR | expires late`');
  });

  it('json: the plan itself, whole', () => {
    const json = JSON.parse(renderReport('plan', 'json', richPlan));
    expect(json.accounts[1].changes[0]).toEqual(leaveInherit);
    expect(json.summary).toEqual(richPlan.summary);
  });
});

describe('apply', () => {
  it('text: every cell with its outcome and why, account errors first', () => {
    const text = renderReport('apply', 'text', failedApply);
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Apply FAILED: 1 verified, 1 failed, 1 manual, 1 skipped; 1 account error; 3 write requests.',
      `Fingerprint: ${'b'.repeat(64)}`,
      `broken (${SID_BROKEN}): failed: credentials | rejected`,
    ]);
    expect(text).toContain(
      '  failed    production  voice low-risk              FR France   off -> on              Twilio 20429: Too Many Requests',
    );
    expect(renderReport('apply', 'text', emptyApply).split('\n')[0]).toBe(
      'Apply: nothing to do, 0 write requests.',
    );
  });

  it('markdown: one row per cell, escaped', () => {
    const md = renderReport('apply', 'markdown', failedApply);
    expect(md).toContain('- broken `AC33333333333333333333333333333333`: failed: credentials \\| rejected');
    expect(md).toContain(
      '| failed | production | voice low-risk | FR France | off -> on | Twilio 20429: Too Many Requests |',
    );
    expect(md).toContain('| skipped | child\\|pipe | voice inheritance | - | inherits -> own lists |');
  });

  it('markdown: below cell detail, failures stay listed one by one', () => {
    const md = renderReport('apply', 'markdown', failedApply, { maxChars: 900 });
    expect(md).toContain('| production | 1 | 1 | 1 | 0 |');
    expect(md).toContain('**Failed cells:**');
    expect(md).toContain('| production | voice low-risk | FR France | Twilio 20429: Too Many Requests |');
  });

  it('json: the result itself', () => {
    const json = JSON.parse(renderReport('apply', 'json', failedApply));
    expect(json).toMatchObject({ kind: 'apply', ok: false, writeRequests: 3 });
    expect(json.cells.map((c: { outcome: string }) => c.outcome)).toEqual([
      'verified',
      'failed',
      'manual',
      'skipped',
    ]);
  });
});

describe('drift', () => {
  it('text: live and policy values from the cell, not from a rendered change', () => {
    const text = renderReport('drift', 'text', richDrift);
    expect(text).toContain('  voice low-risk FR France: live on, policy off\n');
    expect(text).toContain(
      '    changed by: Console user US44444444444444444444444444444444 from 203.0.113.7 at 2026-11-25T11:00:48.665Z',
    );
    expect(text).toContain(
      '  messaging NG Nigeria: live on, policy off [manual: Console > Messaging > Settings > Geo permissions]',
    );
    expect(text).toContain('  voice inheritance -: live own lists, policy inherits\n');
    expect(text).toContain('Incomplete scan: 1 account not read.');
  });

  it('markdown: the live and the policy value in their own columns', () => {
    const md = renderReport('drift', 'markdown', richDrift);
    expect(md).toContain(
      '| ⚪ low | voice inheritance | - | own lists | inherits | no Monitor Event in the lookback window (30 days) |',
    );
    expect(md).toContain('| 🟠 high | messaging | NG Nigeria | on | off (manual step) |');
    expect(md).toContain('### child\\|pipe `AC22222222222222222222222222222222`');
    expect(renderReport('drift', 'markdown', noDrift).split('\n')[0]).toBe(
      '**No drift: 4 accounts match the policy.**',
    );
  });

  it('json: the items, and the plan without its duplicate change list', () => {
    const json = JSON.parse(renderReport('drift', 'json', richDrift));
    expect(json.items).toHaveLength(3);
    expect(json.items[0].attribution.sourceIpAddress).toBe('203.0.113.7');
    expect(json.accounts[0]).not.toHaveProperty('changes');
    expect(json.accounts[2].error).toBe('Twilio 20003: Authenticate');
  });
});

describe('binding', () => {
  it('text: each refused change, explained three ways, and what is no longer needed', () => {
    expect(renderReport('binding', 'text', binding)).toBe(
      [
        'Refused: 2 change(s) were not in the plan reviewed on PR #7',
        '  production voice.low_risk FR',
        '    reviewed: not in the reviewed plan (no change was shown for it)',
        '    live at review: matched the policy reviewed then (so no change was planned), or the policy changed after the last plan',
        '    live now: off (the policy now wants on)',
        '  child|pipe voice.inherit',
        '    reviewed: the reviewed plan set it on',
        '    live at review: on',
        '    live now: on (the policy now wants off)',
        '1 reviewed change no longer needed:',
        '  production messaging DE: off → on',
        '',
      ].join('\n'),
    );
    expect(renderReport('binding', 'text', { result: boundBinding, prNumber: 3 })).toBe(
      'Bound to the plan reviewed on PR #3: the merge-time plan is identical.\n',
    );
  });

  it('markdown: the refusal table the merged pull request shows', () => {
    const md = renderReport('binding', 'markdown', binding);
    expect(md.split('\n')[0]).toBe('### Refused: 2 change(s) were not in the plan reviewed on PR #7');
    expect(md).toContain(
      '| production | voice.low_risk | FR | not in the reviewed plan (no change was shown for it) | matched the policy',
    );
    // The account name's pipe is escaped, so the row keeps its six cells.
    expect(md).toContain(
      '| child\\|pipe | voice.inherit |  | the reviewed plan set it on | on | on (the policy now wants off) |',
    );
    const bound = { ...boundBinding, identical: false, noLongerNeeded: refusedBinding.noLongerNeeded };
    expect(renderReport('binding', 'markdown', { result: bound, prNumber: 3 })).toBe(
      [
        '**Bound to the plan reviewed on PR #3: every enable (and inheritance change) was in the reviewed plan.**',
        '',
        '1 reviewed change no longer needed:',
        '- production messaging DE: off → on',
        '',
      ].join('\n'),
    );
  });

  it('json: the result as decided, with the pull request it was checked against', () => {
    const json = JSON.parse(renderReport('binding', 'json', binding));
    expect(json).toMatchObject({ kind: 'binding', prNumber: 7, ok: false, identical: false });
    expect(json.unreviewed[0].change).toEqual(
      JSON.parse(JSON.stringify(refusedBinding.unreviewed[0]!.change)),
    );
    expect(json.unreviewed[1].liveNow).toBe('on (the policy now wants off)');
    expect(json.noLongerNeeded).toEqual([`production@${SID_PROD}|messaging|DE|off>on`]);
  });
});

describe('diagnostics', () => {
  it('text: sorted FILE:LINE:COL lines, one each, coloured by severity only when asked', () => {
    // The message's newline is a space: one diagnostic, one line.
    expect(renderReport('diagnostics', 'text', diagnostics)).toBe(
      'b|c.yml:2:7: error: unknown country "ZZ"\n' +
        'geo-permissions.yml:12:5: error: duplicate key "FR"\n' +
        'geo-permissions.yml:22:5: warning: BR | expires in 188 days\n',
    );
    expect(renderReport('diagnostics', 'text', diagnostics, { color: true })).toContain(
      '\u001b[33mgeo-permissions.yml:22:5: warning',
    );
    expect(renderReport('diagnostics', 'text', [])).toBe('');
  });

  it('markdown: one escaped row each, nothing when there are none', () => {
    expect(renderReport('diagnostics', 'markdown', diagnostics)).toBe(
      [
        '| severity | where | message |',
        '| --- | --- | --- |',
        '| error | `b\\|c.yml:2:7` | unknown country "ZZ" |',
        '| error | `geo-permissions.yml:12:5` | duplicate key "FR" |',
        '| warning | `geo-permissions.yml:22:5` | BR \\| expires in 188 days |',
      ].join('\n'),
    );
    expect(renderReport('diagnostics', 'markdown', [])).toBe('');
  });

  it('json: counts, then every diagnostic sorted', () => {
    const json = JSON.parse(renderReport('diagnostics', 'json', diagnostics));
    expect(json).toMatchObject({ kind: 'diagnostics', errors: 2, warnings: 1 });
    expect(json.diagnostics.map((d: { location: { line: number } }) => d.location.line)).toEqual([2, 12, 22]);
  });
});

describe('why', () => {
  it('text: per channel, the answer, what Twilio would say and what to edit', () => {
    expect(renderReport('why', 'text', blockedWhy)).toBe(
      [
        `+447011234567: United Kingdom (GB, +44, PERSONAL_NUMBER), account production (${SID_PROD})`,
        'voice: BLOCKED (voice.high_risk_special GB)',
        '  Twilio would answer: 21215 (REST API call create), 13227 (TwiML <Dial>), 32205 (Elastic SIP Trunking)',
        '  policy: blocked: no list allows GB; add GB to voice.high_risk_special of production (geo-permissions.yml:5:5) to allow it',
        "  note: matches Twilio's high-risk special prefix +4470 for GB",
        'sms: ALLOWED (messaging GB, per the policy; live state not read)',
        '  policy: allowed by geo-permissions.yml:9:5 (via europe); remove GB there to block it',
        '',
      ].join('\n'),
    );
  });

  it('markdown: a row per channel, then the notes', () => {
    const md = renderReport('why', 'markdown', blockedWhy);
    // `<Dial>` as entities: GitHub would drop it as an unknown tag.
    expect(md).toContain(
      '| voice | BLOCKED | voice.high_risk_special GB | 21215 (REST API call create), 13227 (TwiML &lt;Dial&gt;), 32205 (Elastic SIP Trunking) |',
    );
    expect(md).toContain(
      '| sms | ALLOWED, per the policy; live state not read | messaging GB |  | allowed by',
    );
    expect(md).toContain("**Notes:**\n- voice: matches Twilio's high-risk special prefix +4470 for GB\n");
  });

  it('json: the answer itself', () => {
    const json = JSON.parse(renderReport('why', 'json', blockedWhy));
    expect(Object.keys(json).slice(0, 3)).toEqual(['kind', 'schemaVersion', 'number']);
    expect(json.voice.errors.map((e: { code: number }) => e.code)).toEqual([21215, 13227, 32205]);
    expect(json.sms.live).toBeNull();
  });
});

describe("the action's sections", () => {
  it('heads the plan and drift reports by the policy file', () => {
    expect(planSection(richPlan)).toBe(
      '### Twilio geo permissions plan: `geo-permissions.yml`\n\n' +
        renderReport('plan', 'markdown', richPlan),
    );
    expect(driftSection(richDrift)).toBe(
      '### Twilio geo permissions drift: `geo-permissions.yml`\n\n' +
        renderReport('drift', 'markdown', richDrift),
    );
  });

  it('heads an apply by the policy file and the short SHA, over each part', () => {
    expect(applySection('geo-permissions.yml', 'c0ffee1234567', ['A', 'B'])).toBe(
      '## Apply of `geo-permissions.yml` at c0ffee1\n\nA\n\nB',
    );
    expect(notAppliedSection('not on main')).toBe('## ❌ Not applied\n\nnot on main.');
  });

  it('gives validate its verdict and table, and an invalid policy its errors', () => {
    expect(validateSections('p.yml', diagnostics, 'pull request from a fork')).toEqual([
      '## Geo permissions policy `p.yml`: ❌ invalid\n\n2 error(s), 1 warning(s). Mode: validate (pull request from a fork).',
      renderReport('diagnostics', 'markdown', diagnostics),
    ]);
    expect(validateSections('p.yml', [], 'no token')).toEqual([
      '## Geo permissions policy `p.yml`: ✅ valid\n\n0 error(s), 0 warning(s). Mode: validate (no token).',
    ]);
    expect(invalidPolicySection('p.yml', diagnostics)).toBe(
      '## ❌ Policy `p.yml` is invalid; nothing was read from or written to Twilio\n\n' +
        renderReport('diagnostics', 'markdown', diagnostics),
    );
  });

  it("words the plan comment's footer and the drift issue's title and paragraph", () => {
    expect(reviewedPlanFooter(richPlan)).toBe(
      '\n\n<sub>Plan fingerprint `aaaaaaaaaaaa`. On merge, only the enables shown here are applied.</sub>',
    );
    expect(driftIssueTitle('geo.yml', null)).toBe('Geo permissions drift: geo.yml');
    expect(driftIssueTitle('geo.yml', '2/3')).toBe('Geo permissions drift: geo.yml (shard 2/3)');
    expect(driftIssueText('**Drift**\n\n', 'https://run/9')).toMatch(
      /^\*\*Drift\*\*\n\nFound by \[this scan\]\(https:\/\/run\/9\)\. This issue is kept up to date/,
    );
  });
});

describe('shared words', () => {
  it('names a value by its category: inheritance is "inherits" / "own lists", the rest "on" / "off"', () => {
    expect(valueLabel(true, 'voice.inherit')).toBe('inherits');
    expect(valueLabel(false, 'voice.inherit')).toBe('own lists');
    expect(valueLabel(true, 'messaging')).toBe('on');
    expect(valueLabel(false, 'voice.low_risk')).toBe('off');
    expect(transition(leaveInherit)).toBe('inherits -> own lists');
  });
});
