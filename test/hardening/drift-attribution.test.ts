import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { readDriftEvents } from '../../src/live/events.js';
import { readLiveState } from '../../src/live/read.js';
import type { DriftReport } from '../../src/model/plan.js';
import { buildPlan } from '../../src/plan/build.js';
import { frameDrift } from '../../src/plan/drift.js';
import { driftIssueText, driftSection, renderReport } from '../../src/report/index.js';
import { runAction } from '../support/action-harness.js';
import { runCliWithEnv } from '../support/cli-fleet.js';
import { control } from '../support/emulator-helpers.js';
import { startFakeGitHub } from '../support/fake-github.js';
import {
  desiredOf,
  gatewayFor,
  NOW,
  PARENT_TOKEN,
  POLICY,
  SIDS,
  startFleet,
  SUPPORT_EU_TOKEN,
} from '../support/hardening.js';

/**
 * Issue 10, item 11b: when the Monitor Events of an account cannot be read (a 403 for credentials
 * without Monitor access, a 5xx after the retries), its drifted cells say "attribution unavailable:
 * <reason>", in every report; "no Monitor Event in the lookback window (N days)" only when the events
 * were read and none matched. The reason is the HTTP status and Twilio's error, never a credential.
 */
const EVENTS = '/v1/Events';
const INJECTED = 'Twilio error 20500: Service unavailable (injected fault)';
const NO_EVENT = 'no Monitor Event in the lookback window (30 days)';

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startFleet();
});
afterEach(async () => {
  await emulator.stop();
});

/** The drift report of the hardening fleet, its events read after `faults` were set. */
async function driftWith(faults: Array<Record<string, unknown>>): Promise<DriftReport> {
  const desired = desiredOf();
  const gateway = gatewayFor(emulator);
  const plan = buildPlan(desired, await readLiveState(gateway, desired, { concurrency: 3 }));
  if (faults.length) await control(emulator, 'POST', 'faults', faults);
  return frameDrift(plan, await readDriftEvents(gateway, desired, plan, { now: NOW, lookbackDays: 30 }));
}

/** Every report of it: text, Markdown, JSON and the drift issue's body. */
function everyReport(report: DriftReport): { text: string; markdown: string; json: string; issue: string } {
  return {
    text: renderReport('drift', 'text', report),
    markdown: renderReport('drift', 'markdown', report),
    json: renderReport('drift', 'json', report),
    issue: driftIssueText(driftSection(report), 'https://github.com/acme/telephony/actions/runs/1'),
  };
}

describe('drift attribution when the Monitor Events cannot be read', () => {
  it.each([
    ['a 403 (no Monitor access)', 403, `HTTP 403, ${INJECTED}`],
    ['a 503 after the retries', 503, `HTTP 503, ${INJECTED}`],
  ])('%s: every report says "attribution unavailable" with the reason', async (_, status, reason) => {
    const report = await driftWith([{ type: 'status', status, path: EVENTS }]);
    expect(report.items).toHaveLength(5);
    expect(report.complete).toBe(true);
    expect(report.lookbackDays).toBe(30);
    expect(report.attributionByAccount).toEqual([
      { account: 'production', sid: SIDS.production, available: false, reason },
      { account: 'support-eu', sid: SIDS.supportEu, available: false, reason },
    ]);
    for (const item of report.items)
      expect(item).toMatchObject({ attribution: null, attributionUnavailable: reason });
    for (const [format, text] of Object.entries(everyReport(report))) {
      // JSON says it in its fields (checked below); the others in words.
      expect(text, format).toContain(format === 'json' ? reason : `attribution unavailable: ${reason}`);
      expect(text, format).not.toContain('no Monitor Event');
      for (const secret of [PARENT_TOKEN, SUPPORT_EU_TOKEN]) expect(text, format).not.toContain(secret);
    }
    const json = JSON.parse(everyReport(report).json);
    expect(json.attributionByAccount).toEqual(report.attributionByAccount);
    expect(
      json.items.map((i: { attributionUnavailable: string | null }) => i.attributionUnavailable),
    ).toEqual(Array(5).fill(reason));
  });

  it('tells the accounts apart: one unreadable, the other read with no matching event', async () => {
    // 403 is not retried: the one fault hits production's events (the accounts are read at once, so
    // the fault names the account), support-eu reads cleanly.
    const report = await driftWith([
      { type: 'status', status: 403, path: EVENTS, account: SIDS.production, count: 1 },
    ]);
    expect(report.attributionByAccount).toEqual([
      { account: 'production', sid: SIDS.production, available: false, reason: `HTTP 403, ${INJECTED}` },
      { account: 'support-eu', sid: SIDS.supportEu, available: true, reason: null },
    ]);
    const text = renderReport('drift', 'text', report);
    const production = text.slice(text.indexOf('production ('), text.indexOf('support-eu ('));
    const supportEu = text.slice(text.indexOf('support-eu ('));
    expect(production).toContain(`changed by: attribution unavailable: HTTP 403, ${INJECTED}`);
    expect(production).not.toContain('no Monitor Event');
    expect(supportEu).toContain(`changed by: ${NO_EVENT}`);
    expect(supportEu).not.toContain('attribution unavailable');
  });

  it('a connection that keeps dropping: the reason is what happened, without the request', async () => {
    const report = await driftWith([{ type: 'drop', path: EVENTS }]);
    const reason = report.items[0]?.attributionUnavailable;
    expect(reason).toMatch(/^connection failed \(ECONNRESET\) after 4 attempts/);
    expect(renderReport('drift', 'markdown', report)).toContain(`attribution unavailable: ${reason}`);
  });

  it('events read, none matched: "no Monitor Event in the lookback window (N days)"', async () => {
    const report = await driftWith([]);
    expect(report.attributionByAccount.map((a) => [a.account, a.available, a.reason])).toEqual([
      ['production', true, null],
      ['support-eu', true, null],
    ]);
    for (const [format, text] of Object.entries(everyReport(report))) {
      if (format !== 'json') expect(text, format).toContain(NO_EVENT);
      expect(text, format).not.toContain('attribution unavailable');
    }
  });
});

