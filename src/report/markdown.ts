// Reports for PR comments, issues and job summaries. Each stays under maxChars (GitHub refuses comments
// over 65,536) by degrading detail, per cell -> per continent -> per account totals, never by cutting a
// table: the summary line always comes first and every table that is shown is whole.
import { formatDiagnostic } from '../model/diagnostics.js';
import type { AccountPlan, ApplyResult, CellChange, DriftReport, Plan, RiskTier } from '../model/plan.js';
import {
  CATEGORY_LABEL,
  RISK_WORDS,
  applySummaryLine,
  cellDetail,
  country,
  describeActor,
  describeExpiring,
  driftSummaryLine,
  expiringSoon,
  planSummaryLine,
  transition,
  where,
} from './format.js';
import { MAX_BODY_CHARS } from '../model/limits.js';
import { EXPIRY_WARNING_DAYS } from '../model/defaults.js';

export const DEFAULT_MAX_CHARS = MAX_BODY_CHARS;

export interface MarkdownOptions {
  maxChars?: number;
  title?: string;
}

const RISK_BADGE: Record<RiskTier, string> = {
  critical: '🔴 critical',
  high: '🟠 high',
  medium: '🟡 medium',
  low: '⚪ low',
};
const esc = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly (string | number)[]): string =>
  `| ${cells.map((c) => esc(String(c))).join(' | ')} |`;
const tableOf = (head: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] => [
  row(head),
  row(head.map(() => '---')),
  ...rows.map(row),
];

type Level = 'cells' | 'continents' | 'totals';
const LEVEL_NOTE: Record<Level, string> = {
  cells: '',
  continents:
    'Detail reduced to counts per continent to stay under the size limit; the JSON report has every cell.',
  totals:
    'Detail reduced to totals per account to stay under the size limit; the JSON report has every cell.',
};

/** The first rendering that fits; the last resort lists as many whole account rows as fit. */
function fit(render: (level: Level, rowLimit: number) => string, maxChars: number, rows: number): string {
  for (const level of ['cells', 'continents', 'totals'] as const) {
    const text = render(level, rows);
    if (text.length <= maxChars) return text;
  }
  let lo = 0;
  let hi = rows;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render('totals', mid).length <= maxChars) lo = mid;
    else hi = mid - 1;
  }
  const text = render('totals', lo);
  // Only a summary line longer than the limit itself could get here; cut at a line boundary then.
  return text.length <= maxChars ? text : text.slice(0, text.lastIndexOf('\n', maxChars - 1) + 1);
}

function cellTable(changes: readonly CellChange[]): string[] {
  return tableOf(
    ['risk', 'permission', 'country', 'change', 'policy line'],
    changes.map((c) => [
      RISK_BADGE[c.risk],
      CATEGORY_LABEL[c.category],
      country(c),
      transition(c),
      c.kind === 'manual' ? 'manual step' : where(c.source) ? `\`${where(c.source)}\`` : '',
    ]),
  );
}

function continentTable(changes: readonly CellChange[]): string[] {
  const groups = new Map<
    string,
    { risk: RiskTier; category: string; continent: string; on: number; off: number; manual: number }
  >();
  for (const c of changes) {
    const key = `${c.category}|${c.continent ?? 'other'}`;
    const g = groups.get(key) ?? {
      risk: c.risk,
      category: CATEGORY_LABEL[c.category],
      continent: c.continent ?? 'other',
      on: 0,
      off: 0,
      manual: 0,
    };
    if (RISK_WORDS.indexOf(c.risk) < RISK_WORDS.indexOf(g.risk)) g.risk = c.risk;
    if (c.kind === 'manual') g.manual++;
    else if (c.to) g.on++;
    else g.off++;
    groups.set(key, g);
  }
  return tableOf(
    ['highest risk', 'permission', 'continent', 'enable', 'disable', 'manual'],
    [...groups.values()].map((g) => [RISK_BADGE[g.risk], g.category, g.continent, g.on, g.off, g.manual]),
  );
}

