// The executor of one step: it only evaluates the step's condition, sends its requests, and records
// what Twilio answered. The steps here are built by hand, so each rule is seen on its own.
import { describe, expect, it } from 'vitest';
import type { CellChange } from '../../src/model/plan.js';
import type { AccountClient, MessagingUpdateResult } from '../../src/model/twilio-port.js';
import { cellId } from '../../src/plan/cells.js';
import { DETAIL, type WriteStep } from '../../src/apply/schedule.js';
import { addCells, runStep, startRun, type AccountRun } from '../../src/apply/write.js';
import { cellChange } from '../support/cell-change.js';

const SID = `AC${'1'.repeat(32)}`;

const change = (category: CellChange['category'], country: string | null, to: boolean) =>
  cellChange({ category, country, from: !to, to, sid: SID });

const DE = change('voice.low_risk', 'DE', false);
const FR = change('voice.low_risk', 'FR', false);
const US = change('messaging', 'US', true);
const INHERIT = change('voice.inherit', null, false);

/** A client that records each write and answers as told. */
function client(answers: { voice?: (isos: string[]) => void; messaging?: MessagingUpdateResult[] } = {}) {
  const calls: string[] = [];
  const c = {
    sid: SID,
    async bulkUpdateVoice(updates) {
      calls.push(`voice ${updates.map((u) => u.iso).join(',')}`);
      answers.voice?.(updates.map((u) => u.iso));
      return { updateCount: updates.length };
    },
    async setVoiceInheritance(inherit: boolean) {
      calls.push(`inherit ${inherit}`);
    },
    async updateMessaging(updates) {
      calls.push(`messaging ${updates.map((u) => u.iso).join(',')}`);
      return answers.messaging ?? updates.map((u) => ({ ...u, errorCode: 0, errorMessages: [] }));
    },
  } as Partial<AccountClient> as AccountClient;
  return { client: c, calls };
}

function runOf(...changes: CellChange[]): AccountRun {
  const run = startRun({ writes: 0 });
  addCells(
    run,
    changes.map((c) => ({ change: c, write: true, outcome: null, detail: null })),
  );
  return run;
}

const cell = (run: AccountRun, c: CellChange) => run.cells.get(cellId(c))!;

function voiceStep(requires: WriteStep['requires'], ...batches: CellChange[][]): WriteStep {
  return {
    kind: requires === 'no-failure' ? 'voice-enables' : 'voice-disables',
    requests: batches.map((cells) => ({
      call: {
        op: 'voice',
        updates: cells.map((c) => ({
          iso: c.country as string,
          low_risk: c.to,
          high_risk_special: false,
          high_risk_tollfraud: false,
        })),
      },
      cells: cells.map(cellId),
    })),
    requires,
    skipDetail: requires === 'no-failure' ? DETAIL.earlierFailure : null,
    held: null,
    supersedes: [],
    failureStops: [],
    failureStarts: [],
  };
}

describe('runStep: sending', () => {
  it('sends every batch of a step even after one failed, fails exactly its cells, and counts each request', async () => {
    const { client: c, calls } = client({
      voice: (isos) => {
        if (isos.includes('DE')) throw Object.assign(new Error('refused'), { code: 20001 });
      },
    });
    const run = runOf(DE, FR);
    await runStep(c, voiceStep('always', [DE], [FR]), run);
    expect(calls).toEqual(['voice DE', 'voice FR']);
    expect(cell(run, DE)).toMatchObject({ outcome: 'failed', errorCode: 20001, detail: 'refused' });
    expect(cell(run, FR).outcome).toBeNull(); // sent; the read-back settles it
    expect(run.failed).toBe(true);
    expect(run.counter.writes).toBe(2);
  });

  it('reads each per-country result inside the messaging 200', async () => {
    const GB = change('messaging', 'GB', true);
    const CA = change('messaging', 'CA', true);
    const { client: c } = client({
      messaging: [
        { iso: 'US', enabled: true, errorCode: 0, errorMessages: [] },
        { iso: 'GB', enabled: false, errorCode: 30649, errorMessages: ['High risk'] },
      ],
    });
    const run = runOf(US, GB, CA);
    const step: WriteStep = {
      ...voiceStep('always'),
      kind: 'messaging-enables',
      requests: [
        {
          call: { op: 'messaging', updates: [US, GB, CA].map((m) => ({ iso: m.country!, enabled: true })) },
          cells: [US, GB, CA].map(cellId),
        },
      ],
    };
    await runStep(c, step, run);
    expect(cell(run, US).outcome).toBeNull();
    expect(cell(run, GB)).toMatchObject({ outcome: 'failed', errorCode: 30649, detail: 'High risk' });
    expect(cell(run, CA)).toMatchObject({
      outcome: 'failed',
      errorCode: null,
      detail: 'Twilio answered no result for this country',
    });
    expect(run.failed).toBe(true);
    expect(run.counter.writes).toBe(1);
  });
});

