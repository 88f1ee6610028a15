// The drift report, review-first: the verdict (what is open live beyond the policy, by risk), what is
// open beyond the policy (critical first, the same drift in many accounts one row), what is narrower
// (service impact), then each account's cells with who changed them. Also the drift section of the job
// summary and the drift issue's text.
import type { DriftItem, DriftReport, RiskNote } from '../model/plan.js';
import { DIRECTION_ORDER, RISK_ORDER } from '../plan/exposure.js';
import { accountErrorsMarkdown, accountErrorsText, planAccountErrors } from './account-errors.js';
import {
  accountsLabel,
  countriesLabel,
  exposureRows,
  type ExposureRow,
  type Fleet,
} from './exposure-groups.js';
import {
  CATEGORY_LABEL,
  country,
  noCellDrift,
  withFleet,
  describeActor,
  named,
  plural,
  valueLabel,
  type Escape,
} from './format.js';
import { mdCode, mdText, oneLine, termText } from './escape.js';
import { isSevere } from './exposure-table.js';
import { JSON_SCHEMA_VERSION, stringify } from './json.js';
import {
  DEFAULT_MAX_CHARS,
  RISK_BADGE,
  fitLevels,
  heading,
  listWithLimit,
  tableOf,
  type MarkdownOptions,
} from './markdown.js';
import { exceptionsAndWarningsMarkdown, exceptionsAndWarningsText } from './plan.js';
import { driftExceptionsMarkdown, driftExceptionsText } from './exceptions.js';
import { cannotWriteLine, expiredMarkdown, expiredText, expiredVerdict } from './expired.js';
import { fleetMarkdown, fleetText } from './fleet.js';
import { RISK_STYLE, painter, table, type Paint, type TextOptions } from './text.js';

// ---- words ----

/** The first line of every drift report: what is open beyond the policy by risk, then what is narrower. */
export function driftVerdictLine(report: DriftReport): string {
  return cellVerdict(report) + expiredVerdict(report);
}

function cellVerdict(report: DriftReport): string {
  const accounts = report.plan.summary.accounts;
  const partial = report.complete
    ? ''
    : ` Incomplete scan: ${plural(report.plan.summary.errors, 'account')} not read.`;
  if (report.items.length === 0) return noCellDrift(report, partial);
  const { opens, closes, opensByRisk } = report.exposure;
  const risks = RISK_ORDER.filter((r) => opensByRisk[r] > 0).map((r) => `${opensByRisk[r]} ${r}`);
  const parts: string[] = [];
  if (opens > 0) parts.push(`${plural(opens, 'cell')} open beyond the policy (${risks.join(', ')})`);
  if (closes > 0)
    parts.push(
      opens > 0
        ? `${closes} narrower (service impact)`
        : `${plural(closes, 'cell')} narrower than the policy (service impact)`,
    );
  if (parts.length === 0) parts.push(`${plural(report.items.length, 'setting')} differ from the policy`);
  const drifted = new Set(report.items.map((i) => i.sid)).size;
  const attributed = report.items.filter((i) => i.attribution).length;
  return withFleet(
    `Drift: ${parts.join(', ')}, in ${drifted} of ${plural(accounts, 'account')}; ${attributed} attributed.${partial}`,
    report.plan.fleet,
  );
}

type DriftRow = ExposureRow<DriftItem>;

/** Why a drifted row is as risky as it is, from the live side (drift never opens a continent or a last route). */
const NOTE_WORDS: Record<RiskNote, string> = {
  continent: 'a whole continent',
  never_enable: 'in guards.never_enable',
  never_disable: 'protected by guards.never_disable',
  last_route: 'its last route',
  unknown_parent: "the parent's lists could not be read",
};

/**
 * The permission and how it differs live: "voice high-risk toll-fraud through voice inheritance turned
 * off" (live has its own lists where the policy inherits the parent's: these are the routes it opened),
 * "… turned on" (live inherits where the policy sets its own lists).
 */