function totalsTable(accounts: readonly AccountPlan[], limit: number): string[] {
  const shown = accounts.slice(0, limit);
  const lines = tableOf(
    ['account', 'changes', 'critical', 'high', 'medium', 'low', 'manual', 'unknown', 'status'],
    shown.map((a) => {
      const by = (r: RiskTier) => a.changes.filter((c) => c.risk === r).length;
      return [
        a.account,
        a.changes.length,
        by('critical'),
        by('high'),
        by('medium'),
        by('low'),
        a.changes.filter((c) => c.kind === 'manual').length,
        a.unknown.length,
        a.error ? `not read: ${a.error}` : 'read',
      ];
    }),
  );
  if (accounts.length > shown.length)
    lines.push('', `…and ${accounts.length - shown.length} more accounts with changes; see the JSON report.`);
  return lines;
}

function manualList(changes: readonly CellChange[]): string[] {
  const manual = changes.filter((c) => c.kind === 'manual');
  if (manual.length === 0) return [];
  return [
    '',
    '**Manual steps** (Twilio accepts these only in the Console):',
    ...manual.map(
      (c) =>
        `- [ ] ${c.to ? 'Enable' : 'Disable'} ${CATEGORY_LABEL[c.category]} for ${country(c)} in ${c.manual?.consolePath ?? 'the Console'}`,
    ),
  ];
}

function listWithLimit<T>(
  heading: string,
  items: readonly T[],
  show: (t: T) => string,
  max: number,
): string[] {
  if (items.length === 0) return [];
  const lines = ['', heading, ...items.slice(0, max).map((t) => `- ${show(t)}`)];
  if (items.length > max) lines.push(`- …and ${items.length - max} more`);
  return lines;
}

function accountSections(plan: Plan, level: Level, rowLimit: number): string[] {
  const interesting = plan.accounts.filter(
    (a) => a.changes.length > 0 || a.unknown.length > 0 || a.error !== null,
  );
  if (level === 'totals') return ['', ...totalsTable(interesting, rowLimit)];
  const lines: string[] = [];
  for (const a of interesting) {
    lines.push(
      '',
      `### ${esc(a.account)} \`${a.sid}\`${a.parent ? ` (subaccount of ${esc(a.parent)})` : ''}`,
      '',
    );
    if (a.error !== null) {
      lines.push(`Not read: ${esc(a.error)}`);
      continue;
    }
    if (a.changes.length > 0)
      lines.push(...(level === 'cells' ? cellTable(a.changes) : continentTable(a.changes)));
    if (level === 'cells') lines.push(...manualList(a.changes));
    lines.push(
      ...listWithLimit(
        '**Decisions to take**: Twilio lists these, the catalog does not know them, and the allow-list denies them:',
        a.unknown,
        (u) =>
          `${u.country}${u.name ? ` (${esc(u.name)})` : ''}, ${CATEGORY_LABEL[u.category]}${u.enabledLive ? ', enabled live' : ''}`,
        level === 'cells' ? 50 : 5,
      ),
    );
  }
  const quiet = plan.accounts.length - interesting.length;
  if (quiet > 0)
    lines.push(
      '',
      quiet === 1
        ? '1 other account already matches the policy.'
        : `${quiet} other accounts already match the policy.`,
    );
  return lines;
}

function planTrailer(plan: Plan, level: Level, soon: boolean): string[] {
  const max = level === 'cells' ? 50 : 10;
  return [
    ...listWithLimit(
      soon ? `**Exceptions expiring within ${EXPIRY_WARNING_DAYS} days:**` : '**Exceptions:**',
      soon ? expiringSoon(plan.expiring) : plan.expiring,
      describeExpiring,
      max,
    ),
    ...listWithLimit('**Warnings:**', plan.warnings, (w) => `\`${formatDiagnostic(w)}\``, max),
  ];
}

const note = (level: Level): string[] => (level === 'cells' ? [] : ['', `_${LEVEL_NOTE[level]}_`]);

/** What every Markdown report opens with: the summary line first, so the size shows before any detail. */
const heading = (summary: string, fingerprint: string, title: string | undefined): string[] => [
  `**${summary}**`,
  ...(title ? ['', `## ${title}`] : []),
  '',
  `Fingerprint: \`${fingerprint}\``,
];

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  const rows = plan.accounts.length;
  return fit(
    (level, rowLimit) =>
      [
        ...heading(planSummaryLine(plan), plan.fingerprint, options.title),
        ...note(level),
        ...accountSections(plan, level, rowLimit),
        ...planTrailer(plan, level, false),
        '',
      ].join('\n'),
    max,
    rows,
  );
}

