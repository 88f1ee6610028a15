import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { runAction } from '../support/action-harness.js';
import { runCliWithEnv } from '../support/cli-fleet.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { fleetState, POLICY, SIDS } from '../support/hardening.js';

/**
 * Every mode, with distinctive secrets, and a search of everything the tool emits for each secret and
 * its Basic-auth form. The only place a secret may appear is an `::add-mask::` line (that is how a
 * runner learns what to hide), and the derived subaccount tokens must appear there.
 */
const PARENT_TOKEN = 'ptok9f3a7c1e5b2d8f4a6c0e9b7d3f1a5c';
const SUB_TOKEN = 'stok1b4d7f0a3c6e9b2d5f8a1c4e7b0d3f6';
const SANDBOX_TOKEN = 'xtok5e8b1d4f7a0c3e6b9d2f5a8c1e4b7d0';
const KEY_SECRET = 'ksec7c0e3b6d9f2a5c8e1b4d7f0a3c6e9b2';
const GITHUB_TOKEN = 'ghs_hardeningSecretToken0123456789';

const secrets = [
  PARENT_TOKEN,
  SUB_TOKEN,
  SANDBOX_TOKEN,
  KEY_SECRET,
  GITHUB_TOKEN,
  ...[
    [SIDS.production, PARENT_TOKEN],
    [SIDS.supportEu, SUB_TOKEN],
    [SIDS.sandbox, SANDBOX_TOKEN],
    [SIDS.supportEuKey, KEY_SECRET],
  ].map(([user, pass]) => Buffer.from(`${user}:${pass}`).toString('base64')),
];

/** Text with every `::add-mask::` line removed. */
const unmasked = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function expectNoSecret(where: string, text: string): void {
  for (const secret of secrets) expect(unmasked(text).includes(secret), `${secret} in ${where}`).toBe(false);
}

let emulator: RunningEmulator;
let gh: FakeGitHub;
let dir: string;
beforeAll(async () => {
  const state = fleetState();
  for (const a of state.accounts) {
    if (a.sid === SIDS.production) a.authToken = PARENT_TOKEN;
    if (a.sid === SIDS.supportEu) {
      a.authToken = SUB_TOKEN;
      a.apiKeys = [{ sid: SIDS.supportEuKey, secret: KEY_SECRET }];
    }
    if (a.sid === SIDS.sandbox) a.authToken = SANDBOX_TOKEN;
  }
  emulator = await startEmulator({ state });
  gh = await startFakeGitHub();
  dir = await mkdtemp(path.join(tmpdir(), 'geo-secrets-'));
  await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
});
afterAll(async () => {
  await emulator.stop();
  await gh.close();
});

async function filesUnder(folder: string): Promise<string> {
  let all = '';
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) all += await readFile(path.join(entry.parentPath, entry.name), 'utf8');
  return all;
}

describe('the CLI', () => {
  it.each([
    ['validate'],
    ['plan', '--format', 'json', '--out', 'plan.json'],
    ['plan', '--format', 'markdown'],
    ['apply', '--yes'],
    ['drift'],
    ['export', '--out', 'exported.yml'],
  ])('%s emits no secret', async (...args) => {
    const run = await runCliWithEnv(
      {
        TWILIO_ACCOUNT_SID: SIDS.production,
        TWILIO_AUTH_TOKEN: PARENT_TOKEN,
        TWILIO_API_URL: emulator.url,
        TWILIO_CREDENTIALS: JSON.stringify({
          [SIDS.supportEu]: { apiKey: SIDS.supportEuKey, apiSecret: KEY_SECRET },
        }),
      },
      dir,
      args,
    );
    // Each command did its work (apply runs before drift, so drift finds none): the search covers real output.
    expect(run.code, run.stderr).toBe(0);
    expectNoSecret(`stdout of ${args.join(' ')}`, run.stdout);
    expectNoSecret(`stderr of ${args.join(' ')}`, run.stderr);
    expectNoSecret('files in the working directory', await filesUnder(dir));
  });
});

describe('the action (dist/index.js)', () => {
  it.each([
    ['validate', 'pull_request'],
    ['plan', 'pull_request'],
    ['apply', 'push'],
    ['drift', 'schedule'],
  ])('%s emits no secret, and masks the derived tokens', async (mode, eventName) => {
    const run = await runAction({
      cwd: dir,
      eventName,
      event: {
        number: 3,
        pull_request: { number: 3 },
        repository: { full_name: 'acme/telephony', default_branch: 'main' },
      },
      githubApiUrl: gh.url,
      inputs: {
        mode,
        'twilio-account-sid': SIDS.production,
        'twilio-auth-token': PARENT_TOKEN,
        'twilio-api-url': emulator.url,
        'github-token': GITHUB_TOKEN,
        'max-changes': '100',
      },
    });
    expect(run.code, run.stdout).toBe(0);
    for (const [where, text] of Object.entries({
      stdout: run.stdout,
      stderr: run.stderr,
      summary: run.summary,
      outputs: JSON.stringify(run.outputs),
      'runner files': await filesUnder(run.dir),
      comments: JSON.stringify(gh.comments),
      issues: JSON.stringify(gh.issues),
    }))
      expectNoSecret(`${mode}: ${where}`, text);
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toContain(`::add-mask::${PARENT_TOKEN}`);
    if (mode !== 'validate') {
      expect(masks).toContain(`::add-mask::${SUB_TOKEN}`);
      expect(masks).toContain(`::add-mask::${SANDBOX_TOKEN}`);
    }
  });
});