function permission(r: DriftRow): string {
  if (r.category === 'voice.inherit')
    return `${CATEGORY_LABEL[r.category]} turned ${r.from ? 'on' : 'off'} live`;
  const via =
    r.via === 'join'
      ? ' through voice inheritance turned off'
      : r.via === 'leave'
        ? ' through voice inheritance turned on'
        : '';
  return CATEGORY_LABEL[r.category] + via;
}

const riskWords = (r: DriftRow): string => (r.note ? ` (${NOTE_WORDS[r.note]})` : '');

/** Who set a cell, without when: the actor (and IP) of its event, or why there is none. */
function actor(item: DriftItem, lookbackDays: number, esc: Escape): string {
  const full = describeActor(item, lookbackDays, esc);
  const at = item.attribution ? ` at ${esc(item.attribution.eventDate)}` : '';
  return at && full.endsWith(at) ? full.slice(0, -at.length) : full;
}

/** The distinct actors of a row's drift items, up to three. */
const actors = (items: readonly DriftItem[], lookbackDays: number, esc: Escape): string =>
  named([...new Set(items.map((i) => actor(i, lookbackDays, esc)))], 3);

const policyValue = (r: DriftRow): string =>
  valueLabel(r.to, r.category) + (r.kind === 'manual' ? ' (manual step)' : '');

/**
 * The accounts of a row, by name ("all 39 subaccounts of prod" when shorter), at most `max` names for
 * medium and low rows; a critical or high row names every account.
 */
function accountsOf(r: DriftRow, fleet: Fleet, esc: Escape, max: number): string {
  const names = r.accounts.map((a) => esc(a.account));
  const label = accountsLabel(r.accounts, fleet, esc);
  if (label !== names.join(', ')) return label;
  // What is open critical or high is never "and 5 more".
  return isSevere(r) ? names.join(', ') : named(names, max);
}

/**
 * The items account by account (in report order), each account's open cells first, critical first: the
 * order of the per-account detail.
 */
function byExposure(items: readonly DriftItem[]): DriftItem[] {
  const account = new Map<string, number>();
  for (const i of items) if (!account.has(i.sid)) account.set(i.sid, account.size);
  const rank = (i: DriftItem): number[] => [
    account.get(i.sid) ?? 0,
    DIRECTION_ORDER.indexOf(i.direction),
    RISK_ORDER.indexOf(i.risk),
  ];
  return items
    .map((item, n) => ({ item, key: [...rank(item), n] }))
    .sort((a, b) => {
      const k = a.key.findIndex((v, x) => v !== b.key[x]);
      return k < 0 ? 0 : (a.key[k] ?? 0) - (b.key[k] ?? 0);
    })
    .map((e) => e.item);
}

// ---- text ----

function rowsText(rows: readonly DriftRow[], fleet: Fleet, paint: Paint): string[] {
  const cells = table(
    rows.map((r) => [
      r.risk + riskWords(r),
      permission(r),
      countriesLabel(r, termText),
      `live ${valueLabel(r.from, r.category)}, policy ${policyValue(r)}`,
      `in ${accountsOf(r, fleet, termText, 10)}`,
    ]),
  );
  return cells.map((line, i) => paint(RISK_STYLE[rows[i]?.risk ?? 'low'], line));
}

/** Each drifted account, each cell with who changed it (the attribution per cell). */
function detailText(report: DriftReport, paint: Paint): string[] {
  const lines: string[] = [];
  let current = '';
  for (const item of byExposure(report.items)) {
    if (item.sid !== current) {
      current = item.sid;
      lines.push('', paint('bold', `${termText(item.account)} (${termText(item.sid)})`));
    }
    const manual = item.kind === 'manual' ? ` [manual: ${item.manual?.consolePath}]` : '';
    lines.push(
      `  ${CATEGORY_LABEL[item.category]} ${country(item, termText)}: live ${valueLabel(item.from, item.category)}, policy ${valueLabel(item.to, item.category)}${manual}`,
      `    changed by: ${describeActor(item, report.lookbackDays, termText)}`,
    );
  }
  return lines;
}