export function renderApplyMarkdown(result: ApplyResult, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  const errors = listWithLimit(
    '**Account errors:**',
    result.accountErrors,
    (e) => `${esc(e.account)} \`${e.sid}\`: ${esc(e.message)}`,
    50,
  );
  return fit(
    (level, rowLimit) => {
      const head = [
        ...heading(applySummaryLine(result), result.fingerprint, options.title),
        ...errors,
        ...note(level),
        '',
      ];
      if (level === 'cells')
        return [
          ...head,
          ...tableOf(
            ['result', 'account', 'permission', 'country', 'change', 'detail'],
            result.cells.map((c) => [
              c.outcome,
              c.account,
              CATEGORY_LABEL[c.category],
              country(c),
              transition(c),
              cellDetail(c),
            ]),
          ),
          '',
        ].join('\n');
      // Failures stay listed cell by cell as long as they fit; the rest become counts per account.
      const failed = result.cells.filter((c) => c.outcome === 'failed');
      const accounts = [...new Set(result.cells.map((c) => c.account))];
      const perAccount = accounts.slice(0, rowLimit).map((a) => {
        const mine = result.cells.filter((c) => c.account === a);
        const n = (o: string) => mine.filter((c) => c.outcome === o).length;
        return [a, n('verified'), n('failed'), n('manual'), n('skipped')];
      });
      const more =
        accounts.length > perAccount.length
          ? ['', `…and ${accounts.length - perAccount.length} more accounts; see the JSON report.`]
          : [];
      const failures =
        level === 'continents' && failed.length > 0
          ? [
              '',
              '**Failed cells:**',
              '',
              ...tableOf(
                ['account', 'permission', 'country', 'detail'],
                failed.map((c) => [c.account, CATEGORY_LABEL[c.category], country(c), cellDetail(c)]),
              ),
            ]
          : [];
      return [
        ...head,
        ...tableOf(['account', 'verified', 'failed', 'manual', 'skipped'], perAccount),
        ...more,
        ...failures,
        '',
      ].join('\n');
    },
    max,
    new Set(result.cells.map((c) => c.account)).size,
  );
}

export function renderDriftMarkdown(report: DriftReport, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  return fit(
    (level, rowLimit) => {
      const lines = [...heading(driftSummaryLine(report), report.fingerprint, options.title), ...note(level)];
      if (level === 'cells') {
        const byAccount = new Map<string, typeof report.items>();
        for (const i of report.items) byAccount.set(i.account, [...(byAccount.get(i.account) ?? []), i]);
        for (const [account, items] of byAccount) {
          lines.push('', `### ${esc(account)} \`${items[0]?.sid ?? ''}\``, '');
          lines.push(
            ...tableOf(
              ['risk', 'permission', 'country', 'live', 'policy', 'changed by'],
              items.map((i) => [
                RISK_BADGE[i.risk],
                CATEGORY_LABEL[i.category],
                country(i),
                transition(i).split(' -> ')[0] ?? '',
                (transition(i).split(' -> ')[1] ?? '') + (i.kind === 'manual' ? ' (manual step)' : ''),
                describeActor(i.attribution),
              ]),
            ),
          );
        }
        for (const a of report.plan.accounts)
          lines.push(
            ...listWithLimit(
              `**Decisions to take** in ${esc(a.account)}: Twilio lists these, the catalog does not know them:`,
              a.unknown,
              (u) => `${u.country}, ${CATEGORY_LABEL[u.category]}${u.enabledLive ? ', enabled live' : ''}`,
              50,
            ),
          );
        for (const a of report.plan.accounts.filter((x) => x.error !== null))
          lines.push('', `${esc(a.account)} \`${a.sid}\`: not read: ${esc(a.error ?? '')}`);
      } else {
        lines.push(...accountSections(report.plan, level, rowLimit));
      }
      lines.push(...planTrailer(report.plan, level, true), '');
      return lines.join('\n');
    },
    max,
    report.plan.accounts.length,
  );
}
