// The clean-up pull request (issue 15, item 2), exposure first: what the expired exceptions it removes
// still leave open live, then every entry it removes with the account, permission, country, when it
// expired, its reason, ticket and policy line, then the lists it leaves empty and what it could not
// remove. Every policy-sourced string is escaped here.
import { countryInfo } from '../catalog/index.js';
import type {
  ExpiredCellOutcome,
  ExpiredCellState,
  ExpiredCleanup,
  RemovedException,
} from '../model/cleanup.js';
import type { CellCategory, RiskTier } from '../model/plan.js';
import { cellExposure, RISK_ORDER } from '../plan/exposure.js';
import { mdCode, mdText, oneLine } from './escape.js';
import { CATEGORY_LABEL, plural, where } from './format.js';
import { RISK_BADGE, tableOf, volatile } from './markdown.js';

export interface CleanupPrInput {
  cleanup: ExpiredCleanup;
  /** What the run knows of each expired exception's cells (plan/expired-cells.ts, or the run's enforcement). */
  cells: readonly ExpiredCellState[];
  /** The branch the pull request comes from, which every run resets. */
  branch: string;
  runLink: string;
}

/** One row: one list an entry granted (or the entry alone, when no list uses it). */
interface Row {
  entry: RemovedException;
  account: string | null;
  list: string | null;
  outcome: ExpiredCellOutcome | null;
  risk: RiskTier | null;
}

const NO_GUARDS = { neverDisable: {}, neverEnable: {} };

/** The risk of a cell an expired exception granted while it is open (an exception is one country: no continent). */
function riskOf(list: string, country: string): RiskTier | null {
  if (!(list in CATEGORY_LABEL) || list === 'voice.inherit') return null;
  const category = list as Exclude<CellCategory, 'voice.inherit'>;
  return cellExposure({ category, country, opens: true, viaContinent: false, lastRoute: false }, NO_GUARDS)
    .risk;
}

/** Most exposed first: still open (by risk), disabled by this run, not read, then not open. */
const OUTCOME_ORDER: readonly (ExpiredCellOutcome | null)[] = [
  'still open',
  'disabled',
  'not read',
  'not open',
  null,
];
const rank = (r: Row): number[] => [
  OUTCOME_ORDER.indexOf(r.outcome),
  r.outcome === 'still open' && r.risk ? RISK_ORDER.indexOf(r.risk) : 0,
];

function rowsOf(input: CleanupPrInput): Row[] {
  const state = new Map(input.cells.map((c) => [`${c.account}|${c.list}|${c.country}`, c.outcome]));
  const rows = input.cleanup.removed.flatMap((entry): Row[] =>
    entry.uses.length === 0
      ? [{ entry, account: null, list: null, outcome: null, risk: null }]
      : entry.uses.map((u) => ({
          entry,
          account: u.account,
          list: u.list,
          outcome: state.get(`${u.account}|${u.list}|${entry.country}`) ?? 'not read',
          risk: riskOf(u.list, entry.country),
        })),
  );
  return rows
    .map((row, i) => ({ row, i, key: rank(row) }))
    .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.i - b.i)
    .map((x) => x.row);
}

const LIVE_WORDS: Record<ExpiredCellOutcome, string> = {
  'still open': 'still open',
  disabled: 'disabled by this run',
  'not read': 'not read by this run',
  'not open': 'not open beyond the policy',
};

function liveCell(row: Row): string {
  if (row.outcome === null) return 'no list uses it';
  if (row.outcome === 'still open' && row.risk) return `${RISK_BADGE[row.risk]}: still open`;
  return LIVE_WORDS[row.outcome];
}

const countryText = (code: string): string => {
  const name = countryInfo(code)?.name;
  return name ? `${mdText(code)} ${mdText(name)}` : mdText(code);
};

const permissionText = (list: string): string =>
  list in CATEGORY_LABEL ? CATEGORY_LABEL[list as CellCategory] : mdText(list);