export function renderDriftText(report: DriftReport, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const rows = exposureRows(report.items);
  const fleet = report.plan.accounts;
  const open = rows.filter((r) => r.direction === 'opens');
  const narrower = rows.filter((r) => r.direction === 'closes');
  const worst = open[0]?.risk;
  const lines = [
    paint(worst ? RISK_STYLE[worst] : report.items.length > 0 ? 'yellow' : 'green', driftVerdictLine(report)),
    `Fingerprint: ${report.fingerprint}`,
    ...(report.notices ?? []).map((n) => paint('yellow', `Note: ${termText(n)}`)),
    ...accountErrorsText(planAccountErrors(report.plan)).map((l) => paint('red', l)),
    ...[cannotWriteLine(report.expired)].flatMap((l) => (l ? [paint('yellow', termText(l))] : [])),
  ];
  if (open.length > 0)
    lines.push('', paint('bold', 'Open beyond the policy:'), ...rowsText(open, fleet, paint));
  lines.push(...expiredText(report, paint));
  if (narrower.length > 0)
    lines.push(
      '',
      paint('bold', 'Narrower than the policy (service impact):'),
      ...rowsText(narrower, fleet, paint),
    );
  lines.push(...fleetText(report.plan.fleet, paint));
  if (report.items.length > 0) lines.push('', paint('bold', 'Per account, who changed each cell:'));
  lines.push(...detailText(report, paint));
  for (const a of report.plan.accounts)
    for (const u of a.unknown)
      lines.push(
        `  ${termText(a.account)}: Twilio lists ${termText(u.country)} (${CATEGORY_LABEL[u.category]}), unknown to the catalog: decide`,
      );
  lines.push(...driftExceptionsText(report));
  lines.push(...exceptionsAndWarningsText(report.plan, report.exceptions ? 'none' : 'soon'), '');
  return lines.join('\n');
}

// ---- markdown ----

/**
 * How much a drift body shows, most first: every row and each account's detail; the rows only; the
 * medium and low rows with country codes and fewer names; the medium and low rows as counts. Critical
 * and high rows are shown cell by cell at every level.
 */
type DriftLevel = 'detail' | 'rows' | 'codes' | 'counts';
const LEVELS: readonly [DriftLevel, ...DriftLevel[]] = ['detail', 'rows', 'codes', 'counts'];

const LEVEL_NOTE: Record<DriftLevel, string> = {
  detail: '',
  rows: 'Per-account detail left out to stay under the size limit; the JSON report has every cell and its attribution.',
  codes:
    'Per-account detail left out and medium and low rows shortened to stay under the size limit; the JSON report has every cell.',
  counts:
    'Per-account detail left out and medium and low rows counted to stay under the size limit; critical and high rows are all shown; the JSON report has every cell.',
};

const ROW_HEAD = ['risk', 'permission', 'countries', 'accounts', 'live', 'policy', 'changed by'];

/** What a rendering of the rows needs besides them. */
interface RowContext {
  fleet: Fleet;
  lookbackDays: number;
}

function rowCells(r: DriftRow, short: boolean, ctx: RowContext): string[] {
  return [
    RISK_BADGE[r.risk] + riskWords(r),
    permission(r),
    countriesLabel(r, mdText, short),
    accountsOf(r, ctx.fleet, mdText, short ? 5 : 10),
    valueLabel(r.from, r.category),
    policyValue(r),
    actors(r.changes, ctx.lookbackDays, mdText),
  ];
}

