// The plan report: every cell that differs, from -> to, with its risk, per account; then exceptions and
// warnings. Also the plan's section in the job summary and PR comment, and the comment's footer.
import { formatDiagnostic } from '../model/diagnostics.js';
import type { AccountPlan, CellChange, Direction, Plan, RiskTier, UnknownCountry } from '../model/plan.js';
import { RISK_ORDER } from '../plan/exposure.js';
import { accountsLabel, countriesLabel, exposureRows, type ExposureRow } from './exposure-groups.js';
import { EXPOSURE_HEAD, renderRows, type RenderedRow, type RowDetail } from './exposure-table.js';
import {
  CATEGORY_LABEL,
  country,
  describeExpiring,
  expiringSoon,
  warningDaysOf,
  planSummaryLine,
  plural,
  transition,
  where,
} from './format.js';
import { mdCode, mdText, termText } from './escape.js';
import { commitText } from './staleness.js';
import { fleetMarkdown, fleetText } from './fleet.js';
import { accountErrorLines, accountErrorsText, planAccountErrors } from './account-errors.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import {
  DEFAULT_MAX_CHARS,
  RISK_BADGE,
  fitLevels,
  listWithLimit,
  tableOf,
  tableRow,
  visibleMarkdown,
  volatile,
  type Level,
  type MarkdownOptions,
} from './markdown.js';
import { RISK_STYLE, painter, table, type Paint, type TextOptions } from './text.js';

