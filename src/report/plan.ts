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
  plural,
  transition,
  where,
} from './format.js';
import { mdCode, mdText, termText } from './escape.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import {
  DEFAULT_MAX_CHARS,
  RISK_BADGE,
  fit,
  heading,
  listWithLimit,
  note,
  tableOf,
  tableRow,
  visibleMarkdown,
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
  const what =
    c.kind === 'manual' ? `MANUAL: ${c.manual?.consolePath ?? 'Console'}` : termText(where(c.source));
  return [c.risk, CATEGORY_LABEL[c.category], country(c, termText), transition(c), what];
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
    const parent = account.parent ? `, subaccount of ${termText(account.parent)}` : '';
    const head = `${paint('bold', termText(account.account))} (${termText(account.sid)}${parent})`;
    if (account.error !== null) {
      lines.push('', `${head}: ${paint('red', `not read: ${termText(account.error)}`)}`);
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
        `  decide: Twilio lists ${termText(u.country)}${u.name ? ` (${termText(u.name)})` : ''} for ${CATEGORY_LABEL[u.category]}, unknown to the catalog; the allow-list denies it${u.enabledLive ? ' (enabled live, so the plan disables it)' : ''}`,
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
      ...expiring.map((e) => `  ${describeExpiring(e, termText)}`),
    );
  if (plan.warnings.length > 0)
    lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ${termText(formatDiagnostic(w))}`));
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

const CELL_HEAD = ['risk', 'permission', 'country', 'change', 'policy line'];

/** A change's row at cell detail. */
const cellCells = (c: CellChange): string[] => [
  RISK_BADGE[c.risk],
  CATEGORY_LABEL[c.category],
  country(c, mdText),
  transition(c),
  c.kind === 'manual' ? 'manual step' : c.source ? mdCode(where(c.source)) : '',
];

function cellTable(changes: readonly CellChange[]): string[] {
  return tableOf(CELL_HEAD, changes.map(cellCells));
}

interface ContinentGroup {
  risk: RiskTier;
  category: string;
  continent: string;
  on: number;
  off: number;
  manual: number;
  changes: CellChange[];
}

const CONTINENT_HEAD = ['highest risk', 'permission', 'continent', 'enable', 'disable', 'manual'];

/** The changes of one account by permission and continent, in the order they first appear. */
function continentGroups(changes: readonly CellChange[]): ContinentGroup[] {
  const groups = new Map<string, ContinentGroup>();
  for (const c of changes) {
    const key = `${c.category}|${c.continent ?? 'other'}`;
    const g = groups.get(key) ?? {
      risk: c.risk,
      category: CATEGORY_LABEL[c.category],
      continent: mdText(c.continent ?? 'other'),
      on: 0,
      off: 0,
      manual: 0,
      changes: [],
    };
    if (RISK_WORDS.indexOf(c.risk) < RISK_WORDS.indexOf(g.risk)) g.risk = c.risk;
    if (c.kind === 'manual') g.manual++;
    else if (c.to) g.on++;
    else g.off++;
    g.changes.push(c);
    groups.set(key, g);
  }
  return [...groups.values()];
}

const continentCells = (g: ContinentGroup) => [
  RISK_BADGE[g.risk],
  g.category,
  g.continent,
  g.on,
  g.off,
  g.manual,
];

function continentTable(changes: readonly CellChange[]): string[] {
  return tableOf(CONTINENT_HEAD, continentGroups(changes).map(continentCells));
}

const TOTALS_HEAD = [
  'account',
  'changes',
  'critical',
  'high',
  'medium',
  'low',
  'manual',
  'unknown',
  'status',
];

/** An account's row of the totals table. */
function totalsCells(a: AccountPlan): (string | number)[] {
  const by = (r: RiskTier) => a.changes.filter((c) => c.risk === r).length;
  return [
    mdText(a.account),
    a.changes.length,
    by('critical'),
    by('high'),
    by('medium'),
    by('low'),
    a.changes.filter((c) => c.kind === 'manual').length,
    a.unknown.length,
    a.error ? `not read: ${mdText(a.error)}` : 'read',
  ];
}

function totalsTable(accounts: readonly AccountPlan[], limit: number): string[] {
  const shown = accounts.slice(0, limit);
  const lines = tableOf(TOTALS_HEAD, shown.map(totalsCells));
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
        `- [ ] ${c.to ? 'Enable' : 'Disable'} ${CATEGORY_LABEL[c.category]} for ${country(c, mdText)} in ${c.manual?.consolePath ?? 'the Console'}`,
    ),
  ];
}

const hasSection = (a: AccountPlan): boolean =>
  a.changes.length > 0 || a.unknown.length > 0 || a.error !== null;

/** An account section's heading: its name, its SID and its parent. */
const accountHeading = (a: AccountPlan): string =>
  `### ${mdText(a.account)} ${mdCode(a.sid)}${a.parent ? ` (subaccount of ${mdText(a.parent)})` : ''}`;

