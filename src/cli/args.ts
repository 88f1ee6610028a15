// Flags and environment, read once into a typed settings object before any request is made, for the
// commands that talk to Twilio (plan, apply, drift, exceptions, export, why); the flags themselves are read by
// readArgs (flags.ts), the one argument reader of every command.
import { shardOption, type Shard } from '../plan/shard.js';
import type { AccountCredentials, Credentials } from '../twilio/index.js';
// From options.ts, not the barrel: the settings need the credentials parser, not the SDK.
import { parsePerAccountCredentials } from '../twilio/options.js';
import { readProxyEnv, type ProxySettings } from '../twilio/proxy.js';
import { locationFrom, type TwilioLocation } from '../twilio/regions.js';
import { colorOf } from './color.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { readArgs, wholeNumber, type FlagName } from './flags.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LOOKBACK_DAYS, DEFAULT_POLICY_FILE } from '../model/defaults.js';
import { ACCOUNT_SID, HTTP_URL } from '../model/patterns.js';
import type { ReportFormat } from '../report/index.js';
import type { GuardOptions } from '../plan/guards.js';

export interface CliSettings {
  /** The policy path as the user wrote it (messages show this), or null for the bundled example (--demo). */
  policy: string | null;
  demo: boolean;
  format: ReportFormat;
  out: string | null;
  detailedExitcode: boolean;
  /** Accounts read or written at once. */
  concurrency: number;
  /** `--max-changes N`; `--force` makes it Infinity (skips the max_changes guard only). */
  maxChangesOverride: number | null;
  allowHighRisk: boolean;
  yes: boolean;
  force: boolean;
  /** `--twilio-url` / TWILIO_API_URL: every Twilio request goes to this base URL (an emulator). */
  twilioUrl: string | null;
  /** `--twilio-region` / TWILIO_REGION and `--twilio-edge` / TWILIO_EDGE; ignored with a Twilio URL. */
  location: TwilioLocation;
  /** HTTPS_PROXY, HTTP_PROXY, NO_PROXY (and lower-case forms) of the environment. */
  proxy: ProxySettings;
  /** null with --demo, or when none are set (commands that need them then fail with a clear message). */
  credentials: Credentials | null;
  perAccount: Record<string, AccountCredentials>;
  /** export: `--adopt`, an own `accounts:` entry for each template member that differs and each unmanaged subaccount. */
  adopt: boolean;
  /** export: `--account SID`, repeatable. */
  accountSids: string[];
  /** why: `--account NAME`. */
  account: string | null;
  /** why: `--from SENDER`, as written (parsed by the command, before any request). */
  from: string | null;
  lookbackDays: number;
  /** `--shard i/n`: only the accounts of shard i (plan/shard.ts: by their own SID; one that inherits with its parent). */
  shard: Shard | null;
  positionals: string[];
  /** Colour on stdout: cli/color.ts decides it from --no-color, FORCE_COLOR, NO_COLOR, TERM and the TTY. */
  color: boolean;
  /** apply: `--plan FILE`, a plan saved by `plan --out FILE.json`, to apply exactly. */
  savedPlan: string | null;
  /** A progress line on stderr only on a TTY. */
  progress: boolean;
  /** exceptions: `--offline`, the policy alone (no Twilio request). */
  offline: boolean;
}

/** The guards' options from the flags: what `apply` checks, and what `plan`'s verdict says an apply would meet. */
export function guardOptionsOf(settings: CliSettings): GuardOptions {
  return {
    maxChangesOverride: settings.maxChangesOverride,
    allowHighRisk: settings.allowHighRisk,
    surface: 'cli',
  };
}

