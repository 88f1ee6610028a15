// A fleet for the cancellation tests: a parent with nothing to change and four subaccounts, each with one
// disable and one enable in voice and in messaging, so an apply has accounts in flight and accounts not
// yet started when a signal arrives; plus the checks every cancellation test makes of the live state.
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  parseEmulatorState,
  startEmulator,
  type EmulatorState,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import { control, requestLog } from './emulator-helpers.js';

const sid = (n: number) => `AC${'0'.repeat(28)}c${String(n).padStart(3, '0')}`;
export const PARENT = sid(0);
/** The subaccounts in policy order: with `concurrency 1` they are written one after another in this order. */
export const CHILDREN = [1, 2, 3, 4].map(sid);
export const NAMES = ['team-1', 'team-2', 'team-3', 'team-4'];
export const PARENT_TOKEN = 'cancel-test-token-parent-000';

const low = { lowRisk: true };

/** Each subaccount has MX on (the policy turns it off) and GB off (the policy turns it on), in both products. */
export function cancelFleet(): EmulatorState {
  return parseEmulatorState({
    accounts: [
      {
        sid: PARENT,
        authToken: PARENT_TOKEN,
        friendlyName: 'parent',
        voice: { inheritance: false, countries: { US: low, JM: low } },
        messaging: { US: true, JM: true },
      },
      ...CHILDREN.map((child, i) => ({
        sid: child,
        authToken: `cancel-test-token-child-${i + 1}`,
        friendlyName: NAMES[i],
        ownerAccountSid: PARENT,
        voice: { inheritance: false, countries: { US: low, JM: low, MX: low } },
        messaging: { US: true, JM: true, MX: true },
      })),
    ],
    events: [],
  });
}

/** What the policy wants of each subaccount. */
export const WANTED = { voice: ['US', 'JM', 'GB'], messaging: ['US', 'JM', 'GB'] };

export const CANCEL_POLICY = [
  'version: 1',
  'accounts:',
  '  parent:',
  `    sid: ${PARENT}`,
  '    voice: {low_risk: [US, JM], high_risk_special: [], high_risk_tollfraud: []}',
  '    messaging: [US, JM]',
  ...CHILDREN.flatMap((child, i) => [
    `  ${NAMES[i]}:`,
    `    sid: ${child}`,
    '    parent: parent',
    `    voice: {low_risk: [${WANTED.voice.join(', ')}], high_risk_special: [], high_risk_tollfraud: []}`,
    `    messaging: [${WANTED.messaging.join(', ')}]`,
  ]),
  '',
].join('\n');

export async function startCancelFleet(): Promise<{ emulator: RunningEmulator; dir: string }> {
  const emulator = await startEmulator({ state: cancelFleet() });
  const dir = await mkdtemp(path.join(tmpdir(), 'geo-cancel-'));
  await writeFile(path.join(dir, 'geo-permissions.yml'), CANCEL_POLICY);
  return { emulator, dir };
}

/** Writes answer after `ms`: a signal sent when the first write arrives finds it in flight. */
export const slowWrites = (emulator: RunningEmulator, ms: number) =>
  control(emulator, 'POST', 'faults', [
    { type: 'latency', ms, method: 'POST' },
    { type: 'latency', ms, method: 'PATCH' },
  ]);

type Account = EmulatorState['accounts'][number];
const FLAGS = ['lowRisk', 'highRiskSpecial', 'highRiskTollfraud'] as const;

/** One line per cell of `account`: "voice GB lowRisk on", "messaging MX off". */
export function cellsOf(account: Account): Map<string, boolean> {
  const cells = new Map<string, boolean>();
  for (const [iso, flags] of Object.entries(account.voice.countries))
    for (const f of FLAGS) cells.set(`voice ${iso} ${f}`, flags[f]);
  for (const [iso, on] of Object.entries(account.messaging)) cells.set(`messaging ${iso}`, on);
  return cells;
}

/**
 * The cells on after the run that were on neither before it nor in `wanted` (the new policy): the
 * promise of a cancelled apply is that this is empty. `wanted` lists the cells the policy turns on.
 */
export function widerThanBoth(before: Account, after: Account, wanted: ReadonlySet<string>): string[] {
  const was = cellsOf(before);
  return [...cellsOf(after)]
    .filter(([cell, on]) => on && !was.get(cell) && !wanted.has(cell))
    .map(([cell]) => cell);
}

/** The cells a subaccount of the cancel fleet has on once the policy is applied. */
export const wantedCells = () =>
  new Set([
    ...WANTED.voice.map((iso) => `voice ${iso} lowRisk`),
    ...WANTED.messaging.map((iso) => `messaging ${iso}`),
  ]);

export const accountOf = (state: EmulatorState, sidOf: string): Account => {
  const found = state.accounts.find((a) => a.sid === sidOf);
  if (!found) throw new Error(`no account ${sidOf}`);
  return found;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until the emulator has received the first write, then sends `signals` to `child`, `gapMs` apart.
 * Answers the time the last signal was sent.
 */
export async function signalAtFirstWrite(
  emulator: RunningEmulator,
  child: ChildProcess,
  signals: NodeJS.Signals[],
  gapMs = 100,
): Promise<number> {
  const deadline = Date.now() + 20_000;
  while (!(await requestLog(emulator)).some((r) => r.kind === 'write')) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error('the process ended before writing');
    if (Date.now() > deadline) throw new Error('no write within 20 s');
    await sleep(10);
  }
  for (const [i, signal] of signals.entries()) {
    if (i > 0) await sleep(gapMs);
    child.kill(signal);
  }
  return Date.now();
}
