/* eslint-disable @typescript-eslint/no-explicit-any -- emulator JSON bodies, read by assertions */
import {
  startEmulator,
  demoState,
  DEMO,
  type EmulatorState,
  type LoggedRequest,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import {
  createTwilioGateway,
  twilioOptions,
  type Credentials,
  type TwilioOptions,
} from '../../src/twilio/index.js';

export { DEMO };

export const PARENT_TOKEN = 'demo-token-production-0000000001';
export const SUPPORT_EU_TOKEN = 'demo-token-support-eu-0000000002';
export const MARKETING_TOKEN = 'demo-token-marketing-00000000003';

export const parentCredentials: Credentials = {
  kind: 'authToken',
  accountSid: DEMO.production,
  authToken: PARENT_TOKEN,
};

/** Retries fast so fault tests finish quickly; the policy's shape is what is tested. */
export const FAST_RETRY = {
  maxAttempts: 4,
  baseDelayMs: 1,
  maxDelayMs: 5,
  maxRetryAfterMs: 20,
  totalBudgetMs: 5_000,
};

export async function startDemoEmulator(state?: EmulatorState): Promise<RunningEmulator> {
  return startEmulator({ state: state ?? demoState() });
}

export function gatewayOn(
  emulator: RunningEmulator,
  credentials: Credentials = parentCredentials,
  overrides: Partial<Omit<TwilioOptions, 'credentials'>> = {},
) {
  const masked: string[] = [];
  const logs: string[] = [];
  const gateway = createTwilioGateway(
    twilioOptions(credentials, { baseUrl: emulator.url, retry: FAST_RETRY, timeoutMs: 2_000, ...overrides }),
    { mask: (s) => masked.push(s), log: (l) => logs.push(l) },
  );
  return { gateway, masked, logs };
}

export async function control(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function requestLog(emulator: RunningEmulator): Promise<LoggedRequest[]> {
  return (await control(emulator, 'GET', 'requests')).requests;
}

/** A raw Twilio request with Basic auth, for wire-level checks the SDK would not make. */
export async function rawTwilio(
  emulator: RunningEmulator,
  method: string,
  path: string,
  auth: [string, string],
  form?: Record<string, string | string[]>,
): Promise<{ status: number; body: any; headers: Headers }> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form ?? {})) for (const item of [v].flat()) body.append(k, item);
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      Authorization: 'Basic ' + Buffer.from(auth.join(':')).toString('base64'),
      ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? body.toString() : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