/** Each flag's lines in the help's "Twilio:" section, in the order shown. */
const CONNECTION_LINES: ReadonlyArray<[FlagName, string]> = [
  [
    'twilio-url',
    '  --twilio-url URL       send every Twilio request to URL (an emulator; env TWILIO_API_URL)',
  ],
  [
    'twilio-region',
    `  --twilio-region R      the Twilio Region of the accounts, e.g. ie1 (env TWILIO_REGION; default us1);
                         its credentials are that region's own`,
  ],
  [
    'twilio-edge',
    `  --twilio-edge E        the Edge Location, e.g. dublin (env TWILIO_EDGE); required with a region
                         other than us1`,
  ],
  [
    'demo',
    `  --demo                 run against an in-process emulator with a demo fleet; without --policy,
                         uses the bundled examples/geo-permissions.yml`,
  ],
  [
    'concurrency',
    `  --concurrency N        accounts read or written at once (default ${DEFAULT_CONCURRENCY})`,
  ],
  [
    'shard',
    `  --shard I/N            only shard I of N: accounts, template members and unmanaged subaccounts are
                         split by a hash of their own SID (one with inherit: true goes with its
                         parent), so matrix jobs share a fleet`,
  ],
];

/**
 * The help's "Twilio:" section for a command that reads the fleet: only the flags it accepts (`flags`),
 * so a flag the help lists is never refused (test/cli/help-flags.test.ts walks every command's help).
 */
export function connectionHelp(flags: readonly FlagName[]): string {
  const lines = CONNECTION_LINES.filter(([flag]) => flags.includes(flag)).map(([, text]) => text);
  return `Twilio:
${lines.join('\n')}
  Credentials: TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + TWILIO_API_SECRET +
  TWILIO_ACCOUNT_SID; optional TWILIO_CREDENTIALS = {"AC…": {"authToken": "…"}} per account.
  Proxies: HTTPS_PROXY (else HTTP_PROXY) for Twilio, NO_PROXY for hosts that bypass it.
`;
}

/** The help line of `--no-color`, which every command accepts; listed by those that colour. */
export const NO_COLOR_HELP =
  '  --no-color             no colour (also NO_COLOR=1; FORCE_COLOR=1 colours a pipe, FORCE_COLOR=0 never)';

/** The flags that choose which Twilio to talk to (--twilio-url wins over region and edge). */
export const CONNECTION_FLAGS: readonly FlagName[] = ['twilio-url', 'twilio-region', 'twilio-edge'];

/** The flags of the commands that read the fleet and write a report (plan, apply, drift). */
export const REPORT_FLAGS: readonly FlagName[] = [
  'policy',
  'demo',
  'format',
  'out',
  'concurrency',
  ...CONNECTION_FLAGS,
  'shard',
];

function shardOf(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  try {
    return shardOption(text);
  } catch (err) {
    throw new UsageError(`--shard: ${(err as Error).message}`);
  }
}

/** Credentials from the environment: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or with TWILIO_API_KEY + TWILIO_API_SECRET. */
function credentialsFrom(env: CliIO['env']): Credentials | null {
  const accountSid = env.TWILIO_ACCOUNT_SID?.trim();
  const token = env.TWILIO_AUTH_TOKEN;
  const apiKey = env.TWILIO_API_KEY?.trim();
  const apiSecret = env.TWILIO_API_SECRET;
  if (!accountSid && !token && !apiKey && !apiSecret) return null;
  if (!accountSid) throw new UsageError('TWILIO_ACCOUNT_SID is not set: it names the main account (AC…)');
  if (!ACCOUNT_SID.test(accountSid))
    throw new UsageError('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits');
  if (apiKey || apiSecret) {
    if (!apiKey || !apiSecret)
      throw new UsageError('set both TWILIO_API_KEY and TWILIO_API_SECRET (or TWILIO_AUTH_TOKEN instead)');
    return { kind: 'apiKey', accountSid, apiKey, apiSecret };
  }
  if (!token) throw new UsageError('set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET');
  return { kind: 'authToken', accountSid, authToken: token };
}

/** `--format`; without it, JSON when `--out` names a .json file (`plan --out plan.json` saves the plan). */
function reportFormat(text: string | undefined, out: string | undefined): ReportFormat {
  const format = text ?? (out !== undefined && /\.json$/i.test(out) ? 'json' : 'text');
  if (format !== 'text' && format !== 'markdown' && format !== 'json')
    throw new UsageError(`--format must be text, markdown or json, got "${text}"`);
  return format;
}

