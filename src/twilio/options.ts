// How the Twilio adapter is configured: the main and per-account credentials, a base URL (an emulator),
// concurrency, timeouts and retry; checked once here so the gateway can trust them.
import * as z from 'zod';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { DEFAULT_CONCURRENCY } from '../model/defaults.js';
import { ACCOUNT_SID, API_KEY_SID } from '../model/patterns.js';

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
  /** Sends every Twilio host to this base URL (an emulator), e.g. http://127.0.0.1:4010. */
  baseUrl: string | null;
  /** Requests in flight across all accounts of one gateway. */
  concurrency: number;
  /** Per-request timeout (one attempt). */
  timeoutMs: number;
  retry: RetryPolicy;
}

export const DEFAULT_TWILIO_OPTIONS: Omit<TwilioOptions, 'credentials'> = {
  perAccount: {},
  baseUrl: null,
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
  if (options.baseUrl !== null && !/^https?:\/\/[^/]+/.test(options.baseUrl))
    throw new Error(`the Twilio base URL must be an http(s) URL, got "${options.baseUrl}"`);
  return options;
}

const accountCredentialsSchema = z.union([
  z.strictObject({ authToken: z.string().min(1) }),
  z.strictObject({
    apiKey: z.string().regex(API_KEY_SID, 'an API key SID is SK followed by 32 hex digits'),
    apiSecret: z.string().min(1),
  }),
]);

/**
 * The per-account credentials map, e.g. the env `TWILIO_CREDENTIALS` or the action input
 * `twilio-credentials`: {"AC…": {"authToken": "…"} | {"apiKey": "SK…", "apiSecret": "…"}}.
 */
export const perAccountCredentialsSchema = z.record(
  z.string().regex(ACCOUNT_SID, 'keys are account SIDs: AC followed by 32 hex digits'),
  accountCredentialsSchema,
);

/**
 * Parses the per-account credentials JSON. Errors name the offending key or path only,
 * never a value, because the values are secrets.
 */
export function parsePerAccountCredentials(json: string): Record<string, AccountCredentials> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('the per-account Twilio credentials are not valid JSON');
  }
  const parsed = perAccountCredentialsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.map(String).join('.') : '(top level)';
    throw new Error(
      `the per-account Twilio credentials are invalid at ${where}: expected {"AC…": {"authToken": "…"} | {"apiKey": "SK…", "apiSecret": "…"}}`,
    );
  }
  return parsed.data;
}