/** One section per account with changes, unknown countries or a read error, at the given detail. */
export function accountSections(plan: Plan, level: Level, rowLimit: number): string[] {
  const interesting = plan.accounts.filter(hasSection);
  if (level === 'totals') return ['', ...totalsTable(interesting, rowLimit)];
  const lines: string[] = [];
  for (const a of interesting) {
    lines.push('', accountHeading(a), '');
    if (a.error !== null) {
      lines.push(`Not read: ${mdText(a.error)}`);
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
          `${mdText(u.country)}${u.name ? ` (${mdText(u.name)})` : ''}, ${CATEGORY_LABEL[u.category]}${u.enabledLive ? ', enabled live' : ''}`,
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
      (e) => describeExpiring(e, mdText),
      max,
    ),
    ...listWithLimit('**Warnings:**', plan.warnings, (w) => mdCode(formatDiagnostic(w)), max),
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

/** Each row a plan's Markdown can show for an account's changes, at cell and at continent detail. */
function sectionRows(a: AccountPlan): Map<string, CellChange[]> {
  const rows = new Map<string, CellChange[]>();
  for (const c of a.changes) rows.set(tableRow(cellCells(c)), [c]);
  for (const g of continentGroups(a.changes)) rows.set(tableRow(continentCells(g)), g.changes);
  return rows;
}

/** Where a plan's changes can show: its account sections by heading, and its totals rows. */
interface RowIndex {
  sections: Map<string, AccountPlan>;
  rows: Map<AccountPlan, Map<string, CellChange[]>>;
  /** Two accounts can share a totals row (same name and counts): each occurrence shows the next. */
  totals: Map<string, AccountPlan[]>;
}

// Built once per plan: the sticky comment reads several fittings of the same plan.
const ROW_INDEX = new WeakMap<Plan, RowIndex>();

function rowIndex(plan: Plan): RowIndex {
  const cached = ROW_INDEX.get(plan);
  if (cached) return cached;
  const accounts = plan.accounts.filter(hasSection);
  const index: RowIndex = {
    sections: new Map(accounts.map((a) => [accountHeading(a), a])),
    rows: new Map(),
    totals: new Map(),
  };
  for (const a of accounts) {
    const line = tableRow(totalsCells(a));
    index.totals.set(line, [...(index.totals.get(line) ?? []), a]);
  }
  ROW_INDEX.set(plan, index);
  return index;
}

/**
 * The changes of `plan` that a reader of `markdown` (the plan as renderPlanMarkdown wrote it, whole or
 * cut) sees, in plan order: a change is seen when the row standing for it is in the text that shows,
 * HTML comments hidden as GitHub hides them. That row is its own row in its account's section (cell
 * detail), its continent's row there (continent detail), or its account's row of the totals table.
 * A row cut off, or hidden, leaves its changes out.
 */
export function shownChanges(plan: Plan, markdown: string): CellChange[] {
  const index = rowIndex(plan);
  const shown = new Set<CellChange>();
  const seenTotals = new Map<string, number>();
  let rows: Map<string, CellChange[]> | null = null;
  for (const line of visibleMarkdown(markdown).split('\n')) {
    if (/^#{1,6}\s/.test(line)) {
      const section = index.sections.get(line);
      if (section && !index.rows.has(section)) index.rows.set(section, sectionRows(section));
      rows = section ? (index.rows.get(section) ?? null) : null;
      continue;
    }
    for (const c of rows?.get(line) ?? []) shown.add(c);
    const sharing = index.totals.get(line);
    if (!sharing) continue;
    const n = seenTotals.get(line) ?? 0;
    seenTotals.set(line, n + 1);
    for (const c of sharing[n]?.changes ?? []) shown.add(c);
  }
  return plan.accounts.flatMap((a) => a.changes).filter((c) => shown.has(c));
}

// ---- json ----

export function planToJson(plan: Plan): string {
  return stringify({ kind: 'plan', ...plan, schemaVersion: JSON_SCHEMA_VERSION });
}

// ---- the action's plan section and comment footer ----

/** The plan as the job summary and the sticky PR comment show it: headed by the policy file. */
export function planSection(plan: Plan, options: MarkdownOptions = {}): string {
  return (
    `### Twilio geo permissions plan: ${mdCode(plan.policyFile)}\n\n` + renderPlanMarkdown(plan, options)
  );
}

/** The sticky plan comment's last line: which plan it is and what a merge will do with it. */
export function reviewedPlanFooter(plan: Pick<Plan, 'fingerprint'>): string {
  return `\n\n<sub>Plan fingerprint \`${plan.fingerprint.slice(0, 12)}\`. On merge, only the enables shown here are applied.</sub>`;
}

/**
 * The sticky plan comment's warning when some planned changes did not fit: the reviewed-plan marker
 * leaves them out, so the merge refuses their enables as unreviewed.
 */
export function unshownChangesNote(count: number, runLink: string): string {
  return (
    `> **${plural(count, 'planned change')} did not fit in this comment**, so ${count === 1 ? 'it was' : 'they were'} ` +
    `not reviewed here: on merge, ${count === 1 ? 'its enable is' : 'their enables are'} refused as unreviewed ` +
    `(disables still proceed). The full plan is in [this run](${runLink}); split the change into smaller ` +
    'pull requests to review it all.\n\n'
  );
}
