/**
 * The one table from a Twilio refusal (401/403/404/429 with its code) to a cause the user can act
 * on. Each row says when it applies; the first that does gives the hint, and a refusal no row fits
 * gets none (a 5xx, a 400 whose message already says it). Sources per row: docs/emulator.md,
 * "Refusals and their hints"; tested case by case in test/twilio/hints.test.ts.
 */

/** Where the credentials of a request came from, which decides what the user can change. */
export type CredentialOrigin =
  /** The main credentials (TWILIO_ACCOUNT_SID with its token or key), acting on their own account. */
  | 'own'
  /** Per-account credentials (TWILIO_CREDENTIALS, `twilio-credentials`). */
  | 'given'
  /** A subaccount's auth token read through its parent's credentials. */
  | 'derived';

export interface Refusal {
  status: number;
  /** Twilio's error code from the body, null without one. */
  code: number | null;
  method: string;
  /** The request path, e.g. /2010-04-01/Accounts/AC…/Balance.json. */
  path: string;
  /** The account the credentials act as. */
  account: string;
  credential: 'authToken' | 'apiKey';
  origin: CredentialOrigin;
}

interface HintRow {
  /** A name for tests and docs. */
  cause: string;
  applies(r: Refusal): boolean;
  hint(r: Refusal): string;
}

const V2010_ACCOUNT = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})/;
/** The Account and Key resources: only auth tokens and Main keys may call them. */
const MAIN_KEY_ONLY = /^\/2010-04-01\/Accounts(\.json$|\/AC[0-9a-fA-F]{32}(\.json$|\/Keys\b))/;

const pathAccount = (r: Refusal): string | null => V2010_ACCOUNT.exec(r.path)?.[1] ?? null;
const otherAccount = (r: Refusal): string | null => {
  const named = pathAccount(r);
  return named !== null && named !== r.account ? named : null;
};
/** A path as Twilio's OpenAPI templates it: /2010-04-01/Accounts/{AccountSid}/…, /v1/Services/{Sid}. */
const pathTemplate = (path: string): string =>
  path.replace(/AC[0-9a-fA-F]{32}/g, '{AccountSid}').replace(/\b(MG|PN)[0-9a-fA-F]{32}/g, '{Sid}');
const is20003 = (r: Refusal) => r.status === 401 && (r.code === 20003 || r.code === null);

/** Said of every 20003: Twilio gives the same answer for these whatever the credentials. */
const ALSO_20003 =
  'Twilio answers the same 20003 when the account is suspended or closed, and when the credentials were made in another Twilio Region than the one requested (credentials are valid only in their own Region)';

function mainKeyNeed(r: Refusal): string {
  if (r.path === '/2010-04-01/Accounts.json')
    return `listing the subaccounts of ${r.account} (the subaccount discovery of plan, apply and drift, and export without --account) needs its auth token or a Main API key; with Standard or Restricted keys, discovery cannot see unmanaged subaccounts, or set "unmanaged: ignore" and declare no fleets`;
  const sub = otherAccount(r);
  if (sub !== null)
    return `deriving the auth token of ${sub} through ${r.account} needs the auth token of ${r.account} or a Main API key; with Standard or Restricted keys, give ${sub} a key created inside it in the per-account credentials`;
  return `reading the Account or Key resources of ${r.account} needs its auth token or a Main API key`;
}

const ROWS: readonly HintRow[] = [
  {
    cause: 'key-type',
    applies: (r) => is20003(r) && r.credential === 'apiKey' && MAIN_KEY_ONLY.test(r.path),
    hint: (r) =>
      `Standard and Restricted API keys cannot call /Accounts or /Keys (only auth tokens and Main keys, which are made only in the Console, can): ${mainKeyNeed(r)}. If the key is a Main key, check its secret; ${ALSO_20003}`,
  },
  {
    cause: 'subaccount-credentials-on-another-account',
    applies: (r) => is20003(r) && otherAccount(r) !== null,
    hint: (r) =>
      `the credentials of ${r.account} cannot reach ${otherAccount(r)}: a subaccount's credentials never act on its parent or on another subaccount, and a parent's Standard or Restricted keys do not reach its subaccounts' resources; check the SIDs. ${ALSO_20003}`,
  },
  {
    cause: 'parent-key-given-for-subaccount',
    applies: (r) => is20003(r) && r.credential === 'apiKey' && r.origin === 'given',
    hint: (r) =>
      `the API key given for ${r.account} must be created inside ${r.account} (a parent's key is not one of its subaccount's keys), with its current secret. ${ALSO_20003}`,
  },
  {
    cause: 'parent-token-given-for-subaccount',
    applies: (r) => is20003(r) && r.origin === 'given',
    hint: (r) =>
      `the auth token given for ${r.account} must be its own current token: a subaccount's SID is not accepted with its parent's token. ${ALSO_20003}`,
  },
  {
    cause: 'derived-token-refused',
    applies: (r) => is20003(r) && r.origin === 'derived',
    hint: (r) =>
      `the auth token Twilio gave for ${r.account} through its parent was refused: the account was suspended or closed, or its token rotated, since it was read; run again`,
  },
  {
    cause: 'main-credentials',
    applies: (r) => is20003(r),
    hint: (r) =>
      `check the credentials of ${r.account} (TWILIO_ACCOUNT_SID, or twilio-account-sid, with its auth token or an API key made in it): a subaccount's token or key does not authenticate as its parent. ${ALSO_20003}`,
  },
  {
    cause: 'restricted-key-permission',
    applies: (r) => r.status === 403 && r.credential === 'apiKey',
    hint: (r) =>
      `a Restricted API key needs a permission for ${r.method} ${pathTemplate(r.path)} (README, "Twilio credentials"), or use a Standard key created inside ${r.account}; Twilio also answers 403 for a suspended or closed account`,
  },
  {
    cause: 'forbidden',
    applies: (r) => r.status === 403,
    hint: (r) =>
      `Twilio does not allow ${r.account} this request: check that the account is active (not suspended or closed)`,
  },
  {
    cause: 'not-in-family',
    applies: (r) => r.status === 404 && otherAccount(r) !== null,
    hint: (r) =>
      `${otherAccount(r)} is neither ${r.account} nor one of its subaccounts, or does not exist: check the SID and the parent the policy names`,
  },
  {
    cause: 'rate-limited',
    applies: (r) => r.status === 429,
    hint: (r) => `Twilio rate-limited ${r.account}; lower the concurrency setting`,
  },
];

/** The cause of a refusal the user can act on, or null when no row applies. */
export function hintFor(refusal: Refusal): string | null {
  return ROWS.find((row) => row.applies(refusal))?.hint(refusal) ?? null;
}

/** Which row answers a refusal (tests and docs name causes, not texts). */
export function causeOf(refusal: Refusal): string | null {
  return ROWS.find((row) => row.applies(refusal))?.cause ?? null;
}
