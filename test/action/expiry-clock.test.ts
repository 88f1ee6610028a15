// An exception that expires between two scheduled drift runs: the first run (its last day) leaves the
// country open and opens no issue; the second (the day after, by the clock the flow is given, the same
// policy file) disables it, reads it back and records it on the drift issue. The drift flow runs in
// process against the Twilio emulator and the fake GitHub, both real HTTP servers.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunContext } from '../../src/action/context.js';
import { runDrift } from '../../src/action/flows/drift.js';
import type { FlowInput } from '../../src/action/flows/shared.js';
import { readActionSettings } from '../../src/action/settings.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { parseOutputs } from '../support/action-harness.js';
import { E2E_SID, E2E_TOKEN, LOW_RISK_ON, productionOnly } from '../support/e2e-world.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

const POLICY = `version: 1
accounts:
  production:
    sid: ${E2E_SID}
    voice:
      low_risk: [US, {country: BR, expires: 2026-11-30, reason: pilot, ticket: OPS-42}]
      high_risk_special: []
      high_risk_tollfraud: []
    messaging: [US]
`;

let twilio: RunningEmulator;
let gh: FakeGitHub;
let repo: string;
let outputFile: string;
const saved = { ...process.env };

// One fake GitHub for the file: @actions/github reads GITHUB_API_URL once, when it is first loaded.
beforeAll(async () => {
  gh = await startFakeGitHub();
});
afterAll(async () => {
  await gh.close();
});
beforeEach(async () => {
  const state = productionOnly();
  state.accounts[0]!.voice.countries.BR = LOW_RISK_ON;
  twilio = await startEmulator({ state });
  gh.issues.length = 0;
  gh.comments.length = 0;
  gh.readOnly = false;
  repo = await mkdtemp(path.join(tmpdir(), 'geo-expiry-'));
  await writeFile(path.join(repo, 'geo-permissions.yml'), POLICY);
  outputFile = path.join(repo, 'outputs');
  // What @actions/core and @actions/github read from the runner's environment.
  Object.assign(process.env, { GITHUB_API_URL: gh.url, GITHUB_OUTPUT: outputFile });
});
afterEach(async () => {
  process.env = { ...saved };
  vi.restoreAllMocks();
  await twilio.stop();
});

const ctx: RunContext = {
  eventName: 'schedule',
  payload: {},
  payloadError: null,
  owner: 'acme',
  repo: 'telephony',
  sha: 'f00dfeed',
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  runId: '4242',
  runAttempt: '1',
  tempDir: tmpdir(),
};

/** One scheduled drift run at `now`: the flow as main gives it its input, its log kept out of the test's. */
async function scheduledRun(now: string) {
  const inputs: Record<string, string> = {
    'twilio-account-sid': E2E_SID,
    'twilio-auth-token': E2E_TOKEN,
    'twilio-api-url': twilio.url,
    'github-token': 'ghs_e2e_job_token',
  };
  await writeFile(outputFile, '');
  const input: FlowInput = {
    settings: readActionSettings((name) => inputs[name] ?? '', { GITHUB_WORKSPACE: repo }),
    // The schedule checks out the default branch head: the policy is the one the default branch holds.
    ctx: { ...ctx, sha: gh.repository.branches.get(gh.repository.defaultBranch)! },
    reason: 'event schedule',
    summary: [],
    now: new Date(now),
    cancel: { signal: new AbortController().signal, beginWriting: () => {}, quickly: (work) => work },
  };
  const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const result = await runDrift(input);
    return {
      result,
      summary: input.summary.join('\n\n'),
      outputs: parseOutputs(await readFile(outputFile, 'utf8')),
    };
  } finally {
    log.mockRestore();
  }
}

const brazil = () => twilio.state().accounts[0]!.voice.countries.BR?.lowRisk ?? false;

describe('an exception expiring between two scheduled drift runs', () => {
  it('stays open on its last day, and is disabled and recorded by the run after it expired', async () => {
    const lastDay = await scheduledRun('2026-11-30T23:00:00Z');
    expect(lastDay.result.failure).toBeNull();
    expect(brazil()).toBe(true);
    expect(lastDay.outputs).toMatchObject({ 'drift-detected': 'false', 'expired-disabled': '0' });
    expect(gh.issues).toHaveLength(0);
    expect(lastDay.summary).toContain('| production | voice low-risk | BR |');
    expect(lastDay.summary).toContain('| last day | pilot | OPS-42 | yes |');

    const after = await scheduledRun('2026-12-01T06:00:00Z');
    expect(after.result.failure).toBeNull();
    expect(brazil()).toBe(false);
    expect(after.outputs).toMatchObject({
      'drift-detected': 'false',
      'expired-disabled': '1',
      'issue-number': '1',
    });
    const [issue] = gh.issues;
    expect(issue?.state).toBe('open');
    expect(issue?.body).toContain('Expired exceptions: closed 1 cell.');
    expect(issue?.body).toContain(
      '| ⚪ low | voice low-risk | BR Brazil | production | - | expired 2026-11-30 (1 day ago), `geo-permissions.yml:6` | OPS-42 | pilot |',
    );
    expect(issue?.body).toContain('| expired 1 day ago | pilot | OPS-42 | no |');
    expect(after.summary).toContain('#### Closed by this run: expired exceptions');
  });
});

describe('a close the drift issue could not record', () => {
  it('fails the job: the run wrote to Twilio, and only the job summary says so', async () => {
    gh.readOnly = true;
    const run = await scheduledRun('2026-12-01T06:00:00Z');
    expect(brazil()).toBe(false);
    expect(run.outputs).toMatchObject({ 'drift-detected': 'false', 'expired-disabled': '1' });
    expect(gh.issues).toHaveLength(0);
    expect(run.result.failure).toContain('not recorded on the drift issue');
    expect(run.summary).toContain('#### Closed by this run: expired exceptions');
  });
});
