import * as z from 'zod';
import { shardOption, type Shard } from '../plan/shard.js';
import { DEFAULT_CONCURRENCY, DEFAULT_GITHUB_TIMEOUT_SECONDS } from '../model/defaults.js';
import { ACCOUNT_SID, API_KEY_SID } from '../model/patterns.js';
import { perAccountCredentialSecrets } from '../twilio/options.js';
import { proxySecrets, readProxyEnv, type ProxySettings } from '../twilio/proxy.js';
import { locationFrom, type TwilioLocation } from '../twilio/regions.js';
import { GITHUB_ACTIONS_LOGIN } from '../github/identity.js';

/** The action's inputs, read once and validated; nothing else in the action calls getInput. */
export const MODES = ['auto', 'validate', 'plan', 'apply', 'drift'] as const;
export type Mode = (typeof MODES)[number];
export type ResolvedMode = Exclude<Mode, 'auto'>;
export const ON_DRIFT = ['issue', 'revert', 'fail'] as const;
export type OnDrift = (typeof ON_DRIFT)[number];

export interface TwilioInputs {
  accountSid: string | null;
  authToken: string | null;
  apiKey: string | null;
  apiSecret: string | null;
  /** Raw JSON of per-account credentials; parsed by the Twilio gateway's own schema. */
  credentialsJson: string | null;
  apiUrl: string | null;
  /** `twilio-region` / `twilio-edge`, else TWILIO_REGION / TWILIO_EDGE; ignored with apiUrl. */
  location: TwilioLocation;
  /** The runner's HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and lower-case forms). */
  proxy: ProxySettings;
}

export interface ActionSettings {
  policy: string;
  /** The checked-out repository (GITHUB_WORKSPACE, else the working directory): the policy is read only from inside it. */
  workspace: string;
  mode: Mode;
  twilio: TwilioInputs;
  githubToken: string | null;
  comment: boolean;
  maxChanges: number | null;
  allowHighRisk: boolean;
  /** `fail-on-refusal`: a pull request whose merge the guards would refuse fails its check (else a warning). */
  failOnRefusal: boolean;
  /** `allow-unreviewed-enables`: apply enables without a reviewed plan (a direct push) under the guards alone. */
  allowUnreviewedEnables: boolean;
  onDrift: OnDrift;
  driftLabel: string;
  /** `cleanup-pr`: on a drift run, keep one pull request removing the policy's expired exceptions. */
  cleanupPr: boolean;
  botLogin: string;
  /** Seconds one GitHub request may take; the run's GitHub work is bounded by ten times this. */
  githubTimeoutSeconds: number;
  concurrency: number;
  /** `shard: i/n`: only the accounts of shard i (plan/shard.ts), with its own drift issue (matrix jobs). */
  shard: Shard | null;
}

/** Reads one input by its action.yml name ('' when unset); core.getInput in production. */
export type InputReader = (name: string) => string;

export class SettingsError extends Error {}

const optional = z.string().transform((v) => (v === '' ? null : v));
const bool = (name: string) =>
  z.string().transform((v, ctx) => {
    if (/^(true|True|TRUE)$/.test(v)) return true;
    if (/^(false|False|FALSE)$/.test(v)) return false;
    ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${v}"` });
    return z.NEVER;
  });
const wholeNumber = (name: string, min: number) =>
  z.string().transform((v, ctx): number => {
    if (/^\d+$/.test(v) && Number(v) >= min && Number.isSafeInteger(Number(v))) return Number(v);
    ctx.addIssue({ code: 'custom', message: `${name} must be a whole number >= ${min}, got "${v}"` });
    return z.NEVER;
  });

const schema = z.object({
  policy: z.string().min(1, 'policy must name the policy file'),
  mode: z.enum(MODES, { error: (i) => `mode must be one of ${MODES.join(', ')}, got "${String(i.input)}"` }),
  'twilio-account-sid': optional.pipe(
    z
      .string()
      .regex(ACCOUNT_SID, 'twilio-account-sid must look like AC followed by 32 hex digits')
      .nullable(),
  ),
  'twilio-auth-token': optional,
  'twilio-api-key': optional.pipe(
    z.string().regex(API_KEY_SID, 'twilio-api-key must look like SK followed by 32 hex digits').nullable(),
  ),
  'twilio-api-secret': optional,
  'twilio-credentials': optional,
  'twilio-api-url': optional.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'twilio-api-url must be an http(s) URL')
      .nullable(),
  ),
  'twilio-region': optional,
  'twilio-edge': optional,
  'github-token': optional,
  comment: bool('comment'),
  'max-changes': z.string().transform((v, ctx): number | null => {
    if (v === '') return null;
    if (/^\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
    ctx.addIssue({ code: 'custom', message: `max-changes must be a whole number >= 0, got "${v}"` });
    return z.NEVER;
  }),
  'allow-high-risk': bool('allow-high-risk'),
  'fail-on-refusal': bool('fail-on-refusal'),
  'allow-unreviewed-enables': bool('allow-unreviewed-enables'),
  'on-drift': z.enum(ON_DRIFT, {
    error: (i) => `on-drift must be one of ${ON_DRIFT.join(', ')}, got "${String(i.input)}"`,
  }),
  'drift-label': z
    .string()
    .min(1, 'drift-label must not be empty')
    .max(50, 'drift-label is at most 50 characters')
    // The issue listing takes a comma-separated list of labels: "a,b" would never find the issue again.
    .refine((v) => !v.includes(','), 'drift-label must not contain a comma'),
  'cleanup-pr': bool('cleanup-pr'),
  'bot-login': z.string().min(1, 'bot-login must not be empty'),
  'github-timeout': wholeNumber('github-timeout', 1),
  concurrency: wholeNumber('concurrency', 1),
  shard: z.string().transform((v, ctx): Shard | null => {
    if (v === '') return null;
    try {
      return shardOption(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `shard: ${(err as Error).message}` });
      return z.NEVER;
    }
  }),
});

