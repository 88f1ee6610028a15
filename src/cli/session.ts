// What the plan/apply/drift/export/why commands share: the policy, a Twilio gateway (real, an
// emulator URL, or the in-process demo emulator), reporting to stdout or --out, and a progress line.
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasErrors } from '../model/diagnostics.js';
import type { DesiredState } from '../model/desired.js';
import type { TwilioGateway } from '../model/twilio-port.js';
import { DEMO, demoState, startEmulator } from '../emulator/index.js';
import { createTwilioGateway, twilioOptions } from '../twilio/index.js';
import type { CliIO } from './io.js';
import { printDiagnostics, UsageError } from './io.js';
import { readAndLoadPolicy } from '../policy/read-file.js';
import type { CliSettings } from './args.js';
import { POLICY_HINT } from './flags.js';

export const EXAMPLE_POLICY = 'examples/geo-permissions.yml';

/**
 * The example policy shipped in the repository, found from this module's own location so that
 * `node dist/cli.js plan --demo` works from any directory (dist/cli.js and src/cli/ both sit below it).
 */
export function bundledExamplePolicy(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, EXAMPLE_POLICY);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return null;
}

/** Reads and loads the policy (mode 'plan': expired exceptions are warnings); null after printing errors. */
export async function loadDesiredForCommand(
  settings: CliSettings,
  io: CliIO,
  now: Date,
): Promise<DesiredState | null> {
  return (await loadPolicyForCommand(settings, io, now))?.desired ?? null;
}

export interface LoadedPolicy {
  /** The whole policy: `--shard` narrows the fleet once its subaccounts are listed (plan/shard.ts). */
  desired: DesiredState;
  /** sha256 of the file's text as read: a saved plan records it, and `apply --plan` compares it. */
  sha256: string;
}

/** loadDesiredForCommand, with the digest of the text it loaded. */
export async function loadPolicyForCommand(
  settings: CliSettings,
  io: CliIO,
  now: Date,
): Promise<LoadedPolicy | null> {
  let shown: string;
  let absolute: string;
  if (settings.policy === null) {
    const example = bundledExamplePolicy();
    if (!example) {
      io.stderr.write(`error: the bundled ${EXAMPLE_POLICY} is missing; ${POLICY_HINT}\n`);
      return null;
    }
    shown = EXAMPLE_POLICY;
    absolute = example;
  } else {
    shown = settings.policy;
    absolute = path.resolve(io.cwd, settings.policy);
  }
  const { desired, diagnostics, readable, text } = await readAndLoadPolicy(absolute, {
    shown,
    pointAt: POLICY_HINT,
    now,
    mode: 'plan',
  });
  printDiagnostics(io, diagnostics);
  if (!readable) return null;
  if (!desired || hasErrors(diagnostics)) {
    io.stderr.write(`${shown}: invalid; nothing was sent to Twilio (run \`geo-permissions validate\`)\n`);
    return null;
  }
  const sha256 = createHash('sha256')
    .update(text ?? '')
    .digest('hex');
  return { desired, sha256 };
}

export interface TwilioSession {
  gateway: TwilioGateway;
  /** Requests sent so far (all kinds). */
  requestCount(): number;
  close(): Promise<void>;
}

/** The gateway the settings ask for; with --demo an in-process emulator seeded with the demo fleet. */
export async function openTwilio(settings: CliSettings): Promise<TwilioSession> {
  const hooks = { mask: () => {} };
  if (settings.demo) {
    const emulator = await startEmulator({ seed: 'demo' });
    const production = demoState().accounts.find((a) => a.sid === DEMO.production);
    const gateway = createTwilioGateway(
      twilioOptions(
        { kind: 'authToken', accountSid: DEMO.production, authToken: production?.authToken ?? '' },
        { baseUrl: emulator.url, concurrency: settings.concurrency },
      ),
      hooks,
    );
    return { gateway, requestCount: () => gateway.requestCount(), close: () => emulator.stop() };
  }
  if (!settings.credentials)
    throw new UsageError(
      'no Twilio credentials: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET), or pass --demo',
    );
  let gateway: ReturnType<typeof createTwilioGateway>;
  try {
    gateway = createTwilioGateway(
      twilioOptions(settings.credentials, {
        baseUrl: settings.twilioUrl,
        location: settings.location,
        proxy: settings.proxy,
        concurrency: settings.concurrency,
        perAccount: settings.perAccount,
      }),
      hooks,
    );
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  return { gateway, requestCount: () => gateway.requestCount(), close: async () => {} };
}

/** Writes the report to --out (and says so on stdout) or to stdout. */
/** The path a file really is (its symbolic links followed), or the path itself when it does not exist. */
const realPath = (file: string): string => (existsSync(file) ? realpathSync(file) : file);

/**
 * Writes the report to `--out` (or stdout). A report is never written over the policy it was made from;
 * only `export --force`, whose output is that policy edited, passes `ontoPolicy`.
 */
export async function emit(
  settings: CliSettings,
  io: CliIO,
  report: string,
  summary: string,
  ontoPolicy = false,
): Promise<void> {
  if (settings.out) {
    const out = path.resolve(io.cwd, settings.out);
    const policy = settings.policy ? path.resolve(io.cwd, settings.policy) : null;
    if (!ontoPolicy && policy && realPath(out) === realPath(policy))
      throw new UsageError(
        `--out ${settings.out} is the policy file itself; write the report to another file`,
      );
    await writeFile(out, report);
    io.stdout.write(`${summary}\nWritten to ${settings.out}\n`);
  } else io.stdout.write(report);
}

/** A "reading accounts 12/40" line on stderr, redrawn in place; only on a TTY and for more than one account. */
export function progressLine(settings: CliSettings, io: CliIO, label: string) {
  if (!settings.progress) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update(done: number, total: number) {
      if (total < 2) return;
      shown = true;
      io.stderr.write(`\r${label} ${done}/${total}`);
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[2K');
    },
  };
}
