import { describe, expect, it } from 'vitest';
import { readActionSettings, hasTwilioCredentials, secretValues } from '../../src/action/settings.js';
import { resolveMode } from '../../src/action/mode.js';
import type { RunContext } from '../../src/action/context.js';
import { selectAnnotations } from '../../src/action/annotations.js';
import type { Diagnostic } from '../../src/model/diagnostics.js';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const SID = 'AC' + '1'.repeat(32);

describe('readActionSettings', () => {
  it('applies the action.yml defaults', () => {
    const s = readActionSettings(reader({}));
    expect(s).toMatchObject({
      policy: 'geo-permissions.yml',
      mode: 'auto',
      comment: true,
      maxChanges: null,
      allowHighRisk: false,
      onDrift: 'issue',
      driftLabel: 'geo-permissions-drift',
      cleanupPr: true,
      botLogin: 'github-actions[bot]',
      concurrency: 8,
    });
    expect(hasTwilioCredentials(s.twilio)).toBe(false);
  });
  it('rejects bad values with one clear message listing each', () => {
    let message = '';
    try {
      readActionSettings(
        reader({ 'max-changes': 'abc', mode: 'deploy', comment: 'yes', 'on-drift': 'ignore' }),
      );
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid action inputs:',
      '- mode must be one of auto, validate, plan, apply, drift, got "deploy"',
      '- comment must be true or false, got "yes"',
      '- max-changes must be a whole number >= 0, got "abc"',
      '- on-drift must be one of issue, revert, fail, got "ignore"',
    ]);
  });
  it('parses credentials, numbers and booleans, and lists secrets to mask', () => {
    const s = readActionSettings(
      reader({
        'twilio-account-sid': SID,
        'twilio-auth-token': 'tok',
        'github-token': 'ghs_x',
        'max-changes': '40',
        'allow-high-risk': 'TRUE',
      }),
    );
    expect(s.maxChanges).toBe(40);
    expect(s.allowHighRisk).toBe(true);
    expect(hasTwilioCredentials(s.twilio)).toBe(true);
    expect(secretValues(s)).toEqual(['tok', 'ghs_x']);
  });
  it('reads shard: 1/1 as the whole fleet, the same as no shard (one drift issue, not two)', () => {
    expect(readActionSettings(reader({ shard: '1/1' })).shard).toBeNull();
    expect(readActionSettings(reader({ shard: '2/4' })).shard).toEqual({ index: 2, count: 4 });
  });
  it('reads fail-on-refusal: true by default, false when set, and names a bad value', () => {
    expect(readActionSettings(reader({})).failOnRefusal).toBe(true);
    expect(readActionSettings(reader({ 'fail-on-refusal': 'false' })).failOnRefusal).toBe(false);
    expect(readActionSettings(reader({ 'fail-on-refusal': 'True' })).failOnRefusal).toBe(true);
    expect(() => readActionSettings(reader({ 'fail-on-refusal': 'warn' }))).toThrowError(
      'fail-on-refusal must be true or false, got "warn"',
    );
  });
  it('refuses a token without the account SID', () => {
    expect(() => readActionSettings(reader({ 'twilio-auth-token': 'tok' }))).toThrowError(
      /need twilio-account-sid/,
    );
  });
});

describe('resolveMode', () => {
  const ctx = (eventName: string, ref = '', default_branch = 'main'): RunContext => ({
    eventName,
    payload: { repository: { default_branch } },
    payloadError: null,
    owner: 'o',
    repo: 'r',
    sha: 'abc',
    ref,
    serverUrl: 'https://github.com',
    runId: '1',
    runAttempt: '1',
    tempDir: '/tmp',
  });
  it('picks by event under auto', () => {
    expect(resolveMode('auto', ctx('pull_request'), true).mode).toBe('plan');
    expect(resolveMode('auto', ctx('push', 'refs/heads/main'), true).mode).toBe('apply');
    expect(resolveMode('auto', ctx('push', 'refs/heads/feature'), true).mode).toBe('validate');
    expect(resolveMode('auto', ctx('schedule'), true).mode).toBe('drift');
    expect(resolveMode('auto', ctx('workflow_dispatch'), true).mode).toBe('drift');
    expect(resolveMode('drift', ctx('pull_request'), true).mode).toBe('drift');
  });
  it('validates only, saying why, without credentials', () => {
    const d = resolveMode('auto', ctx('pull_request'), false);
    expect(d).toMatchObject({ mode: 'validate', noCredentials: true });
    expect(d.reason).toContain('no Twilio credentials');
  });
  it('fails an apply or a drift scan without credentials instead of passing green having done nothing', () => {
    // A fork never pushes to the default branch or runs a schedule: missing secrets there are a broken setup.
    expect(() => resolveMode('auto', ctx('push', 'refs/heads/main'), false)).toThrowError(
      /apply .*needs Twilio credentials/,
    );
    expect(() => resolveMode('auto', ctx('schedule'), false)).toThrowError(
      /drift .*needs Twilio credentials/,
    );
    expect(() => resolveMode('apply', ctx('workflow_dispatch'), false)).toThrowError(
      /needs Twilio credentials/,
    );
  });
  it('refuses a drift label with a comma, which the issue listing would read as two labels', () => {
    expect(() => readActionSettings(reader({ 'drift-label': 'geo,drift' }))).toThrowError(
      /drift-label .*comma/,
    );
  });
  it('refuses an API secret without its key', () => {
    expect(() =>
      readActionSettings(reader({ 'twilio-account-sid': SID, 'twilio-api-secret': 's' })),
    ).toThrowError(/twilio-api-secret needs twilio-api-key/);
  });
});

describe('selectAnnotations', () => {
  it('caps each severity and counts the rest', () => {
    const d = (severity: 'error' | 'warning', line: number): Diagnostic => ({
      severity,
      message: `m${line}`,
      location: { file: 'p.yml', line, column: 1 },
    });
    const list = [...Array.from({ length: 11 }, (_, i) => d('error', i + 1)), d('warning', 50)];
    const { shown, omitted } = selectAnnotations(list);
    expect(shown.filter((x) => x.severity === 'error')).toHaveLength(8);
    expect(shown.filter((x) => x.severity === 'warning')).toHaveLength(1);
    expect(omitted).toEqual({ error: 3, warning: 0 });
  });
});