describe('the CLI drift command', () => {
  const cli = async (args: string[]) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'geo-attribution-'));
    await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
    const env = {
      TWILIO_ACCOUNT_SID: SIDS.production,
      TWILIO_AUTH_TOKEN: PARENT_TOKEN,
      TWILIO_API_URL: emulator.url,
    };
    return runCliWithEnv(env, dir, ['drift', ...args]);
  };

  it('says "attribution unavailable: HTTP 403 …" when Monitor Events answer 403', async () => {
    await control(emulator, 'POST', 'faults', [{ type: 'status', status: 403, path: EVENTS }]);
    const text = await cli([]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain(`changed by: attribution unavailable: HTTP 403, ${INJECTED}`);
    expect(text.stdout).not.toContain('no Monitor Event');
    const json = JSON.parse((await cli(['--format', 'json'])).stdout);
    expect(json.attributionByAccount[0]).toEqual({
      account: 'production',
      sid: SIDS.production,
      available: false,
      reason: `HTTP 403, ${INJECTED}`,
    });
  });

  it('names the lookback it searched', async () => {
    const r = await cli(['--lookback-days', '7']);
    expect(r.stdout).toContain('changed by: no Monitor Event in the lookback window (7 days)');
  });
});

describe('the action (dist/index.js) drift issue', () => {
  it('says "attribution unavailable" in the summary and the issue when Monitor Events answer 403', async () => {
    const gh = await startFakeGitHub();
    try {
      await control(emulator, 'POST', 'faults', [{ type: 'status', status: 403, path: EVENTS }]);
      const dir = await mkdtemp(path.join(tmpdir(), 'geo-attribution-action-'));
      await writeFile(path.join(dir, 'geo-permissions.yml'), POLICY);
      const run = await runAction({
        cwd: dir,
        eventName: 'schedule',
        githubApiUrl: gh.url,
        inputs: {
          'twilio-account-sid': SIDS.production,
          'twilio-auth-token': PARENT_TOKEN,
          'twilio-api-url': emulator.url,
          'github-token': 'ghs_attribution_test',
        },
      });
      expect(run.code, run.stdout).toBe(0);
      const issues = gh.issues.filter((i) => !i.pull_request);
      expect(issues).toHaveLength(1);
      for (const [where, text] of [
        ['summary', run.summary],
        ['issue', issues[0]!.body],
      ]) {
        expect(text, where).toContain(`attribution unavailable: HTTP 403, ${INJECTED}`);
        expect(text, where).not.toContain('no Monitor Event');
      }
    } finally {
      await gh.close();
    }
  });
});
