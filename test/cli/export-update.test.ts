import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { SCHEMA_MODELINE } from '../../src/policy/json-schema.js';
import { SID, runCli, startCliFleet } from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';

let emulator: RunningEmulator;
let dir: string;
const run = (args: string[]) => runCli(emulator, dir, args);
const read = (file: string) => readFile(path.join(dir, file), 'utf8');

beforeEach(async () => {
  ({ emulator, dir } = await startCliFleet());
});
afterEach(() => emulator.stop());

/** A hand-written policy: comments, a group, guards and a time-boxed exception, as the issue lost them. */
const HAND_WRITTEN = `# Reviewed by the telephony team; see OPS-7.
version: 1
groups:
  core: [US, CA, GB, IE] # voice and messaging
defaults:
  voice:
    low_risk: [core]
  messaging: [core]
guards:
  max_changes: 25
  never_disable: [US] # lock-out guard
  never_enable: [KP]
accounts:
  production:
    sid: ${SID.production}
  support-eu:
    sid: ${SID.supportEu}
    parent: production
    voice:
      low_risk:
        - core
        - DE
        - { country: ZA, expires: 2099-12-31, reason: pilot, ticket: OPS-42 } # time-boxed
    messaging: [core, DE]
  sandbox:
    sid: ${SID.sandbox}
    parent: production
    voice:
      inherit: true
    messaging: [US]
`;

describe('export never clobbers', () => {
  it('refuses an existing --out file and leaves it as it was; --force replaces it', async () => {
    await writeFile(path.join(dir, 'mine.yml'), HAND_WRITTEN);
    const refused = await run(['export', '--account', SID.production, '--out', 'mine.yml']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'error: mine.yml exists; export never overwrites a file without --force. To update a policy in place, keeping its groups, guards, exceptions and comments: geo-permissions export --policy mine.yml --out mine.yml --force\n',
    );
    expect(await read('mine.yml')).toBe(HAND_WRITTEN);
    const forced = await run(['export', '--account', SID.production, '--out', 'mine.yml', '--force']);
    expect(forced.code).toBe(0);
    expect((await read('mine.yml')).split('\n')[0]).toBe(SCHEMA_MODELINE);
  });

  it('bootstraps the policy file itself when there is none: export --out geo-permissions.yml', async () => {
    await rm(path.join(dir, 'geo-permissions.yml'));
    const r = await run(['export', '--out', 'geo-permissions.yml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await read('geo-permissions.yml')).split('\n')[0]).toBe(SCHEMA_MODELINE);
    expect((await run(['plan'])).stdout.split('\n')[0]).toBe('No changes: 3 accounts match the policy.');
  });

  it('with --account, never replaces the policy file with a new policy of those accounts, even with --force', async () => {
    await writeFile(path.join(dir, 'geo-permissions.yml'), HAND_WRITTEN);
    const r = await run(['export', '--account', SID.supportEu, '--out', 'geo-permissions.yml', '--force']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: --out geo-permissions.yml is the policy file, and with --account export writes a new policy of those accounts only: it would replace the policy (its other accounts, groups, guards and comments). To update it in place, leave out --account; to write the new policy, give another --out FILE\n',
    );
    expect(await read('geo-permissions.yml')).toBe(HAND_WRITTEN);
  });

  it('onto a policy live state agrees with: changes nothing but the modeline, and says so', async () => {
    await writeFile(path.join(dir, 'geo-permissions.yml'), HAND_WRITTEN);
    expect((await run(['apply', '--yes'])).code).toBe(0);
    const r = await run(['export', '--out', 'geo-permissions.yml', '--force']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Exported 3 accounts onto geo-permissions.yml: it matches live state, nothing changed.\nWritten to geo-permissions.yml\n',
    );
    const text = await read('geo-permissions.yml');
    expect(text.split('\n')[0]).toBe(SCHEMA_MODELINE);
    expect(text).toContain('# Reviewed by the telephony team; see OPS-7.');
    expect(text).toContain('never_enable: [KP]');
    expect(text).toContain(
      '- {country: ZA, expires: 2099-12-31, reason: pilot, ticket: OPS-42} # time-boxed',
    );
  });

  it('onto a policy live state has moved from: keeps names, groups, guards, the exception and comments, edits only the lists that differ, and says how', async () => {
    await writeFile(path.join(dir, 'geo-permissions.yml'), HAND_WRITTEN);
    expect((await run(['apply', '--yes'])).code).toBe(0);
    await control(emulator, 'POST', 'console', {
      account: SID.production,
      actor: SID.consoleUser,
      voice: { FR: { lowRisk: true } },
      messaging: { IE: false },
    });
    const r = await run(['export']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      [
        'Exported 3 accounts onto geo-permissions.yml; changed to match live state:',
        '  accounts.production.voice.low_risk (was the default, now its own): added FR (open live)',
        '  accounts.production.messaging (was the default, now its own): removed "core" (IE off live); added CA, GB, US (open live)',
        '',
      ].join('\n'),
    );
    const text = r.stdout;
    expect(text.split('\n')[0]).toBe(SCHEMA_MODELINE);
    expect(text).toContain(
      '  production:\n    sid: AC00000000000000000000000000000001\n    voice:\n      low_risk: [core, FR]\n    messaging: [CA, GB, US]\n',
    );
    for (const kept of [
      '# Reviewed by the telephony team',
      'core: [US, CA, GB, IE] # voice and messaging',
      'never_disable: [US] # lock-out guard',
      'expires: 2099-12-31',
      'messaging: [core, DE]',
    ])
      expect(text).toContain(kept);
    await writeFile(path.join(dir, 'exported.yml'), text);
    const plan = await run(['plan', '--policy', 'exported.yml', '--detailed-exitcode']);
    expect(plan.stdout.split('\n')[0]).toBe('No changes: 3 accounts match the policy.');
    expect(plan.code).toBe(0);
  });
});