/** Medium and low rows counted: one row per risk, permission and values, with how many cells, countries and accounts. */
function countedRows(rows: readonly DriftRow[], ctx: RowContext): string[][] {
  const groups = new Map<
    string,
    { row: DriftRow; cells: number; countries: Set<string>; accounts: Set<string>; items: DriftItem[] }
  >();
  for (const r of rows) {
    const key = [r.risk, r.category, r.via, r.from, r.to, r.kind].join('|');
    const g = groups.get(key) ?? {
      row: r,
      cells: 0,
      countries: new Set<string>(),
      accounts: new Set<string>(),
      items: [],
    };
    g.cells += r.cells;
    for (const c of r.countries) g.countries.add(c.country);
    for (const a of r.accounts) g.accounts.add(a.sid);
    g.items.push(...r.changes);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ row, cells, countries, accounts, items }) => [
    RISK_BADGE[row.risk] + riskWords(row),
    permission(row),
    countries.size > 0
      ? `${plural(cells, 'cell')} in ${plural(countries.size, 'country', 'countries')}`
      : plural(cells, 'cell'),
    plural(accounts.size, 'account'),
    valueLabel(row.from, row.category),
    policyValue(row),
    actors(items, ctx.lookbackDays, mdText),
  ]);
}

/** A section's table at a level; `severeLimit` caps its critical and high rows (the last resort). */
function rowsTable(
  rows: readonly DriftRow[],
  level: DriftLevel,
  ctx: RowContext,
  severeLimit: number,
): string[] {
  const severe = rows.filter(isSevere);
  const rest = rows.filter((r) => !isSevere(r));
  const shownSevere = severe.slice(0, severeLimit);
  const short = level === 'codes' || level === 'counts';
  const body = [
    ...shownSevere.map((r) => rowCells(r, false, ctx)),
    ...(level === 'counts' ? countedRows(rest, ctx) : rest.map((r) => rowCells(r, short, ctx))),
  ];
  const lines = tableOf(ROW_HEAD, body);
  if (severe.length > shownSevere.length)
    lines.push(
      '',
      `…and ${plural(severe.length - shownSevere.length, 'more critical or high row')}: they do not fit in this body; the JSON report has every cell.`,
    );
  return lines;
}

/** Each drifted account's cells with who changed each, folded. */
function detailMarkdown(report: DriftReport): string[] {
  const byAccount = new Map<string, DriftItem[]>();
  for (const i of byExposure(report.items)) byAccount.set(i.sid, [...(byAccount.get(i.sid) ?? []), i]);
  if (byAccount.size === 0) return [];
  const lines = [
    '',
    `<details><summary>Per account: who changed each cell (${plural(byAccount.size, 'account')})</summary>`,
  ];
  for (const items of byAccount.values()) {
    lines.push('', `##### ${mdText(items[0]?.account ?? '')} ${mdCode(items[0]?.sid ?? '')}`, '');
    lines.push(
      ...tableOf(
        ['risk', 'permission', 'country', 'live', 'policy', 'changed by'],
        items.map((i) => [
          RISK_BADGE[i.risk],
          CATEGORY_LABEL[i.category],
          country(i, mdText),
          valueLabel(i.from, i.category),
          valueLabel(i.to, i.category) + (i.kind === 'manual' ? ' (manual step)' : ''),
          describeActor(i, report.lookbackDays, mdText),
        ]),
      ),
    );
  }
  return [...lines, '', '</details>'];
}

function unknownMarkdown(report: DriftReport, level: DriftLevel): string[] {
  return report.plan.accounts.flatMap((a) =>
    listWithLimit(
      `**Decisions to take** in ${mdText(a.account)}: Twilio lists these, the catalog does not know them:`,
      a.unknown,
      (u) => `${mdText(u.country)}, ${CATEGORY_LABEL[u.category]}${u.enabledLive ? ', enabled live' : ''}`,
      level === 'detail' ? 50 : 5,
    ),
  );
}