/** `--twilio-url`, else TWILIO_API_URL; null when neither is set (an empty variable is unset). */
function twilioUrlOf(flag: string | undefined, env: CliIO['env']): string | null {
  const url = flag ?? env.TWILIO_API_URL?.trim() ?? null;
  if (!url) return null;
  if (!HTTP_URL.test(url)) throw new UsageError(`--twilio-url must be an http(s) URL, got "${url}"`);
  return url;
}

/** `--twilio-region` / `--twilio-edge`, else TWILIO_REGION / TWILIO_EDGE (an empty variable is unset). */
function locationOf(region: string | undefined, edge: string | undefined, env: CliIO['env']): TwilioLocation {
  try {
    return locationFrom({ region, edge }, env, { region: '--twilio-region', edge: '--twilio-edge' });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function proxyOf(env: CliIO['env']): ProxySettings {
  try {
    return readProxyEnv(env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `--account`: export takes account SIDs (repeatable), why one account by name or SID. */
function accountsOf(command: string, given: string[]): Pick<CliSettings, 'accountSids' | 'account'> {
  if (command === 'export') {
    for (const sid of given)
      if (!ACCOUNT_SID.test(sid))
        throw new UsageError(`--account must be an account SID (AC…), got "${sid}"`);
    return { accountSids: given, account: null };
  }
  if (command === 'why' && given.length > 1) throw new UsageError('why: give --account once');
  return { accountSids: [], account: command === 'why' ? (given[0] ?? null) : null };
}

/** TWILIO_CREDENTIALS, the per-account credentials map; errors never quote a value (they are secrets). */
function perAccountFrom(env: CliIO['env']): Record<string, AccountCredentials> {
  const json = env.TWILIO_CREDENTIALS?.trim();
  if (!json) return {};
  try {
    return parsePerAccountCredentials(json);
  } catch (err) {
    throw new UsageError(`TWILIO_CREDENTIALS: ${(err as Error).message}`);
  }
}

/**
 * The settings of a command that talks to Twilio (plan, apply, drift, export, why): its arguments
 * through readArgs, then the environment. Checks run in a fixed order, so the first problem is named.
 */
export function readCliSettings(
  command: string,
  args: string[],
  io: CliIO,
  allowed: readonly FlagName[],
  positionals = 0,
): CliSettings | 'help' {
  const parsed = readArgs(command, args, allowed, positionals);
  if (parsed === 'help') return 'help';
  const v = parsed.values;
  const format = reportFormat(v.format, v.out);
  const twilioUrl = twilioUrlOf(v['twilio-url'], io.env);
  const location = locationOf(v['twilio-region'], v['twilio-edge'], io.env);
  const maxChanges = wholeNumber('max-changes', v['max-changes'], 0);
  const accounts = accountsOf(command, v.account ?? []);
  const demo = v.demo === true;
  if (demo && twilioUrl)
    throw new UsageError('--demo runs its own emulator: drop --twilio-url / TWILIO_API_URL');
  const perAccount = demo ? {} : perAccountFrom(io.env);
  const concurrency = wholeNumber('concurrency', v.concurrency, 1) ?? DEFAULT_CONCURRENCY;
  const credentials = demo ? null : credentialsFrom(io.env);
  const force = v.force === true;
  return {
    policy: v.policy ?? (demo ? null : DEFAULT_POLICY_FILE),
    demo,
    format,
    out: v.out ?? null,
    detailedExitcode: v['detailed-exitcode'] === true,
    concurrency,
    maxChangesOverride: force ? Number.POSITIVE_INFINITY : maxChanges,
    allowHighRisk: v['allow-high-risk'] === true,
    yes: v.yes === true,
    force,
    twilioUrl,
    location,
    proxy: proxyOf(io.env),
    credentials,
    perAccount,
    adopt: v.adopt === true,
    ...accounts,
    from: v.from ?? null,
    lookbackDays: wholeNumber('lookback-days', v['lookback-days'], 1) ?? DEFAULT_LOOKBACK_DAYS,
    shard: shardOf(v.shard),
    positionals: parsed.positionals,
    color: colorOf(v['no-color'] === true, io.env, io.stdout.isTTY === true),
    savedPlan: v.plan ?? null,
    progress: io.stderr.isTTY === true,
    offline: v.offline === true,
  };
}
