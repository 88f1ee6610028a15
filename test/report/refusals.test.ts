// The one refusal format: the CLI prints the text, the merge apply and the drift revert the markdown.
import { describe, expect, it } from 'vitest';
import type { GuardRefusal } from '../../src/plan/guards.js';
import { refusalsToJson, renderRefusalsMarkdown, renderRefusalsText } from '../../src/report/refusals.js';

const refusals: GuardRefusal[] = [
  {
    guard: 'max_changes',
    message:
      'the plan changes 5 cells, over guards.max_changes = 2 (p.yml:19:16). Raise guards.max_changes to 5 in the policy (a change reviewed in its pull request), or split the change into smaller ones, or run apply with --max-changes 5 or --force once.',
    cells: [],
  },
  {
    guard: 'high_risk',
    message: 'the plan enables high-risk voice permissions (toll-fraud or special numbers): x.',
    cells: [
      {
        account: 'production',
        sid: `AC${'1'.repeat(32)}`,
        category: 'voice.high_risk_tollfraud',
        country: 'DE',
      },
    ],
  },
];

describe('guard refusals', () => {
  it('text: one line per refusal naming its guard, then that nothing was written (as docs/cli.md shows)', () => {
    expect(renderRefusalsText(refusals.slice(0, 1))).toBe(
      'refused (max_changes): the plan changes 5 cells, over guards.max_changes = 2 (p.yml:19:16). Raise guards.max_changes to 5 in the policy (a change reviewed in its pull request), or split the change into smaller ones, or run apply with --max-changes 5 or --force once.\nNothing was written.\n',
    );
    expect(renderRefusalsText(refusals).split('\n')).toEqual([
      expect.stringMatching(/^refused \(max_changes\): /),
      expect.stringMatching(/^refused \(high_risk\): the plan enables/),
      'Nothing was written.',
      '',
    ]);
  });

  it('markdown: a heading, then one bullet per refusal naming its guard', () => {
    expect(renderRefusalsMarkdown(refusals)).toBe(
      [
        '### Refused by the guards; nothing was written',
        '',
        `- **max_changes**: ${refusals[0]!.message}`,
        `- **high_risk**: ${refusals[1]!.message}`,
      ].join('\n'),
    );
  });

  it('says a refusal made more than once once, with its count, in every format but JSON', () => {
    const repeated = [refusals[0]!, refusals[1]!, refusals[0]!, refusals[0]!];
    expect(renderRefusalsText(repeated).split('\n')).toEqual([
      `refused (max_changes, 3 times): ${refusals[0]!.message}`,
      `refused (high_risk): ${refusals[1]!.message}`,
      'Nothing was written.',
      '',
    ]);
    expect(renderRefusalsMarkdown(repeated).split('\n').slice(2)).toEqual([
      `- **max_changes** (3 times): ${refusals[0]!.message}`,
      `- **high_risk**: ${refusals[1]!.message}`,
    ]);
    // Same words under another guard are another refusal.
    expect(renderRefusalsText([refusals[0]!, { ...refusals[0]!, guard: 'never_disable' }])).not.toContain(
      'times',
    );
    expect(JSON.parse(refusalsToJson(repeated)).refusals).toHaveLength(4);
  });

  it('json: every refusal with its cells, in the envelope of the other reports', () => {
    const json = refusalsToJson(refusals);
    expect(json.endsWith('}\n')).toBe(true);
    expect(JSON.parse(json)).toEqual({ kind: 'refusals', schemaVersion: 1, refusals });
  });
});