// ---- text ----

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
  const unread = accountErrorsText(planAccountErrors(plan));
  if (unread.length > 0) lines.push('', ...unread.map((line) => paint('red', line)));
  for (const account of plan.accounts) {
    const parent = account.parent ? `, subaccount of ${termText(account.parent)}` : '';
    const head = `${paint('bold', termText(account.account))} (${termText(account.sid)}${parent})`;
    if (account.error !== null) continue;
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

/**
 * Which exceptions a report lists beside its warnings: all (the plan, each with its days left), those
 * within the horizon (drift), or none (a drift report whose exceptions table has them).
 */
export type ExceptionsShown = 'all' | 'soon' | 'none';

function shownExceptions(plan: Plan, shown: ExceptionsShown) {
  if (shown === 'none') return [];
  return shown === 'soon' ? expiringSoon(plan.expiring, warningDaysOf(plan)) : plan.expiring;
}

/** Exceptions (see ExceptionsShown) and warnings, for terminals. */
export function exceptionsAndWarningsText(plan: Plan, shown: ExceptionsShown): string[] {
  const lines: string[] = [];
  const soon = shown === 'soon';
  const days = warningDaysOf(plan);
  const expiring = shownExceptions(plan, shown);
  if (expiring.length > 0)
    lines.push(
      '',
      soon ? `Exceptions expiring within ${days} days:` : 'Exceptions:',
      ...expiring.map((e) => `  ${describeExpiring(e, termText)}`),
    );
  if (plan.warnings.length > 0)
    lines.push('', 'Warnings:', ...plan.warnings.map((w) => `  ${termText(formatDiagnostic(w))}`));
  return lines;
}

const textBadge = (r: ExposureRow): string => r.risk;

/** "Opens:" or "Closes:" and their rows, aligned, coloured by risk (manual steps yellow). */
function directionText(plan: Plan, direction: Direction, paint: Paint): string[] {
  const rows = renderRows(planRows(plan), direction, 'cells', plan.accounts, termText, textBadge);
  if (rows.length === 0) return direction === 'opens' ? ['', 'Opens: nothing.'] : [];
  const lines = table(rows.map((r) => r.cells));
  return [
    '',
    direction === 'opens' ? 'Opens:' : 'Closes:',
    ...rows.map((r, i) => paint(r.row.kind === 'manual' ? 'yellow' : RISK_STYLE[r.row.risk], lines[i] ?? '')),
  ];
}

/** The manual steps, once per row, for terminals. */
function manualText(plan: Plan): string[] {
  const rows = planRows(plan).filter((r) => r.kind === 'manual');
  if (rows.length === 0) return [];
  return [
    '',
    'Manual steps (Twilio accepts these only in the Console):',
    ...rows.map(
      (r) =>
        `  [ ] ${r.to ? 'Enable' : 'Disable'} ${CATEGORY_LABEL[r.category]} for ${countriesLabel(r, termText)} in ` +
        `${termText(r.changes[0]?.manual?.consolePath ?? 'the Console')} (${accountsLabel(r.accounts, plan.accounts, termText)})`,
    ),
  ];
}

/** The plan for terminals, in the Markdown's order: verdict, opens, closes, manual steps, detail, the rest. */
export function renderPlanText(plan: Plan, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  return [
    paint('bold', planSummaryLine(plan)),
    ...directionText(plan, 'opens', paint),
    ...directionText(plan, 'closes', paint),
    ...manualText(plan),
    ...fleetText(plan.fleet, paint),
    ...(plan.summary.changes > 0 || plan.summary.errors > 0 || plan.summary.unknown > 0
      ? ['', 'Per account:']
      : []),
    ...planBody(plan, paint),
    ...exceptionsAndWarningsText(plan, 'all'),
    '',
    `Fingerprint: ${plan.fingerprint}`,
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
    if (RISK_ORDER.indexOf(c.risk) < RISK_ORDER.indexOf(g.risk)) g.risk = c.risk;
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

/** The countries Twilio lists that the catalog does not know, each a decision; with `named`, their account too. */
function decisions(unknown: readonly UnknownCountry[], max: number, named = false): string[] {
  return listWithLimit(
    '**Decisions to take**: Twilio lists these, the catalog does not know them, and the allow-list denies them:',
    unknown,
    (u) =>
      `${named ? `${mdText(u.account)}: ` : ''}${mdText(u.country)}${u.name ? ` (${mdText(u.name)})` : ''}, ${CATEGORY_LABEL[u.category]}${u.enabledLive ? ', enabled live' : ''}`,
    max,
  );
}

const hasSection = (a: AccountPlan): boolean =>
  a.changes.length > 0 || a.unknown.length > 0 || a.error !== null;

/** An account section's heading: its name, its SID and its parent. */
const accountHeading = (a: AccountPlan): string =>
  `### ${mdText(a.account)} ${mdCode(a.sid)}${a.parent ? ` (subaccount of ${mdText(a.parent)})` : ''}`;

/**
 * One section per account with changes, unknown countries or a read error, at the given detail. With
 * `changesOnly` (the plan's folded detail, whose report says the rest outside it), only accounts with
 * changes and only their cells.
 */
export function accountSections(
  plan: Plan,
  level: Level,
  rowLimit: number,
  { changesOnly = false }: { changesOnly?: boolean } = {},
): string[] {
  const interesting = plan.accounts.filter(changesOnly ? (a) => a.changes.length > 0 : hasSection);
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
    if (changesOnly) continue;
    if (level === 'cells') lines.push(...manualList(a.changes));
    lines.push(...decisions(a.unknown, level === 'cells' ? 50 : 5));
  }
  const quiet = plan.accounts.length - plan.accounts.filter(hasSection).length;
  if (quiet > 0)
    lines.push(
      '',
      quiet === 1
        ? '1 other account already matches the policy.'
        : `${quiet} other accounts already match the policy.`,
    );
  return lines;
}

/** Exceptions (see ExceptionsShown) and warnings, in Markdown. */
export function exceptionsAndWarningsMarkdown(plan: Plan, level: Level, shown: ExceptionsShown): string[] {
  const max = level === 'cells' ? 50 : 10;
  const soon = shown === 'soon';
  return [
    ...listWithLimit(
      soon ? `**Exceptions expiring within ${warningDaysOf(plan)} days:**` : '**Exceptions:**',
      shownExceptions(plan, shown),
      (e) => describeExpiring(e, mdText),
      max,
    ),
    ...listWithLimit('**Warnings:**', plan.warnings, (w) => mdCode(formatDiagnostic(w)), max),
  ];
}

/** How far the plan's Markdown degrades to fit: per-account detail goes first, then medium and low detail. */
const PLAN_LEVELS = ['full', 'rows', 'codes', 'continents', 'totals'] as const;
type PlanLevel = (typeof PLAN_LEVELS)[number];

const ROW_DETAIL: Record<PlanLevel, RowDetail> = {
  full: 'cells',
  rows: 'cells',
  codes: 'codes',
  continents: 'continents',
  totals: 'totals',
};

const DROPPED = 'Per-account detail left out to stay under the size limit';
const PLAN_LEVEL_NOTE: Record<PlanLevel, string> = {
  full: '',
  rows: `${DROPPED}; the JSON report has every cell.`,
  codes: `${DROPPED}, and medium and low rows list country codes only; critical and high rows show every country.`,
  continents: `${DROPPED}, and medium and low rows are counted per continent; critical and high rows show every country.`,
  totals: `${DROPPED}, and medium and low rows are reduced to totals; critical and high rows show every country.`,
};

const DIRECTION_HEADING: Record<Direction, string> = { opens: '#### Opens', closes: '#### Closes' };

// Grouped once per plan: a plan is rendered at several levels, and the sticky comment reads it again.
const PLAN_ROWS = new WeakMap<Plan, ExposureRow[]>();

function planRows(plan: Plan): ExposureRow[] {
  const cached = PLAN_ROWS.get(plan);
  if (cached) return cached;
  const rows = exposureRows(plan.accounts.flatMap((a) => a.changes));
  PLAN_ROWS.set(plan, rows);
  return rows;
}

const mdBadge = (r: ExposureRow): string => RISK_BADGE[r.risk];

const DIRECTIONS: readonly Direction[] = ['opens', 'closes'];

/** How many rows the Opens and Closes tables have at most (cell by cell; merging only makes fewer). */
const planRowCount = (plan: Plan): number =>
  DIRECTIONS.reduce((n, d) => n + directionRows(plan, d, 'cells').length, 0);

/** One direction's rows as the plan's Markdown shows them at a detail. */
const directionRows = (plan: Plan, direction: Direction, detail: RowDetail): RenderedRow[] =>
  renderRows(planRows(plan), direction, detail, plan.accounts, mdText, mdBadge);

/** "Opens" or "Closes": its table, at most `budget.left` rows of it (the rest counted). */
function directionSection(plan: Plan, direction: Direction, detail: RowDetail, budget: { left: number }) {
  const rows = directionRows(plan, direction, detail);
  if (rows.length === 0)
    return direction === 'opens' ? ['', DIRECTION_HEADING.opens, '', 'Nothing opens.'] : [];
  const shown = rows.slice(0, Math.max(0, budget.left));
  budget.left -= shown.length;
  const lines = ['', DIRECTION_HEADING[direction]];
  if (shown.length > 0)
    lines.push(
      '',
      ...tableOf(
        EXPOSURE_HEAD,
        shown.map((r) => r.cells),
      ),
    );
  if (rows.length > shown.length)
    lines.push(
      '',
      `…and ${plural(rows.length - shown.length, 'more row')} that did not fit; see the JSON report.`,
    );
  return lines;
}

/** Every change a person must make in the Console, once per row: what, where, in which accounts. */
function manualSteps(plan: Plan, max: number): string[] {
  return listWithLimit(
    '**Manual steps** (Twilio accepts these only in the Console):',
    planRows(plan).filter((r) => r.kind === 'manual'),
    (r) =>
      `[ ] ${r.to ? 'Enable' : 'Disable'} ${CATEGORY_LABEL[r.category]} for ${countriesLabel(r, mdText)} in ` +
      `${mdText(r.changes[0]?.manual?.consolePath ?? 'the Console')} (${accountsLabel(r.accounts, plan.accounts, mdText)})`,
    max,
  );
}

/** The accounts not read and the countries to decide: said outside the folded detail, at every level. */
function gapsMarkdown(plan: Plan, max: number): string[] {
  return [
    // Accounts that failed alike (a wrong parent token) are one line with their count.
    ...listWithLimit(
      '**Not read** (the plan for these accounts is incomplete):',
      accountErrorLines(planAccountErrors(plan)),
      (line) => line,
      max,
    ),
    ...decisions(
      plan.accounts.flatMap((a) => a.unknown),
      max,
      true,
    ),
  ];
}

/** Each account's cells, folded: the detail a reviewer opens when a row needs it. */
function perAccountDetail(plan: Plan): string[] {
  const accounts = plan.accounts.filter((a) => a.changes.length > 0).length;
  if (accounts === 0) return [];
  return [
    '',
    `<details><summary>Per-account detail: ${plural(accounts, 'account')} with changes</summary>`,
    ...accountSections(plan, 'cells', plan.accounts.length, { changesOnly: true }),
    '',
    '</details>',
  ];
}

/** "Planned commit [`abc1234`](…), live state read at …, in [this run](…)": what the plan was made from. */
function reviewLine(review: MarkdownOptions['review']): string[] {
  if (!review) return [];
  const read = review.readAt ? `live state read at ${mdText(review.readAt)}` : 'live state read time unknown';
  const run = review.runLink ? ` in [this run](${review.runLink})` : '';
  // The time and the run change on every run; an unchanged plan is not rewritten for them.
  return ['', `Planned commit ${commitText(review.commit)}, ${volatile(`${read}${run}`)}.`];
}

/** The plan's Markdown at one level: verdict, guards, opens, closes, manual steps, detail, the rest. */
function planMarkdownAt(plan: Plan, options: MarkdownOptions, level: PlanLevel, rowLimit: number): string {
  const detail = ROW_DETAIL[level];
  const budget = { left: rowLimit };
  // When rows are cut, the lists after them shrink first: the rows are what a merge applies.
  const max = level === 'full' ? 50 : rowLimit < planRowCount(plan) ? 3 : 10;
  return [
    `**${planSummaryLine(plan)}**`,
    ...(options.title ? ['', `## ${mdText(options.title)}`] : []),
    ...reviewLine(options.review),
    ...(options.guards ? ['', options.guards.trim()] : []),
    ...(level === 'full' ? [] : ['', `_${PLAN_LEVEL_NOTE[level]}_`]),
    ...directionSection(plan, 'opens', detail, budget),
    ...directionSection(plan, 'closes', detail, budget),
    ...manualSteps(plan, max),
    ...fleetMarkdown(plan.fleet, level === 'full' ? 50 : 10),
    ...gapsMarkdown(plan, max),
    ...(level === 'full' ? perAccountDetail(plan) : []),
    ...exceptionsAndWarningsMarkdown(plan, level === 'full' ? 'cells' : 'continents', 'all'),
    '',
    `Fingerprint: ${mdCode(plan.fingerprint)}`,
    '',
  ].join('\n');
}

/**
 * The plan for review: the verdict first, then the guard verdict, what opens (critical and high first,
 * always cell by cell), what closes, the manual steps, the per-account detail folded, exceptions and
 * warnings. Over `maxChars` it drops the detail, then reduces medium and low rows, never a critical or
 * high one; when those alone do not fit, it keeps as many whole rows as fit.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  return fitLevels(
    PLAN_LEVELS,
    (level, rowLimit) => planMarkdownAt(plan, options, level, rowLimit),
    options.maxChars ?? DEFAULT_MAX_CHARS,
    planRowCount(plan),
  );
}

/** Each row a plan's Markdown can show for an account's changes, at cell and at continent detail. */
function sectionRows(a: AccountPlan): Map<string, CellChange[]> {
  const rows = new Map<string, CellChange[]>();
  for (const c of a.changes) rows.set(tableRow(cellCells(c)), [c]);
  for (const g of continentGroups(a.changes)) rows.set(tableRow(continentCells(g)), g.changes);
  return rows;
}

/**
 * Where a plan's changes can show: the Opens and Closes tables (each line, at every detail, with the
 * changes of each distinct row that renders as it, in order), and the account sections by heading.
 */
interface RowIndex {
  directions: Map<string, Map<string, CellChange[][]>>;
  sections: Map<string, AccountPlan>;
  rows: Map<AccountPlan, Map<string, CellChange[]>>;
}

// Built once per plan: the sticky comment reads several fittings of the same plan.
const ROW_INDEX = new WeakMap<Plan, RowIndex>();

function directionIndex(plan: Plan, direction: Direction): Map<string, CellChange[][]> {
  const lines = new Map<string, CellChange[][]>();
  for (const detail of ['cells', 'codes', 'continents', 'totals'] as const)
    for (const r of directionRows(plan, direction, detail)) {
      const line = tableRow(r.cells);
      const entries = lines.get(line) ?? [];
      if (!entries.includes(r.changes)) entries.push(r.changes);
      lines.set(line, entries);
    }
  return lines;
}

function rowIndex(plan: Plan): RowIndex {
  const cached = ROW_INDEX.get(plan);
  if (cached) return cached;
  const index: RowIndex = {
    directions: new Map(DIRECTIONS.map((d) => [DIRECTION_HEADING[d], directionIndex(plan, d)])),
    sections: new Map(plan.accounts.filter(hasSection).map((a) => [accountHeading(a), a])),
    rows: new Map(),
  };
  ROW_INDEX.set(plan, index);
  return index;
}

/** The rows under a heading line: an exposure table's or an account section's; null under any other. */
function rowsUnder(index: RowIndex, line: string): Map<string, CellChange[][]> | null {
  const table = index.directions.get(line);
  if (table) return table;
  const section = index.sections.get(line);
  if (!section) return null;
  if (!index.rows.has(section)) index.rows.set(section, sectionRows(section));
  const rows = index.rows.get(section) ?? new Map<string, CellChange[]>();
  return new Map([...rows].map(([l, changes]) => [l, [changes]]));
}

/**
 * The changes of `plan` that a reader of `markdown` (the plan as renderPlanMarkdown wrote it, whole or
 * cut) sees, in plan order: a change is seen when a row standing for it is in the text that shows,
 * HTML comments hidden as GitHub hides them. Those rows are in the Opens and Closes tables (at any
 * detail: a row cell by cell, by codes, per continent or as a total stands for its changes) and in the
 * account sections of the per-account detail. A row cut off, or hidden, leaves its changes out.
 */
export function shownChanges(plan: Plan, markdown: string): CellChange[] {
  const index = rowIndex(plan);
  const shown = new Set<CellChange>();
  let rows: Map<string, CellChange[][]> | null = null;
  let seen = new Map<string, number>();
  for (const line of visibleMarkdown(markdown).split('\n')) {
    if (/^#{1,6}\s/.test(line)) {
      rows = rowsUnder(index, line);
      seen = new Map();
      continue;
    }
    const entries = rows?.get(line);
    if (!entries) continue;
    // Two distinct rows can render alike: each occurrence shows the next.
    const n = seen.get(line) ?? 0;
    seen.set(line, n + 1);
    for (const c of entries[Math.min(n, entries.length - 1)] ?? []) shown.add(c);
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
