import type { RunContext } from '../context.js';
import type { ActionSettings } from '../settings.js';

/** What every flow gets from main: the settings, the run context, and the summary being built. */
export interface FlowInput {
  settings: ActionSettings;
  ctx: RunContext;
  /** Why this mode runs (auto's choice, or why a plan was downgraded to validate). */
  reason: string;
  /** Markdown sections of the job summary; main writes them once, even when a flow throws. */
  summary: string[];
  now: Date;
}

/** A flow's verdict: main fails the job with `failure` when set. */
export interface FlowResult {
  failure: string | null;
}

/** How the action tells the user to name the policy file. */
export const POLICY_INPUT_HINT = 'set the action input "policy" to its path (relative to the workspace)';
