// Every policy- and Twilio-sourced string, from the hostile corpus, in every field of every report: no
// rendering may open anything (HTML, a mention, a link or image, a table row break, a heading, a list),
// and no terminal rendering may carry a control or escape character. Proven by reading the output
// (test/support/markdown-check.ts) and by comparing its shape with the same report around a harmless
// string, never by comparing it with a hard-coded expected text.
import { describe, expect, it } from 'vitest';
import { applyCommentBody, driftIssueContent, planCommentBody } from '../../src/github/bodies.js';
import { decideDriftIssue } from '../../src/github/drift-issue.js';
import { driftStateMarker, parseReviewedPlan } from '../../src/github/markers.js';
import type { Issue } from '../../src/model/github-port.js';
import { markerKey } from '../../src/plan/cells.js';
import {
  REPORTS,
  applySection,
  driftIssueText,
  driftIssueTitle,
  driftSection,
  invalidPolicySection,
  notAppliedSection,
  planSection,
  validateSections,
  type ReportKind,
  type ReportValues,
} from '../../src/report/index.js';
import {
  BENIGN,
  HOSTILE,
  hostileApply,
  hostileBinding,
  hostileBound,
  hostileDiagnostics,
  hostileDrift,
  hostileExceptions,
  hostilePlan,
  hostileSenderNotFound,
  hostileWhy,
  hostileWhySender,
} from '../support/hostile.js';
import { CONTROL, openings, readMarkdown, skeleton, withoutComments } from '../support/markdown-check.js';

const RUN = 'https://github.com/acme/telephony/actions/runs/4242';
/** What the renderers write themselves: the footer's <sub>, the folded per-account detail (plan, drift). */
const OURS = {
  tags: ['<sub>', '</sub>', '<details>', '</details>', '<summary>', '</summary>'],
  urls: [RUN],
  refs: ['#7'],
} as const;
const HUGE = { maxChars: 10_000_000 };
/** The colour codes the text renderers write themselves (report/text.ts). */
// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const SGR = /\u001b\[(?:0|1|2|31|32|33|36)m/g;

/** One value per row of the table; a row added to REPORTS fails here until it has a hostile value. */
const VALUES: { [K in ReportKind]: (s: string) => ReportValues[K][] } = {
  plan: (s) => [hostilePlan(s)],
  apply: (s) => [hostileApply(s)],
  drift: (s) => [hostileDrift(s)],
  binding: (s) => [hostileBinding(s), hostileBound(s)],
  diagnostics: (s) => [hostileDiagnostics(s)],
  why: (s) => [hostileWhy(s), hostileWhySender(s), hostileSenderNotFound(s)],
  // A guard refusal's message names policy accounts and countries.
  refusals: (s) => [
    [{ guard: 'never_disable', message: `${s} voice.low_risk US is in guards.never_disable`, cells: [] }],
  ],
  exceptions: (s) => [hostileExceptions(s)],
};
const KINDS = Object.keys(REPORTS) as ReportKind[];

const cells = <K extends ReportKind>(kind: K, s: string) =>
  VALUES[kind](s).map((value) => ({ value, row: REPORTS[kind] as (typeof REPORTS)[K] }));

/** The action's sections and the drift issue's text, each around the string. */
function sections(s: string): string[] {
  const drift = driftSection(hostileDrift(s), HUGE);
  return [
    planSection(hostilePlan(s), HUGE),
    drift,
    applySection(`${s}.yml`, 'c0ffee1234', [REPORTS.apply.markdown(hostileApply(s), HUGE)]),
    notAppliedSection(`refs/heads/${s} is not the default branch main`),
    ...validateSections(`${s}.yml`, hostileDiagnostics(s), 'pull request'),
    invalidPolicySection(`${s}.yml`, hostileDiagnostics(s)),
    driftIssueText(drift, RUN),
  ];
}

/** A body's markers (its first lines) and the Markdown under them. */
function splitBody(body: string): { markers: string[]; markdown: string } {
  const lines = body.split('\n');
  let n = 0;
  while (lines[n]?.startsWith('<!-- twilio-geo-permissions:')) n++;
  return { markers: lines.slice(0, n), markdown: lines.slice(n).join('\n') };
}

/** The action's bodies: the sticky plan comment, the apply-result comment, the drift issue (cut only by the body's limit). */
function bodies(s: string): string[] {
  const plan = hostilePlan(s);
  const drift = hostileDrift(s);
  return [
    planCommentBody(plan, planSection(plan, HUGE), RUN),
    applyCommentBody(
      `${s}.yml`,
      'c0ffee',
      applySection(`${s}.yml`, 'c0ffee', [REPORTS.apply.markdown(hostileApply(s), HUGE)]),
      RUN,
    ),
    driftIssueContent(drift, driftSection(drift, HUGE), RUN).body,
  ];
}

/** The drift issue's comments (what changed, drift is back), built from the markers' cells. */
function driftComments(s: string): string[] {
  const issue = (state: Issue['state']): Issue => ({
    number: 3,
    title: 't',
    body: driftStateMarker({ fingerprint: 'old', cells: [s, `${s}|messaging|FR|off>on`] }),
    state,
    author: 'bot',
    url: '',
    labels: [],
    isPullRequest: false,
    createdAt: '',
    closedAt: state === 'closed' ? '2026-01-01' : null,
  });
  const scan = {
    detected: true,
    complete: true,
    state: { fingerprint: 'new', cells: [...hostileDrift(s).items.map(markerKey), s] },
  };
  return [issue('open'), issue('closed')].flatMap((i) =>
    decideDriftIssue([i], scan, { title: 't', body: 'b' }, RUN).ops.flatMap((op) =>
      op.op === 'comment' ? [op.body] : [],
    ),
  );
}

