// Accounts that could not be read (or applied), grouped by their error: a wrong parent token makes every
// account fail with the same message, which a report says once with the count and the accounts, not once
// per account. Used by the drift report here and by the plan and apply reports.
import type { Plan } from '../model/plan.js';
import { mdCode, mdText, termText } from './escape.js';
import { plural, type Escape } from './format.js';

/** One account's failure, as the plan (`AccountPlan.error`) and the apply result (`accountErrors`) hold it. */
export interface AccountError {
  account: string;
  sid: string;
  message: string;
}

/** Accounts that failed with the same message, in the order they came. */
export interface AccountErrorGroup {
  /**
   * The message they share. For one account, its message as it was; for several, each account's own SID
   * written as `AC…` (a message names the account it acted for, so it differs only by that SID).
   */
  message: string;
  accounts: Array<{ account: string; sid: string }>;
}

export interface AccountErrorOptions {
  /** What happened to them, after "N accounts": "not read" (the default), "failed". */
  what?: string;
  /** How many account names a group's line shows before "and N more" (3 unless told). */
  names?: number;
}

/** A message with the account's own SID in it written as `AC…`, so accounts that failed alike group. */
const withoutOwnSid = (e: AccountError): string =>
  e.sid.length > 2 ? e.message.split(e.sid).join(`${e.sid.slice(0, 2)}…`) : e.message;

/** The errors grouped by message (without each account's own SID), the largest group first, then as they came. */
export function groupAccountErrors(errors: readonly AccountError[]): AccountErrorGroup[] {
  const groups = new Map<string, { first: AccountError; accounts: AccountErrorGroup['accounts'] }>();
  for (const e of errors) {
    const key = withoutOwnSid(e);
    const group = groups.get(key) ?? { first: e, accounts: [] };
    group.accounts.push({ account: e.account, sid: e.sid });
    groups.set(key, group);
  }
  return [...groups.entries()]
    .map(([key, g]) => ({ message: g.accounts.length === 1 ? g.first.message : key, accounts: g.accounts }))
    .sort((a, b) => b.accounts.length - a.accounts.length);
}

/** The accounts of a plan that could not be read, with their errors. */
export const planAccountErrors = (plan: Plan): AccountError[] =>
  plan.accounts.flatMap((a) =>
    a.error === null ? [] : [{ account: a.account, sid: a.sid, message: a.error }],
  );

/** "prod-a, prod-b, prod-c and 9 more": the first names, then how many are not named. */
function names(accounts: AccountErrorGroup['accounts'], max: number, esc: Escape): string {
  const shown = accounts.slice(0, Math.max(1, max)).map((a) => esc(a.account));
  const rest = accounts.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** One line per group, in a format's words: a single account names its SID, a group its count and names. */
function groupLines(
  errors: readonly AccountError[],
  options: AccountErrorOptions,
  esc: Escape,
  code: Escape,
): string[] {
  const what = options.what ?? 'not read';
  return groupAccountErrors(errors).map((g) => {
    const [only] = g.accounts;
    if (g.accounts.length === 1 && only)
      return `${esc(only.account)} ${code(only.sid)}: ${what}: ${esc(g.message)}`;
    return `${plural(g.accounts.length, 'account')} ${what}: ${esc(g.message)} (${names(g.accounts, options.names ?? 3, esc)})`;
  });
}

/** Markdown: a line per group ("12 accounts not read: HTTP 401 … (prod-a, prod-b, prod-c and 9 more)"). */
export const accountErrorLines = (
  errors: readonly AccountError[],
  options: AccountErrorOptions = {},
): string[] => groupLines(errors, options, mdText, mdCode);

/** Markdown: a list item per group. */
export const accountErrorsMarkdown = (
  errors: readonly AccountError[],
  options: AccountErrorOptions = {},
): string[] => accountErrorLines(errors, options).map((line) => `- ${line}`);

/** Terminal text: a line per group, unindented, every sourced string through termText. */
export const accountErrorsText = (
  errors: readonly AccountError[],
  options: AccountErrorOptions = {},
): string[] => groupLines(errors, options, termText, (sid) => `(${termText(sid)})`);
