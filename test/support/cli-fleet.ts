// A small fleet and matching policy for the CLI tests (plan/apply/drift/export/why), independent of the
// demo seed so those tests keep their meaning when the demo changes; plus an in-process CLI runner.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import {
  parseEmulatorState,
  startEmulator,
  type EmulatorStateInput,
  type RunningEmulator,
} from '../../src/emulator/index.js';

export const SID = {
  production: 'AC00000000000000000000000000000001',
  supportEu: 'AC00000000000000000000000000000002',
  sandbox: 'AC00000000000000000000000000000003',
  consoleUser: 'US00000000000000000000000000000042',
};
export const PRODUCTION_TOKEN = 'cli-test-token-production';

const on = { lowRisk: true };

/** production drifts (IE off, MX on); support-eu drifts (FR off, GB special on); sandbox is a trial that inherits. */
export function cliFleet(): EmulatorStateInput {
  return {
    accounts: [
      {
        sid: SID.production,
        authToken: PRODUCTION_TOKEN,
        friendlyName: 'production',
        voice: { inheritance: false, countries: { US: on, CA: on, GB: on, MX: on } },
        messaging: { US: true, CA: true, GB: true, IE: true },
      },
      {
        sid: SID.supportEu,
        authToken: 'cli-test-token-support-eu',
        friendlyName: 'support-eu',
        ownerAccountSid: SID.production,
        voice: {
          inheritance: false,
          countries: { US: on, CA: on, GB: { lowRisk: true, highRiskSpecial: true }, IE: on, DE: on, ES: on },
        },
        messaging: { US: true, CA: true, GB: true, IE: true, DE: true, ES: true, FR: false },
      },
      {
        sid: SID.sandbox,
        authToken: 'cli-test-token-sandbox',
        friendlyName: 'sandbox',
        ownerAccountSid: SID.production,
        type: 'Trial',
        voice: { inheritance: true, countries: {} },
        messaging: { US: true },
      },
    ],
    events: [],
  };
}

export const CLI_POLICY = `version: 1
groups:
  core: [US, CA, GB, IE]
defaults:
  voice:
    low_risk: [core]
  messaging: [core]
guards:
  max_changes: 25
  never_disable: [US]
accounts:
  production:
    sid: ${SID.production}
  support-eu:
    sid: ${SID.supportEu}
    parent: production
    voice:
      low_risk: [core, DE, FR, ES]
    messaging: [core, DE, FR, ES]
  sandbox:
    sid: ${SID.sandbox}
    parent: production
    voice:
      inherit: true
    messaging: [US]
`;

/** An emulator seeded with cliFleet() and a fresh directory holding CLI_POLICY as geo-permissions.yml. */
export async function startCliFleet(): Promise<{ emulator: RunningEmulator; dir: string }> {
  const emulator = await startEmulator({ state: parseEmulatorState(cliFleet()) });
  const dir = await mkdtemp(path.join(tmpdir(), 'geo-cli-'));
  await writeFile(path.join(dir, 'geo-permissions.yml'), CLI_POLICY);
  return { emulator, dir };
}

/** Runs the CLI in-process against `emulator`, with the parent's credentials, in `cwd`. */
/** Runs the CLI in-process with exactly `env` (no inherited variables) in `cwd`. */
export async function runCliWithEnv(env: Record<string, string>, cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

export async function runCli(emulator: RunningEmulator | null, cwd: string, args: string[]) {
  const env: Record<string, string> = emulator
    ? {
        TWILIO_ACCOUNT_SID: SID.production,
        TWILIO_AUTH_TOKEN: PRODUCTION_TOKEN,
        TWILIO_API_URL: emulator.url,
      }
    : {};
  return runCliWithEnv(env, cwd, args);
}