describe('runStep: the step condition', () => {
  it("a 'no-failure' step after a failure sends nothing and skips its cells with the step's reason", async () => {
    const { client: c, calls } = client();
    const run = runOf(FR);
    run.failed = true;
    await runStep(c, voiceStep('no-failure', [FR]), run);
    expect(calls).toEqual([]);
    expect(cell(run, FR)).toMatchObject({ outcome: 'skipped', detail: DETAIL.earlierFailure });
    expect(run.counter.writes).toBe(0);
  });

  it('a held step sends nothing and skips its cells with the reason it was held', async () => {
    const { client: c, calls } = client();
    const run = runOf(FR);
    await runStep(c, { ...voiceStep('no-failure', [FR]), held: 'held for a test' }, run);
    expect(calls).toEqual([]);
    expect(cell(run, FR)).toMatchObject({ outcome: 'skipped', detail: 'held for a test' });
    expect(run.failed).toBe(false);
  });

  it('the undo of leaving runs only after a failure: then leaving is failed and the voice cells are not in effect', async () => {
    const undo: WriteStep = {
      ...voiceStep('failure'),
      kind: 'restore-inheritance',
      requests: [{ call: { op: 'inheritance', inherit: true }, cells: [cellId(INHERIT)] }],
      supersedes: [cellId(FR)],
    };
    const quiet = client();
    const clean = runOf(INHERIT, FR);
    await runStep(quiet.client, undo, clean);
    expect(quiet.calls).toEqual([]);
    expect(cell(clean, INHERIT).outcome).toBeNull();

    const { client: c, calls } = client();
    const run = runOf(INHERIT, FR, DE);
    cell(run, DE).outcome = 'failed';
    run.failed = true;
    await runStep(c, { ...undo, supersedes: [cellId(FR), cellId(DE)] }, run);
    expect(calls).toEqual(['inherit true']);
    expect(cell(run, INHERIT)).toMatchObject({
      outcome: 'failed',
      detail: `${DETAIL.restoreWhy}; inheritance was turned back on, so it follows its parent as before`,
    });
    expect(cell(run, FR)).toMatchObject({ outcome: 'skipped', detail: DETAIL.undone });
    expect(cell(run, DE).outcome).toBe('failed'); // a failure stays a failure
  });
});

// What a read answers: DE as given (its low-risk flag), nothing else on.
const truth = (de: boolean | Error) => ({
  read: async () => {
    if (de instanceof Error) throw de;
    return {
      identity: {
        sid: SID,
        friendlyName: 'p',
        type: 'Full' as const,
        status: 'active',
        ownerAccountSid: null,
      },
      voiceInheritance: null,
      voice: {
        DE: {
          iso: 'DE',
          name: 'Germany',
          continent: null,
          callingCodes: [],
          low_risk: de,
          high_risk_special: false,
          high_risk_tollfraud: false,
        },
      },
      messaging: {},
    };
  },
  polling: { attempts: 2, delayMs: 0 },
  sleep: async () => {},
});
const lost = () => {
  throw Object.assign(new Error('connection reset'), { code: undefined });
};
const runWith = (reader: ReturnType<typeof truth>, ...changes: CellChange[]) => {
  const run = startRun({ writes: 0 }, reader);
  addCells(
    run,
    changes.map((c) => ({ change: c, write: true, outcome: null, detail: null })),
  );
  return run;
};

