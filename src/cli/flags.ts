// The one argument reader: the flags any command may take, and readArgs, which every command (validate
// and emulator included) calls to check its own. It imports nothing heavy (no SDK, no node:crypto), so
// validate stays fast; args.ts builds the Twilio commands' settings on top of it.
import { SuggestionSearch } from '../catalog/suggestion-search.js';
import { UsageError } from './io.js';

// node:util's parseArgs, taken from the built-in module rather than by an ESM import: importing node:util
// as ESM evaluates every one of its lazy exports, about 2 ms that validate would pay on each start.
const { parseArgs } = process.getBuiltinModule('node:util');

/** How the CLI tells the user to name the policy file. */
export const POLICY_HINT = 'pass --policy FILE';

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
  adopt: { type: 'boolean' },
  'twilio-url': { type: 'string' },
  'twilio-region': { type: 'string' },
  'twilio-edge': { type: 'string' },
  account: { type: 'string', multiple: true },
  from: { type: 'string' },
  'lookback-days': { type: 'string' },
  shard: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  state: { type: 'string' },
  seed: { type: 'string' },
  plan: { type: 'string' },
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'no-color': { type: 'boolean' },
} as const;

/** The flags every command takes, whatever its list says: help, and `--no-color` (a shell alias may add it to any). */
const GLOBAL_FLAGS = ['help', 'no-color'] as const;

/** The flags each command accepts; everything else is a usage error before any request. */
export type FlagName = Exclude<keyof typeof OPTIONS, (typeof GLOBAL_FLAGS)[number]>;

/**
 * The name nearest to a mistyped one, by the policy checker's did-you-mean search (catalog/): one edit
 * for short names, two from four letters on (`plna` is two edits from `plan`); null when none is close.
 */
export function nearestName(input: string, names: readonly string[]): string | null {
  return new SuggestionSearch().nearest(input, names, input.length >= 4 ? 2 : 1);
}

/** ' (did you mean "--policy"?)', or '' when no flag is close; the command's own flags are searched first. */
function flagSuggestion(rawName: string, allowed: readonly FlagName[]): string {
  if (!rawName.startsWith('--')) return '';
  const name = rawName.slice(2);
  const own = [...allowed, ...GLOBAL_FLAGS];
  // A flag cut short (`--lookback`) names the one flag of the command it begins, if only one does.
  const begun = own.filter((flag) => flag.startsWith(name));
  const near =
    (begun.length === 1 ? begun[0] : null) ??
    nearestName(name, own) ??
    nearestName(name, Object.keys(OPTIONS));
  return near ? ` (did you mean "--${near}"?)` : '';
}

const parse = (args: string[]) => parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });

/** The flags as given: strings for valued flags (numbers are checked by wholeNumber), true for switches. */
export type ArgValues = ReturnType<typeof parse>['values'];

export interface ParsedArgs {
  values: ArgValues;
  positionals: string[];
}

/** The first option no command takes, as written (e.g. "--polcy"), found before parsing so it is named. */
function unknownOption(args: string[]): string | null {
  const { tokens } = parseArgs({
    args,
    options: OPTIONS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens)
    if (token.kind === 'option' && !Object.hasOwn(OPTIONS, token.name)) return token.rawName;
  return null;
}

/** The first flag given an empty value: an unset shell variable is not the flag's absence. */
function emptyFlag(values: ArgValues): string | null {
  for (const [name, value] of Object.entries(values)) {
    const texts: unknown[] = Array.isArray(value) ? value : [value];
    if (texts.some((text) => typeof text === 'string' && text.trim() === '')) return name;
  }
  return null;
}

/**
 * The one argument reader of every command: `allowed` lists the command's flags and `positionals` how
 * many arguments it takes. An unknown flag, a flag of another command, an extra argument, a missing or
 * empty value is a usage error; 'help' for --help / -h.
 */
export function readArgs(
  command: string,
  args: string[],
  allowed: readonly FlagName[],
  positionals = 0,
): ParsedArgs | 'help' {
  const seeHelp = `; see \`geo-permissions ${command} --help\``;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    // Only when the strict parse failed: find out whether an unknown flag was the cause. Both phrasings
    // of an unknown flag, the CLI's ("unexpected argument") and node's ("Unknown option"), as the
    // commands printed them before sharing this reader.
    const unknown = unknownOption(args);
    if (unknown !== null)
      throw new UsageError(
        `${command}: unexpected argument "${unknown}": Unknown option '${unknown}'${flagSuggestion(unknown, allowed)}${seeHelp}`,
      );
    throw new UsageError(`${command}: ${(err as Error).message}${seeHelp}`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const foreign = Object.keys(values).find(
    (name) => !(GLOBAL_FLAGS as readonly string[]).includes(name) && !allowed.includes(name as FlagName),
  );
  if (foreign !== undefined)
    throw new UsageError(`${command}: --${foreign} is not an option of this command${seeHelp}`);
  if (parsed.positionals.length > positionals)
    throw new UsageError(`${command}: unexpected argument "${parsed.positionals[positionals]}"${seeHelp}`);
  // An empty --twilio-url would otherwise send the requests meant for an emulator to the real Twilio.
  const empty = emptyFlag(values);
  if (empty !== null) throw new UsageError(`${command}: --${empty} is empty`);
  return { values, positionals: parsed.positionals };
}

/** A whole-number flag in [min, max], or null when not given. */
export function wholeNumber(
  flag: FlagName,
  text: string | undefined,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${flag} must be a whole number ${range}, got "${text}"`);
  }
  return n;
}
