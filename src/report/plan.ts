// The plan report: every cell that differs, from -> to, with its risk, per account; then exceptions and
// warnings. Also the plan's section in the job summary and PR comment, and the comment's footer.
import { formatDiagnostic } from '../model/diagnostics.js';
import { EXPIRY_WARNING_DAYS } from '../model/defaults.js';
import type { AccountPlan, CellChange, Plan, RiskTier } from '../model/plan.js';
import {
  CATEGORY_LABEL,
  RISK_WORDS,
  country,
  describeExpiring,
  expiringSoon,
  planSummaryLine,
  transition,
  where,
} from './format.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import {
  DEFAULT_MAX_CHARS,
  RISK_BADGE,
  esc,
  fit,
  heading,
  listWithLimit,
  note,
  tableOf,
  type Level,
  type MarkdownOptions,
} from './markdown.js';
import { painter, table, type Paint, type Style, type TextOptions } from './text.js';

// ---- text ----

const RISK_STYLE: Record<RiskTier, Style> = {
  critical: 'red',
  high: 'yellow',
  medium: 'cyan',
  low: 'dim',
};

function changeRow(c: CellChange): string[] {
  const what = c.kind === 'manual' ? `MANUAL: ${c.manual?.consolePath ?? 'Console'}` : where(c.source);
  return [c.risk, CATEGORY_LABEL[c.category], country(c), transition(c), what];
}

/** Up to this many accounts without changes are named; more are counted (a fleet has hundreds). */
const QUIET_NAMED = 10;

function planBody(plan: Plan, paint: Paint): string[] {
  const lines: string[] = [];
  const quiet = plan.accounts.filter(
    (a) => a.error === null && a.changes.length === 0 && a.unknown.length === 0,
  );
  const nameQuiet = quiet.length <= QUIET_NAMED;
  for (const account of plan.accounts) {
    const head = `${paint('bold', account.account)} (${account.sid}${account.parent ? `, subaccount of ${account.parent}` : ''})`;
    if (account.error !== null) {
      lines.push('', `${head}: ${paint('red', `not read: ${account.error}`)}`);
      continue;
    }
    if (account.changes.length === 0 && account.unknown.length === 0) {
      if (nameQuiet) lines.push('', `${head}: no changes`);
      continue;
    }
    lines.push('', `${head}: ${account.changes.length} changes`);
    const rows = table(account.changes.map(changeRow));
    account.changes.forEach((c, i) =>
      lines.push(
        c.kind === 'manual' ? paint('yellow', rows[i] ?? '') : paint(RISK_STYLE[c.risk], rows[i] ?? ''),
      ),
    );
    for (const u of account.unknown)
      lines.push(
        `  decide: Twilio lists ${u.country}${u.name ? ` (${u.name})` : ''} for ${CATEGORY_LABEL[u.category]}, unknown to the catalog; the allow-list denies it${u.enabledLive ? ' (enabled live, so the plan disables it)' : ''}`,
      );
  }
  if (!nameQuiet) lines.push('', `${quiet.length} other accounts match the policy.`);
  return lines;
}

/** Exceptions (all, or only those expiring soon, as drift shows them) and warnings, for terminals. */
export function exceptionsAndWarningsText(plan: Plan, soon: boolean): string[] {
  const lines: string[] = [];
  const expiring = soon ? expiringSoon(plan.expiring) : plan.expiring;
  if (expiring.length > 0)
    lines.push(
      '',
      soon ? `Exceptions expiring within ${EXPIRY_WARNING_DAYS} days:` : 'Exceptions:',
      ...expiring.map((e) => `  ${describeExpiring(e)}`),
    );
  if (plan.warnings.length > 0)
    lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ${formatDiagnostic(w)}`));
  return lines;
}

export function renderPlanText(plan: Plan, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  return [
    paint('bold', planSummaryLine(plan)),
    `Fingerprint: ${plan.fingerprint}`,
    ...planBody(plan, paint),
    ...exceptionsAndWarningsText(plan, false),
    '',
  ].join('\n');
}

// ---- markdown ----

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

interface ContinentGroup {
  risk: RiskTier;
  category: string;
  continent: string;
  on: number;
  off: number;
  manual: number;
}

function continentTable(changes: readonly CellChange[]): string[] {
  const groups = new Map<string, ContinentGroup>();
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

/** One section per account with changes, unknown countries or a read error, at the given detail. */
export function accountSections(plan: Plan, level: Level, rowLimit: number): string[] {
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

/** Exceptions (all, or only those expiring soon, as drift shows them) and warnings, in Markdown. */
export function exceptionsAndWarningsMarkdown(plan: Plan, level: Level, soon: boolean): string[] {
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

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  const rows = plan.accounts.length;
  return fit(
    (level, rowLimit) =>
      [
        ...heading(planSummaryLine(plan), plan.fingerprint, options.title),
        ...note(level),
        ...accountSections(plan, level, rowLimit),
        ...exceptionsAndWarningsMarkdown(plan, level, false),
        '',
      ].join('\n'),
    max,
    rows,
  );
}

// ---- json ----

export function planToJson(plan: Plan): string {
  return stringify({ kind: 'plan', ...plan, schemaVersion: JSON_SCHEMA_VERSION });
}

// ---- the action's plan section and comment footer ----

/** The plan as the job summary and the sticky PR comment show it: headed by the policy file. */
export function planSection(plan: Plan, options: MarkdownOptions = {}): string {
  return `### Twilio geo permissions plan: \`${plan.policyFile}\`\n\n` + renderPlanMarkdown(plan, options);
}

/** The sticky plan comment's last line: which plan it is and what a merge will do with it. */
export function reviewedPlanFooter(plan: Pick<Plan, 'fingerprint'>): string {
  return `\n\n<sub>Plan fingerprint \`${plan.fingerprint.slice(0, 12)}\`. On merge, only the enables shown here are applied.</sub>`;
}