describe('runStep: the truth after an uncertain answer', () => {
  it('a write the truth shows applied goes on to the read-back, and does not stop the enables', async () => {
    const run = runWith(truth(false), DE);
    await runStep(client({ voice: lost }).client, voiceStep('always', [DE]), run);
    expect(cell(run, DE)).toMatchObject({
      outcome: null,
      detail: 'read back as wanted although the write answered: connection reset',
    });
    expect(run.failed).toBe(false);
  });

  it('a write the truth shows not applied, or whose truth cannot be read, failed', async () => {
    const notApplied = runWith(truth(true), DE);
    await runStep(client({ voice: lost }).client, voiceStep('always', [DE]), notApplied);
    expect(cell(notApplied, DE)).toMatchObject({
      outcome: 'failed',
      detail: 'connection reset; read back true right after',
    });
    expect(notApplied.failed).toBe(true);
    const unknown = runWith(truth(new Error('HTTP 503')), DE);
    await runStep(client({ voice: lost }).client, voiceStep('always', [DE]), unknown);
    expect(cell(unknown, DE)).toMatchObject({
      outcome: 'failed',
      detail: 'connection reset; the truth could not be read: HTTP 503',
    });
  });

  it('a write refused with a Twilio code is not re-read: Twilio did not apply it', async () => {
    let reads = 0;
    const reader = { ...truth(false), read: async () => (reads++, truth(false).read()) };
    const run = runWith(reader, DE);
    const refuse = () => {
      throw Object.assign(new Error('refused'), { code: 20001 });
    };
    await runStep(client({ voice: refuse }).client, voiceStep('always', [DE]), run);
    expect(reads).toBe(0);
    expect(cell(run, DE)).toMatchObject({ outcome: 'failed', errorCode: 20001 });
  });
});

describe('runStep: before the enables, and the undo that fails', () => {
  it('an enable after a sent write is refused while the account is not as the run expects (its own disable not showing)', async () => {
    const ON = change('voice.low_risk', 'US', true);
    // DE is written off, but the re-read shows it on again after the polling: someone else turned it on.
    const run = runWith(truth(true), DE, ON);
    run.base = (await truth(true).read()) as never;
    await runStep(client().client, voiceStep('always', [DE]), run);
    const enable = { ...voiceStep('no-failure', [ON]), confirm: true };
    const { client: c, calls } = client();
    await runStep(c, enable, run);
    expect(calls).toEqual([]);
    expect(cell(run, ON)).toMatchObject({ outcome: 'skipped' });
    expect(cell(run, ON).detail).toMatch(/did not show .*: voice low-risk DE still on$/);
  });

  it('when turning inheritance back on fails too, the voice cells keep their outcomes (their lists are in effect)', async () => {
    const undo: WriteStep = {
      ...voiceStep('failure'),
      kind: 'restore-inheritance',
      requests: [{ call: { op: 'inheritance', inherit: true }, cells: [cellId(INHERIT)] }],
      supersedes: [cellId(FR)],
    };
    const run = runOf(INHERIT, FR);
    run.failed = true;
    const refusing = client().client;
    refusing.setVoiceInheritance = async () => {
      throw Object.assign(new Error('refused'), { code: 20400 });
    };
    await runStep(refusing, undo, run);
    expect(cell(run, INHERIT)).toMatchObject({
      outcome: 'failed',
      errorCode: 20400,
      detail: `${DETAIL.restoreWhy}, and turning inheritance back on failed too: refused`,
    });
    expect(cell(run, FR).outcome).toBeNull();
  });
});
