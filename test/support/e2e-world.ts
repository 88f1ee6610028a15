// What the end-to-end suites of the action share: the built dist/ and one production account on the
// emulator.
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startEmulator, type EmulatorState, type RunningEmulator } from '../../src/emulator/index.js';
import { runAction, type ActionRun, type ActionRunOptions } from './action-harness.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const E2E_SID = 'AC00000000000000000000000000000001';
export const E2E_TOKEN = 'e2e-token-production-000000000001';
export const LOW_RISK_ON = { lowRisk: true, highRiskSpecial: false, highRiskTollfraud: false };

/** Builds dist/ once per suite: the suites run the bundle as a runner does. */
export function buildDist(): void {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
}

/** One parent account, `production`, with US open for low-risk voice and messaging. */
export function productionOnly(): EmulatorState {
  return {
    accounts: [
      {
        sid: E2E_SID,
        authToken: E2E_TOKEN,
        friendlyName: 'production',
        ownerAccountSid: null,
        type: 'Full',
        status: 'active',
        apiKeys: [],
        voice: { inheritance: false, countries: { US: LOW_RISK_ON } },
        messaging: { US: true },
      },
    ],
    events: [],
  } as EmulatorState;
}

/** The policy of `production` alone, allowing `voice` for low-risk voice and `messaging` for messaging. */
export const productionPolicy = (
  voice: readonly string[],
  messaging: readonly string[] = ['US'],
) => `version: 1
accounts:
  production:
    sid: ${E2E_SID}
    voice:
      low_risk: [${voice.join(', ')}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [${messaging.join(', ')}]
`;

export const E2E_PR = 7;
const repository = { full_name: 'acme/telephony', default_branch: 'main' };

/** A pull_request event of PR 7 on acme/telephony, from a fork when asked, its head at `head`. */
export const prEvent = (fork = false, head = 'aaa111') => ({
  action: 'synchronize',
  number: E2E_PR,
  pull_request: {
    number: E2E_PR,
    head: { ref: 'geo', sha: head, repo: { full_name: fork ? 'eve/telephony' : 'acme/telephony', fork } },
    base: { ref: 'main', sha: 'bbb222', repo: { full_name: 'acme/telephony' } },
  },
  repository,
});

/** A push of `sha` to the default branch. */
export const pushEvent = (sha: string) => ({ ref: 'refs/heads/main', after: sha, repository });

/** What each end-to-end test of the action gets afresh: a fake GitHub, the emulator, a repository. */
export interface ActionWorld {
  gh: FakeGitHub;
  twilio: RunningEmulator;
  /** The temporary directory the action runs in (its workspace). */
  repo: string;
  writePolicy(text: string): Promise<void>;
  /** The production account's credentials and the emulator's URL, as the action's inputs. */
  creds(): Record<string, string>;
  /**
   * Runs dist/index.js for one event, with the credentials and `inputs`; GITHUB_SHA is the fake
   * GitHub's default branch head (what a schedule checks out) unless `extra.sha` says otherwise.
   */
  run(
    eventName: string,
    event: unknown,
    inputs?: Record<string, string>,
    extra?: Partial<ActionRunOptions>,
  ): Promise<ActionRun>;
}

/**
 * Registers, around each test of the calling suite, a fake GitHub (set up further by `prepare`), the
 * emulator holding `production` alone and a temporary repository; the answer's fields are those of the
 * running test.
 */
export function useActionWorld(prepare: (gh: FakeGitHub) => void = () => {}): ActionWorld {
  const world: ActionWorld = {
    gh: null as unknown as FakeGitHub,
    twilio: null as unknown as RunningEmulator,
    repo: '',
    writePolicy: (text) => writeFile(path.join(world.repo, 'geo-permissions.yml'), text),
    creds: () => ({
      'twilio-account-sid': E2E_SID,
      'twilio-auth-token': E2E_TOKEN,
      'twilio-api-url': world.twilio.url,
    }),
    run: (eventName, event, inputs = {}, extra = {}) =>
      runAction({
        eventName,
        event,
        cwd: world.repo,
        githubApiUrl: world.gh.url,
        inputs: { ...world.creds(), ...inputs },
        ...extra,
        sha: extra.sha ?? world.gh.repository.branches.get(world.gh.repository.defaultBranch),
      }),
  };
  beforeEach(async () => {
    world.gh = await startFakeGitHub();
    prepare(world.gh);
    world.twilio = await startEmulator({ state: productionOnly() });
    world.repo = await mkdtemp(path.join(tmpdir(), 'geo-repo-'));
  });
  afterEach(async () => {
    await world.gh.close();
    await world.twilio.stop();
  });
  return world;
}
