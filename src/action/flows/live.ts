import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DesiredState } from '../../model/desired.js';
import type { Plan } from '../../model/plan.js';
import type { LiveRead } from '../../model/live.js';
import type { TwilioGateway } from '../../model/twilio-port.js';
import { discoverSubaccounts } from '../../live/discover.js';
import { readLiveState } from '../../live/read.js';
import { buildFleetPlan } from '../../plan/fleet-plan.js';
import { governFleet } from '../../plan/fleet.js';
import { createTwilio } from '../adapters.js';
import { readAndLoadPolicy } from '../../policy/read-file.js';
import { annotate } from '../runner-io.js';
import { invalidPolicySection } from '../../report/index.js';
import { POLICY_INPUT_HINT, type FlowInput } from './shared.js';

/** The policy as desired state, or null after annotating its errors (then nothing reaches Twilio). */
export async function loadDesiredForFlow(input: FlowInput): Promise<DesiredState | null> {
  const { desired, diagnostics } = await readAndLoadPolicy(input.settings.policy, {
    pointAt: POLICY_INPUT_HINT,
    confine: { workspace: input.settings.workspace },
    now: input.now,
    mode: 'plan',
  });
  annotate(diagnostics);
  if (!desired) {
    input.summary.push(invalidPolicySection(input.settings.policy, diagnostics));
  }
  return desired;
}

export interface LivePlan {
  desired: DesiredState;
  gateway: TwilioGateway;
  plan: Plan;
  /** The reads the plan was made from, for an apply in this same run (ApplyOptions.reads). */
  live: LiveRead;
}

/** Reads every account of the policy and plans; null when the policy is invalid. */
export async function planLive(input: FlowInput): Promise<LivePlan | null> {
  const desired = await loadDesiredForFlow(input);
  if (!desired) return null;
  const gateway = await createTwilio(input.settings);
  const options = { concurrency: input.settings.concurrency };
  // Templates need the parents' subaccounts: the desired state of their members is built after this,
  // and so is a matrix job's shard: it lists every parent, then reads and writes only its own part.
  const discovery = await discoverSubaccounts(gateway, desired, options);
  const governed = governFleet(desired, discovery, input.settings.shard);
  const live = await readLiveState(gateway, { accounts: governed.reads }, options);
  return { desired: governed.desired, gateway, plan: buildFleetPlan(governed, live), live };
}

const policySlug = (input: FlowInput) => input.settings.policy.replace(/[^A-Za-z0-9._-]+/g, '_');

/** Writes a JSON report where later steps can read it (RUNNER_TEMP on a runner); answers its path. */
export async function writeJsonReport(
  input: FlowInput,
  kind: string,
  json: string,
  file = path.join(input.ctx.tempDir, `geo-permissions-${kind}-${policySlug(input)}.json`),
): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, json.endsWith('\n') ? json : json + '\n');
  return file;
}

/**
 * Where the apply record of this policy and commit goes: `$RUNNER_TEMP/geo-permissions/`, a folder of
 * its own that `actions/upload-artifact` can take whole. RUNNER_TEMP is emptied after every job and lies
 * outside the checkout, so the record is never committed, never mixed with the repository's files, and
 * never a stale one left by an earlier job on a self-hosted runner.
 */
export function applyRecordPath(input: FlowInput): string {
  const commit = input.ctx.sha.replace(/[^0-9A-Za-z]+/g, '') || 'unknown-commit';
  return path.join(input.ctx.tempDir, 'geo-permissions', `apply-${policySlug(input)}-${commit}.json`);
}