function renderAt(
  report: DriftReport,
  options: MarkdownOptions,
  level: DriftLevel,
  severeLimit: number,
): string {
  const rows = exposureRows(report.items);
  const open = rows.filter((r) => r.direction === 'opens');
  const narrower = rows.filter((r) => r.direction === 'closes');
  const errors = accountErrorsMarkdown(planAccountErrors(report.plan));
  const ctx: RowContext = { fleet: report.plan.accounts, lookbackDays: report.lookbackDays };
  return [
    ...heading(driftVerdictLine(report), report.fingerprint, options.title),
    // Said near the top: a lookback longer than Monitor keeps can miss who changed a cell.
    ...(report.notices ?? []).flatMap((n) => ['', `> ${mdText(n)}`]),
    ...(errors.length > 0 ? ['', ...errors] : []),
    ...[cannotWriteLine(report.expired)].flatMap((l) => (l ? ['', `> ${mdText(l)}`] : [])),
    ...(level === 'detail' ? [] : ['', `_${LEVEL_NOTE[level]}_`]),
    ...(open.length > 0
      ? ['', '#### Open beyond the policy', '', ...rowsTable(open, level, ctx, severeLimit)]
      : []),
    // What the run closed is a close (low), after what is open and never hidden; then what stays open.
    ...expiredMarkdown(report, level === 'detail' ? 50 : 10),
    ...(narrower.length > 0
      ? [
          '',
          '#### Narrower than the policy (service impact)',
          '',
          ...rowsTable(narrower, level, ctx, Infinity),
        ]
      : []),
    ...fleetMarkdown(report.plan.fleet, level === 'detail' ? 50 : 10),
    ...(level === 'detail' ? detailMarkdown(report) : []),
    ...unknownMarkdown(report, level),
    ...driftExceptionsMarkdown(report, level === 'detail' ? 50 : 10),
    ...exceptionsAndWarningsMarkdown(
      report.plan,
      level === 'detail' ? 'cells' : 'totals',
      report.exceptions ? 'none' : 'soon',
    ),
    '',
  ].join('\n');
}

/**
 * The drift report in Markdown, under `maxChars`: the first level that fits (markdown.ts `fitLevels`);
 * past the last, as many critical and high rows as fit, saying how many more there are (only a body too
 * small for them gets there).
 */
export function renderDriftMarkdown(report: DriftReport, options: MarkdownOptions = {}): string {
  return fitLevels(
    LEVELS,
    (level, severeLimit) => renderAt(report, options, level, severeLimit),
    options.maxChars ?? DEFAULT_MAX_CHARS,
    report.items.length + report.exposure.opens,
  );
}

// ---- json ----

/** The drift report; its `plan` is embedded without the duplicate change list (the items carry it). */
export function driftToJson(report: DriftReport): string {
  const { plan, ...rest } = report;
  return stringify({
    kind: 'drift',
    ...rest,
    schemaVersion: JSON_SCHEMA_VERSION,
    summary: plan.summary,
    accounts: plan.accounts.map(({ changes: _changes, ...account }) => account),
    expiring: plan.expiring,
    ...(plan.expiry ? { expiry: plan.expiry } : {}),
    warnings: plan.warnings,
    ...(plan.fleet ? { fleet: plan.fleet } : {}),
  });
}

// ---- the action's drift section and issue ----

/** The drift report as the job summary and the drift issue show it: headed by the policy file. */
export function driftSection(report: DriftReport, options: MarkdownOptions = {}): string {
  return `### Twilio geo permissions drift: ${mdCode(report.policyFile)}\n\n${renderDriftMarkdown(report, options)}`;
}

/** The drift issue's title: one issue per policy file (and shard, when the scan is sharded), on one line. */
export function driftIssueTitle(policyFile: string, shard: string | null): string {
  return oneLine(`Geo permissions drift: ${policyFile}${shard ? ` (shard ${shard})` : ''}`);
}

/** The drift issue's text: the report, then where it came from, how it stays current and how to fix it. */
export function driftIssueText(driftMarkdown: string, runLink: string): string {
  return [
    driftMarkdown.trimEnd(),
    '',
    `Found by [this scan](${runLink}). This issue is kept up to date by the scheduled drift scan and closed ` +
      'automatically after a complete scan finds no drift. To fix it, either apply the policy (merge a change, ' +
      'or run the action with `on-drift: revert`) or change the policy to accept the live values.',
  ].join('\n');
}
