// How the Twilio adapter is configured: the main and per-account credentials, a base URL (an emulator),
// concurrency, timeouts and retry; checked once here so the gateway can trust them.
import * as z from 'zod';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { DEFAULT_CONCURRENCY } from '../model/defaults.js';
import { ACCOUNT_SID, API_KEY_SID, HTTP_URL } from '../model/patterns.js';
import { NO_PROXY_SETTINGS, type ProxySettings } from './proxy.js';
import { DEFAULT_LOCATION, readLocation, type TwilioLocation } from './regions.js';

export type Credentials =
  | { kind: 'authToken'; accountSid: string; authToken: string }
  | { kind: 'apiKey'; accountSid: string; apiKey: string; apiSecret: string };

/** Credentials given for one account; the account SID is the map key. */
export type AccountCredentials = { authToken: string } | { apiKey: string; apiSecret: string };

export interface TwilioOptions {
  /** The main credentials: they act on their own account and derive subaccount tokens via v2010. */
  credentials: Credentials;
  /** Credentials per account SID; they win over derivation through the parent. */
  perAccount: Record<string, AccountCredentials>;
  /** Sends every Twilio host to this base URL (an emulator), e.g. http://127.0.0.1:4010; wins over `location`. */
  baseUrl: string | null;
  /** The Twilio Region and Edge Location the hosts name (regions.ts); checked by readLocation. */
  location: TwilioLocation;
  /** The outbound proxies (proxy.ts), read from the environment by the CLI or the action. */
  proxy: ProxySettings;
  /** Requests in flight across all accounts of one gateway. */
  concurrency: number;
  /** Per-request timeout (one attempt). */
  timeoutMs: number;
  retry: RetryPolicy;
}

export const DEFAULT_TWILIO_OPTIONS: Omit<TwilioOptions, 'credentials'> = {
  perAccount: {},
  baseUrl: null,
  location: DEFAULT_LOCATION,
  proxy: NO_PROXY_SETTINGS,
  concurrency: DEFAULT_CONCURRENCY,
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY_POLICY,
};

/** Options from credentials plus any overrides; the defaults are DEFAULT_TWILIO_OPTIONS. */
export function twilioOptions(
  credentials: Credentials,
  overrides: Partial<Omit<TwilioOptions, 'credentials'>> = {},
): TwilioOptions {
  const options: TwilioOptions = { ...DEFAULT_TWILIO_OPTIONS, ...overrides, credentials };
  if (!ACCOUNT_SID.test(credentials.accountSid))
    throw new Error(`the Twilio account SID must look like AC followed by 32 hex digits`);
  if (credentials.kind === 'apiKey' && !API_KEY_SID.test(credentials.apiKey))
    throw new Error(`the Twilio API key must look like SK followed by 32 hex digits`);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
    throw new Error(`Twilio concurrency must be a whole number >= 1, got ${options.concurrency}`);
  if (options.baseUrl !== null && !HTTP_URL.test(options.baseUrl))
    throw new Error(`the Twilio base URL must be an http(s) URL, got "${options.baseUrl}"`);
  options.location = readLocation(options.location.region, options.location.edge, {
    region: 'the Twilio region',
    edge: 'the Twilio edge',
  });
  return options;
}

const accountCredentialsSchema = z.union([
  z.strictObject({ authToken: z.string().min(1) }),
  z.strictObject({
    apiKey: z.string().regex(API_KEY_SID, 'an API key SID is SK followed by 32 hex digits'),
    apiSecret: z.string().min(1),
  }),
]);

const ENTRY_SHAPE = '{"authToken": "…"} or {"apiKey": "SK…", "apiSecret": "…"}';
const invalidCredentials = (why: string) =>
  new Error(`the per-account Twilio credentials are invalid: ${why}`);

/**
 * Parses the per-account credentials JSON. Errors name a key only once it is a validated account
 * SID, otherwise by its position ("key #2"), and never quote a value or a field name: a user who
 * pastes a token where a key belongs must not see it in a log.
 */
export function parsePerAccountCredentials(json: string): Record<string, AccountCredentials> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('the per-account Twilio credentials are not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidCredentials(`expected a JSON object {"AC…": ${ENTRY_SHAPE}}`);
  const perAccount: Record<string, AccountCredentials> = {};
  // Positions count in the order JSON.parse keeps, which is the text's order for every non-numeric key.
  for (const [index, [key, value]] of Object.entries(raw).entries()) {
    if (!ACCOUNT_SID.test(key))
      throw invalidCredentials(`key #${index + 1} is not an account SID (AC followed by 32 hex digits)`);
    const entry = accountCredentialsSchema.safeParse(value);
    if (!entry.success) throw invalidCredentials(`the entry of ${key} must be ${ENTRY_SHAPE}`);
    perAccount[key] = entry.data;
  }
  return perAccount;
}

/** The field names of an entry: not secrets, and masking them would blank every message that names them. */
const FIELD_NAMES = new Set(['authToken', 'apiKey', 'apiSecret']);

/**
 * Every string of the per-account credentials JSON that may be a secret, for the action to mask
 * before anything runs: every string value, and every key that is neither an account SID nor a
 * field name (a token pasted where a key belongs). Read from the text's string literals rather than
 * the parsed value, so JSON that does not parse is covered too (then the whole text is masked as well).
 */
export function perAccountCredentialSecrets(json: string): string[] {
  const secrets = new Set<string>();
  // A literal runs to its closing quote, or to the end of a text cut short inside one.
  for (const [literal] of json.matchAll(/"(?:[^"\\]|\\.)*(?:"|$)/g)) {
    const text = decodeLiteral(literal);
    if (text && !ACCOUNT_SID.test(text) && !FIELD_NAMES.has(text)) secrets.add(text);
  }
  if (!parsesAsJson(json) && json.trim()) secrets.add(json.trim());
  return [...secrets];
}

/** A JSON string literal's text; a literal JSON.parse rejects (a bad escape, no closing quote) as written. */
function decodeLiteral(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, literal.length > 1 && literal.endsWith('"') ? -1 : undefined);
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