/** The verdict: what is still open live first, with its risks, then what this run disabled and did not read. */
function verdictLine(rows: readonly Row[]): string {
  const cells = (outcome: ExpiredCellOutcome) => rows.filter((r) => r.outcome === outcome);
  const open = cells('still open');
  const disabled = cells('disabled').length;
  const unread = cells('not read').length;
  const risks = RISK_ORDER.map((risk) => [risk, open.filter((r) => r.risk === risk).length] as const)
    .filter(([, n]) => n > 0)
    .map(([risk, n]) => `${n} ${risk}`);
  const parts = [
    open.length > 0
      ? `Still open live: ${plural(open.length, 'cell')} an expired exception granted (${risks.join(', ')})`
      : 'Nothing an expired exception granted is open beyond the policy',
    ...(disabled > 0 ? [`${plural(disabled, 'cell')} disabled by this run`] : []),
    ...(unread > 0 ? [`${plural(unread, 'cell')} not read by this run`] : []),
  ];
  return `**${parts.join('; ')}.**`;
}

function removedTable(input: CleanupPrInput, rows: readonly Row[]): string[] {
  return tableOf(
    ['live', 'account', 'permission', 'country', 'expired on', 'reason', 'ticket', 'policy line'],
    rows.map((r) => [
      liveCell(r),
      r.account === null ? '-' : mdText(r.account),
      r.list === null ? '-' : permissionText(r.list),
      countryText(r.entry.country),
      mdText(r.entry.expires),
      r.entry.reason === null ? '' : mdText(r.entry.reason),
      r.entry.ticket === null ? '' : mdText(r.entry.ticket),
      `${mdCode(where(r.entry.location))} ${mdCode(r.entry.list)}`,
    ]),
  );
}

/** What an emptied list now means: an empty list allows nothing, and is not the default list. */
function emptiedLine(list: string, at: string): string {
  const path = `${mdCode(list)} (${mdCode(at)}) is now ${mdCode('[]')}: that list allows nothing`;
  if (list.startsWith('groups.')) return `${path}; the lists using the group get nothing from it.`;
  if (list.startsWith('defaults.'))
    return `${path}, for every account without a list of its own of that name.`;
  return `${path}, as it has since its exception expired (it is kept: without it the default list would apply).`;
}

/** The pull request's description (markers aside, which github/ adds). */
export function cleanupPrMarkdown(input: CleanupPrInput): string {
  const { cleanup } = input;
  const rows = rowsOf(input);
  const file = mdCode(cleanup.policyFile);
  const lines = [
    `### Expired exceptions: ${file}`,
    '',
    verdictLine(rows),
    '',
    `This pull request removes ${plural(cleanup.removed.length, 'expired exception')} from ${file}. An expired ` +
      'exception already grants nothing (plan, apply and drift treat it as absent), so merging changes no ' +
      'permission; it ends the error `validate` reports for each one on every pull request.' +
      (rows.some((r) => r.outcome === 'still open')
        ? ' What is still open live is drift: the drift issue tracks it, and applying the policy (or ' +
          '`on-drift: revert`) closes it.'
        : ''),
    '',
    ...removedTable(input, rows),
  ];
  if (cleanup.emptied.length > 0)
    lines.push(
      '',
      '#### Lists left empty',
      '',
      ...cleanup.emptied.map((e) => `- ${emptiedLine(e.list, where(e.location))}`),
    );
  if (cleanup.left.length > 0)
    lines.push(
      '',
      '#### Expired but not removed (remove by hand)',
      '',
      ...cleanup.left.map(
        (l) =>
          `- ${countryText(l.country)}, expired ${mdText(l.expires)}, in ${mdCode(l.list)} ` +
          `(${mdCode(where(l.location))}): ${mdText(l.why)}`,
      ),
    );
  lines.push(
    '',
    `This pull request is kept current by the drift scan (${volatile(`[last written by this run](${input.runLink})`)}): ` +
      `on every run that finds the expired exceptions changed, the branch ${mdCode(input.branch)} is reset to ` +
      'the default branch and the file rewritten; once no exception is expired, the pull request is closed ' +
      'and its branch deleted. A commit pushed to the branch stops that: the action then leaves the branch ' +
      'and this pull request as they are. To keep an exception instead, extend its `expires` on the default ' +
      'branch.',
  );
  return lines.join('\n') + '\n';
}

/** The pull request's title, on one line. */
export function cleanupPrTitle(policyFile: string): string {
  return oneLine(`Remove expired geo permission exceptions from ${policyFile}`);
}