type InputName = keyof z.input<typeof schema>;
/** Defaults mirror action.yml so a run outside a runner (which fills them in) behaves the same. */
const DEFAULTS: Partial<Record<InputName, string>> = {
  policy: 'geo-permissions.yml',
  mode: 'auto',
  comment: 'true',
  'allow-high-risk': 'false',
  'fail-on-refusal': 'true',
  'allow-unreviewed-enables': 'false',
  'on-drift': 'issue',
  'drift-label': 'geo-permissions-drift',
  'cleanup-pr': 'true',
  'bot-login': GITHUB_ACTIONS_LOGIN,
  'github-timeout': String(DEFAULT_GITHUB_TIMEOUT_SECONDS),
  concurrency: String(DEFAULT_CONCURRENCY),
};

/**
 * Reads and validates every input; throws SettingsError listing every bad value before any request.
 * `env` gives the workspace the runner checked the repository out to.
 */
export function readActionSettings(read: InputReader, env: NodeJS.ProcessEnv = process.env): ActionSettings {
  const raw = Object.fromEntries(
    (Object.keys(schema.shape) as InputName[]).map((name) => [
      name,
      read(name).trim() || DEFAULTS[name] || '',
    ]),
  );
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.message}`);
    throw new SettingsError(`Invalid action inputs:\n${[...new Set(lines)].join('\n')}`);
  }
  const v = parsed.data;
  const connection = twilioConnection(v['twilio-region'], v['twilio-edge'], env);
  const twilio: TwilioInputs = {
    accountSid: v['twilio-account-sid'],
    authToken: v['twilio-auth-token'],
    apiKey: v['twilio-api-key'],
    apiSecret: v['twilio-api-secret'],
    credentialsJson: v['twilio-credentials'],
    apiUrl: v['twilio-api-url'],
    ...connection,
  };
  if (twilio.apiKey && !twilio.apiSecret)
    throw new SettingsError('Invalid action inputs:\n- twilio-api-key needs twilio-api-secret');
  if (twilio.apiSecret && !twilio.apiKey)
    throw new SettingsError('Invalid action inputs:\n- twilio-api-secret needs twilio-api-key');
  if ((twilio.apiKey || twilio.authToken || twilio.credentialsJson) && !twilio.accountSid)
    throw new SettingsError('Invalid action inputs:\n- Twilio credentials need twilio-account-sid');
  return {
    policy: v.policy,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    mode: v.mode,
    twilio,
    githubToken: v['github-token'],
    comment: v.comment,
    maxChanges: v['max-changes'],
    allowHighRisk: v['allow-high-risk'],
    failOnRefusal: v['fail-on-refusal'],
    allowUnreviewedEnables: v['allow-unreviewed-enables'],
    onDrift: v['on-drift'],
    driftLabel: v['drift-label'],
    cleanupPr: v['cleanup-pr'],
    botLogin: v['bot-login'],
    githubTimeoutSeconds: v['github-timeout'],
    concurrency: v.concurrency,
    shard: v.shard,
  };
}

/** The region, edge and proxies: the inputs first, then the runner's environment. */
function twilioConnection(
  region: string | null,
  edge: string | null,
  env: NodeJS.ProcessEnv,
): Pick<TwilioInputs, 'location' | 'proxy'> {
  try {
    const location = locationFrom({ region, edge }, env, { region: 'twilio-region', edge: 'twilio-edge' });
    return { location, proxy: readProxyEnv(env) };
  } catch (err) {
    throw new SettingsError(`Invalid action inputs:\n- ${(err as Error).message}`);
  }
}

/** True when the main Twilio credentials were given (fork and Dependabot PRs get no secrets). */
export function hasTwilioCredentials(t: TwilioInputs): boolean {
  return Boolean(t.accountSid && (t.authToken || (t.apiKey && t.apiSecret)));
}

/**
 * Every secret among the inputs, to mask before anything is logged. The per-account JSON is masked
 * string by string (every value, and every key that is not an account SID), not as one blob: a
 * blob's mask hides only the whole text, never one token printed alone, and a token pasted where a
 * key belongs must be hidden before the credentials are parsed and rejected.
 */
export function secretValues(s: ActionSettings): string[] {
  const json = s.twilio.credentialsJson;
  const secrets = [
    s.twilio.authToken,
    s.twilio.apiSecret,
    s.githubToken,
    ...(json ? perAccountCredentialSecrets(json) : []),
    ...proxySecrets(s.twilio.proxy),
  ];
  return [...new Set(secrets.filter((v): v is string => Boolean(v)))];
}
