// The last read of an account against its policy as a whole: what the run reports at the end.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/apply/read-back.js';
import { startRun, type CellRun } from '../../src/apply/write.js';
import type { LiveAccount } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build.js';
import { cellId } from '../../src/plan/cells.js';
import { desiredAccount, desiredState, fakeAccount } from '../support/fake-account-client.js';

const account = fakeAccount(1, { countries: ['US', 'DE', 'FR'] });
const desired = desiredState([desiredAccount(1, { low: ['US'], messaging: ['FR'] })]);

function live(on: { voice?: string[]; messaging?: string[] }): LiveAccount {
  const flags = (iso: string) => ({
    low_risk: on.voice?.includes(iso) ?? false,
    high_risk_special: false,
    high_risk_tollfraud: false,
  });
  return {
    identity: account.identity,
    voiceInheritance: null,
    voice: Object.fromEntries(
      ['US', 'DE', 'FR'].map((iso) => [
        iso,
        { iso, name: iso, continent: null, callingCodes: [], ...flags(iso) },
      ]),
    ),
    messaging: Object.fromEntries(
      ['US', 'DE', 'FR'].map((iso) => [
        iso,
        { iso, enabled: on.messaging?.includes(iso) ?? false, prefix: null, message: null },
      ]),
    ),
  };
}

// Planned against a fleet with nothing on: US voice and FR messaging to enable.
const planned = buildPlan(desired, { accounts: { [account.identity.sid]: live({}) }, errors: [] })
  .accounts[0]!;
const target = { account: desired.accounts[0]!, planned };

function runOf(outcomes: Partial<Record<'US' | 'FR', Partial<CellRun>>>) {
  const run = startRun({ writes: 0 });
  for (const change of planned.changes) {
    const more = outcomes[change.country as 'US' | 'FR'] ?? {};
    run.cells.set(cellId(change), {
      change,
      write: true,
      outcome: 'verified',
      errorCode: null,
      detail: null,
      ...more,
    });
  }
  return run;
}
const rows = (run: ReturnType<typeof startRun>) =>
  [...run.cells.values()].map((c) => `${c.change.category} ${c.change.country} ${c.outcome}: ${c.detail}`);

describe('reconcile', () => {
  it('leaves an account that is as the policy wants as it is', () => {
    const run = runOf({});
    reconcile(run, target, live({ voice: ['US'], messaging: ['FR'] }));
    expect(rows(run)).toEqual(['voice.low_risk US verified: null', 'messaging FR verified: null']);
  });

  it('reports a verified cell changed since, and a cell the run never touched that is now on, as failed', () => {
    const run = runOf({});
    reconcile(run, target, live({ voice: ['US', 'DE'], messaging: [] }));
    expect(rows(run)).toEqual([
      'voice.low_risk US verified: null',
      expect.stringMatching(/^messaging FR failed: verified, then read off at the end of this apply/),
      expect.stringMatching(
        /^voice.low_risk DE failed: wider than both the plan and the policy: read on at the end of this apply/,
      ),
    ]);
  });

  it('an uncertain failure that shows as wanted is verified; a certain one stays failed', () => {
    const run = runOf({
      US: { outcome: 'failed', uncertain: true, detail: 'connection reset' },
      FR: { outcome: 'failed', errorCode: 30649, detail: 'refused' },
    });
    reconcile(run, target, live({ voice: ['US'], messaging: ['FR'] }));
    expect(rows(run)).toEqual([
      'voice.low_risk US verified: read back as wanted although the write answered: connection reset',
      'messaging FR failed: refused',
    ]);
  });
});
