// Flags and environment, read once into a typed settings object before any request is made.
import { parseArgs } from 'node:util';
import { parseShard, type Shard } from '../plan/shard.js';
import type { Credentials } from '../twilio/index.js';
import { parsePerAccountCredentials, type AccountCredentials } from '../twilio/index.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LOOKBACK_DAYS, DEFAULT_POLICY_FILE } from '../model/defaults.js';
import { ACCOUNT_SID } from '../model/patterns.js';

/** How the CLI tells the user to name the policy file. */
export const POLICY_HINT = 'pass --policy FILE';

export type ReportFormat = 'text' | 'markdown' | 'json';

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
  /** null with --demo, or when none are set (commands that need them then fail with a clear message). */
  credentials: Credentials | null;
  perAccount: Record<string, AccountCredentials>;
  /** export: `--account SID`, repeatable. */
  accountSids: string[];
  /** why: `--account NAME`. */
  account: string | null;
  lookbackDays: number;
  /** `--shard i/n`: only the account families of shard i (a parent and its subaccounts stay together). */
  shard: Shard | null;
  positionals: string[];
  /** Colour on stdout only on a TTY, and never with NO_COLOR. */
  color: boolean;
  /** A progress line on stderr only on a TTY. */
  progress: boolean;
}

/** The flags each command accepts; everything else is a usage error before any request. */
export type FlagName =
  | 'policy'
  | 'demo'
  | 'format'
  | 'out'
  | 'detailed-exitcode'
  | 'concurrency'
  | 'max-changes'
  | 'allow-high-risk'
  | 'yes'
  | 'force'
  | 'twilio-url'
  | 'account'
  | 'lookback-days'
  | 'shard';

/** The flags of the commands that read the fleet and write a report (plan, apply, drift). */
export const REPORT_FLAGS: readonly FlagName[] = [
  'policy',
  'demo',
  'format',
  'out',
  'concurrency',
  'twilio-url',
  'shard',
];

/** Help for the flags that choose which Twilio to talk to; shared by every command that reads the fleet. */
export const CONNECTION_HELP = `Twilio:
  --twilio-url URL       send every Twilio request to URL (an emulator; env TWILIO_API_URL)
  --demo                 run against an in-process emulator with a demo fleet; without --policy,
                         uses the bundled examples/geo-permissions.yml
  --concurrency N        accounts read or written at once (default ${DEFAULT_CONCURRENCY})
  --shard I/N            only shard I of N (plan, apply, drift): account families are split by a
                         hash of the parent's SID, so matrix jobs share a fleet
  Credentials: TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN, or TWILIO_API_KEY + TWILIO_API_SECRET +
  TWILIO_ACCOUNT_SID; optional TWILIO_CREDENTIALS = {"AC…": {"authToken": "…"}} per account.
`;

const OPTIONS = {
  policy: { type: 'string' },
  demo: { type: 'boolean' },
  format: { type: 'string' },
  out: { type: 'string' },
  'detailed-exitcode': { type: 'boolean' },
  concurrency: { type: 'string' },
  'max-changes': { type: 'string' },
  'allow-high-risk': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  force: { type: 'boolean' },
  'twilio-url': { type: 'string' },
  account: { type: 'string', multiple: true },
  'lookback-days': { type: 'string' },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function wholeNumber(flag: string, text: string | undefined, min: number): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`--${flag} must be a whole number >= ${min}, got "${text}"`);
  return n;
}

function shardOf(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  try {
    return parseShard(text);
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

/** Parses one command's arguments; `allowed` lists its flags and `positionals` how many it takes. */
export function readSettings(
  command: string,
  args: string[],
  io: CliIO,
  allowed: readonly FlagName[],
  positionals = 0,
): CliSettings | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: positionals > 0 });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}; see \`geo-permissions ${command} --help\``);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  for (const name of Object.keys(v)) {
    if (name !== 'help' && !allowed.includes(name as FlagName))
      throw new UsageError(
        `${command}: --${name} is not an option of this command; see \`geo-permissions ${command} --help\``,
      );
  }
  if (parsed.positionals.length > positionals)
    throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals]}"`);

  // An empty value (an unset shell variable) is not the flag's absence: an empty --twilio-url would
  // otherwise send the requests meant for an emulator to the real Twilio.
  for (const name of ['twilio-url', 'out', 'policy', 'format'] as const)
    if (v[name]?.trim() === '') throw new UsageError(`${command}: --${name} is empty`);
  const format = (v.format ?? 'text') as ReportFormat;
  if (!['text', 'markdown', 'json'].includes(format))
    throw new UsageError(`--format must be text, markdown or json, got "${v.format}"`);
  const twilioUrl = v['twilio-url'] ?? io.env.TWILIO_API_URL?.trim() ?? null;
  if (twilioUrl !== null && twilioUrl !== '' && !/^https?:\/\/[^/]+/.test(twilioUrl))
    throw new UsageError(`--twilio-url must be an http(s) URL, got "${twilioUrl}"`);
  const maxChanges = wholeNumber('max-changes', v['max-changes'], 0);
  const accounts = v.account ?? [];
  if (command === 'export')
    for (const sid of accounts)
      if (!ACCOUNT_SID.test(sid))
        throw new UsageError(`--account must be an account SID (AC…), got "${sid}"`);
  if (command === 'why' && accounts.length > 1) throw new UsageError('why: give --account once');
  const demo = v.demo ?? false;
  if (demo && twilioUrl)
    throw new UsageError('--demo runs its own emulator: drop --twilio-url / TWILIO_API_URL');
  const perAccountJson = io.env.TWILIO_CREDENTIALS?.trim();
  let perAccount: Record<string, AccountCredentials> = {};
  if (perAccountJson && !demo) {
    try {
      perAccount = parsePerAccountCredentials(perAccountJson);
    } catch (err) {
      throw new UsageError(`TWILIO_CREDENTIALS: ${(err as Error).message}`);
    }
  }
  return {
    policy: v.policy ?? (demo ? null : DEFAULT_POLICY_FILE),
    demo,
    format,
    out: v.out ?? null,
    detailedExitcode: v['detailed-exitcode'] ?? false,
    concurrency: wholeNumber('concurrency', v.concurrency, 1) ?? DEFAULT_CONCURRENCY,
    maxChangesOverride: v.force ? Number.POSITIVE_INFINITY : maxChanges,
    allowHighRisk: v['allow-high-risk'] ?? false,
    yes: v.yes ?? false,
    force: v.force ?? false,
    twilioUrl: twilioUrl || null,
    credentials: demo ? null : credentialsFrom(io.env),
    perAccount,
    accountSids: command === 'export' ? accounts : [],
    account: command === 'why' ? (accounts[0] ?? null) : null,
    lookbackDays: wholeNumber('lookback-days', v['lookback-days'], 1) ?? DEFAULT_LOOKBACK_DAYS,
    shard: shardOf(v.shard),
    positionals: parsed.positionals,
    color: io.stdout.isTTY === true && !io.env.NO_COLOR,
    progress: io.stderr.isTTY === true,
  };
}