/**
 * How many planned changes the body shows, as GitHub shows it (comments hidden): a row each in the
 * Opens and Closes tables (each row of the hostile plan is one change, at any detail); the per-account
 * tables under them repeat those changes, so they add none; the enable, disable and manual counts of a
 * continent row, the change count of a totals row.
 */
function changesShown(body: string): number {
  let count: (cells: string[]) => number = () => 0;
  let n = 0;
  for (const b of readMarkdown(withoutComments(body))) {
    if (b.kind === 'table-head') {
      const head = b.inline.text;
      count = head.startsWith('risk permission countries accounts')
        ? () => 1
        : head.startsWith('highest risk')
          ? (c) => Number(c[3]) + Number(c[4]) + Number(c[5])
          : head.startsWith('account changes')
            ? (c) => Number(c[1])
            : () => 0;
    }
    if (b.kind === 'table-row') n += count(b.row);
  }
  return n;
}

const label = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
const CASES = HOSTILE.map((s, i) => [`${String(i).padStart(2, '0')} ${label(s)}`, s] as const);

describe.each(CASES)('hostile string %s', (_name, s) => {
  it('opens nothing in any Markdown cell of the report table', () => {
    for (const kind of KINDS)
      for (const [i, { value, row }] of cells(kind, s).entries()) {
        const md = row.markdown(value as never);
        expect(openings(md, OURS), `${kind} #${i}`).toEqual([]);
        // Same shape as around a harmless string: no line, heading, list, quote or cell is added.
        const benign = cells(kind, BENIGN)[i]!;
        expect(skeleton(row.markdown(value as never, HUGE)), `${kind} #${i} shape`).toEqual(
          skeleton(benign.row.markdown(benign.value as never, HUGE)),
        );
      }
  });

  it("opens nothing in the action's sections", () => {
    const benign = sections(BENIGN);
    sections(s).forEach((md, i) => {
      expect(openings(md, OURS), `section ${i}`).toEqual([]);
      expect(skeleton(md), `section ${i} shape`).toEqual(skeleton(benign[i]!));
    });
    expect(driftIssueTitle(`${s}.yml`, '1/2')).not.toMatch(CONTROL);
    expect(driftIssueTitle(`${s}.yml`, null)).not.toContain('\n');
  });

  it('opens nothing in the plan comment, the apply comment or the drift issue, and no marker ends early', () => {
    const benign = bodies(BENIGN).map((b) => splitBody(b).markdown);
    bodies(s).forEach((body, i) => {
      expect(body.length, `body ${i}`).toBeLessThanOrEqual(65_536);
      const { markers, markdown } = splitBody(body);
      expect(markers.length, `body ${i} markers`).toBeGreaterThan(0);
      for (const m of markers) {
        // Each marker is one comment that ends exactly where its line ends.
        expect(withoutComments(m), `body ${i} marker`).toBe('');
        expect(m.indexOf('-->'), `body ${i} marker`).toBe(m.length - 3);
        expect(m).not.toContain('--!>');
      }
      expect(openings(markdown, OURS), `body ${i}`).toEqual([]);
      if (!body.includes('… truncated.'))
        expect(skeleton(markdown), `body ${i} shape`).toEqual(skeleton(benign[i]!));
    });
    for (const comment of driftComments(s)) expect(openings(comment, OURS)).toEqual([]);
  });

  it('keeps in the reviewed-plan marker exactly the changes whose rows a reviewer sees', () => {
    const plan = hostilePlan(s);
    const body = planCommentBody(plan, planSection(plan, { maxChars: 55_000 }), RUN);
    const reviewed = parseReviewedPlan(body);
    expect(reviewed?.cells ?? []).toHaveLength(changesShown(body));
    // All four show unless the string is so long that the comment cannot hold them: then it says so.
    if (changesShown(body) < 4) {
      expect(reviewed?.fingerprint).toBe(`partial-${plan.fingerprint}`);
      expect(body).toContain(`${4 - changesShown(body)} planned change`);
    } else expect(reviewed?.fingerprint).toBe(plan.fingerprint);
    expect(s.length > 2000 || changesShown(body) === 4).toBe(true);
  });

  it('leaves no control or escape character in any text cell, and adds no line', () => {
    for (const kind of KINDS)
      for (const [i, { value, row }] of cells(kind, s).entries()) {
        const text = row.text(value as never);
        expect(text, `${kind} #${i}`).not.toMatch(CONTROL);
        const benign = cells(kind, BENIGN)[i]!;
        expect(text.split('\n'), `${kind} #${i} lines`).toHaveLength(
          benign.row.text(benign.value as never).split('\n').length,
        );
        // With colour on, the only escapes are the renderer's own SGR sequences.
        const colored = row.text(value as never, { color: true }).replace(SGR, '');
        expect(colored, `${kind} #${i} colour`).not.toMatch(CONTROL);
      }
  });

  it('keeps every JSON cell exact and free of raw control characters', () => {
    for (const kind of KINDS)
      for (const [i, { value, row }] of cells(kind, s).entries()) {
        const json = row.json(value as never);
        expect(json.slice(0, -1), `${kind} #${i}`).not.toMatch(CONTROL);
        expect(JSON.stringify(JSON.parse(json)), `${kind} #${i}`).toContain(JSON.stringify(s).slice(1, -1));
      }
  });
});
