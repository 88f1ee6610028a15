// Reports for terminals: aligned columns, ANSI colour only when asked (the CLI asks on a TTY).
import { formatDiagnostic } from '../model/diagnostics.js';
import type { ApplyResult, CellChange, CellOutcome, DriftReport, Plan, RiskTier } from '../model/plan.js';
import {
  CATEGORY_LABEL,
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
import { EXPIRY_WARNING_DAYS } from '../model/defaults.js';

export interface TextOptions {
  color: boolean;
}

const ANSI = { red: 31, yellow: 33, green: 32, cyan: 36, dim: 2, bold: 1 } as const;
type Paint = (style: keyof typeof ANSI, text: string) => string;
const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;

const RISK_STYLE: Record<RiskTier, keyof typeof ANSI> = {
  critical: 'red',
  high: 'yellow',
  medium: 'cyan',
  low: 'dim',
};
const OUTCOME_STYLE: Record<CellOutcome, keyof typeof ANSI> = {
  verified: 'green',
  failed: 'red',
  manual: 'yellow',
  skipped: 'yellow',
};

/** Pads every column but the last so rows line up. */
function table(rows: string[][], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join('  ')
        .trimEnd(),
  );
}

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

function trailer(plan: Plan, soon: boolean): string[] {
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

export function renderPlanText(plan: Plan, options: TextOptions): string {
  const paint = painter(options.color);
  return [
    paint('bold', planSummaryLine(plan)),
    `Fingerprint: ${plan.fingerprint}`,
    ...planBody(plan, paint),
    ...trailer(plan, false),
    '',
  ].join('\n');
}

export function renderApplyText(result: ApplyResult, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const lines = [
    paint(result.ok ? 'green' : 'red', applySummaryLine(result)),
    `Fingerprint: ${result.fingerprint}`,
  ];
  for (const e of result.accountErrors) lines.push(paint('red', `${e.account} (${e.sid}): ${e.message}`));
  const rows = table(
    result.cells.map((c) => [
      c.outcome,
      c.account,
      CATEGORY_LABEL[c.category],
      country(c),
      transition(c),
      cellDetail(c),
    ]),
  );
  if (rows.length > 0) lines.push('');
  result.cells.forEach((c, i) => lines.push(paint(OUTCOME_STYLE[c.outcome], rows[i] ?? '')));
  return [...lines, ''].join('\n');
}

export function renderDriftText(report: DriftReport, options: TextOptions = { color: false }): string {
  const paint = painter(options.color);
  const lines = [
    paint(report.items.length > 0 ? 'yellow' : 'green', driftSummaryLine(report)),
    `Fingerprint: ${report.fingerprint}`,
  ];
  for (const a of report.plan.accounts.filter((x) => x.error !== null))
    lines.push(paint('red', `${a.account} (${a.sid}): not read: ${a.error}`));
  let current = '';
  for (const item of report.items) {
    if (item.account !== current) {
      current = item.account;
      lines.push('', paint('bold', `${item.account} (${item.sid})`));
    }
    const policy = item.kind === 'manual' ? ` [manual: ${item.manual?.consolePath}]` : '';
    lines.push(
      `  ${CATEGORY_LABEL[item.category]} ${country(item)}: live ${transition(item).replace(' -> ', ', policy ')}${policy}`,
      `    changed by: ${describeActor(item.attribution)}`,
    );
  }
  for (const a of report.plan.accounts)
    for (const u of a.unknown)
      lines.push(
        `  ${a.account}: Twilio lists ${u.country} (${CATEGORY_LABEL[u.category]}), unknown to the catalog: decide`,
      );
  lines.push(...trailer(report.plan, true), '');
  return lines.join('\n');
}
