import type { ApplyOptions } from '../../apply/apply.js';
import type { GuardOptions } from '../../plan/guards.js';
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
  /** The runner's cancel (SIGINT, then SIGTERM), as main.ts turns it into an input. */
  cancel: FlowCancel;
  /** True when the event asked for a plan but no Twilio credentials were given (mode.ts). */
  noCredentials?: boolean;
}

/** A cancel as a flow sees it: before `beginWriting` main stops the run at once; after it, the flow ends. */
export interface FlowCancel {
  /** Aborted by the first signal; given to the apply, which then starts no new account. */
  signal: AbortSignal;
  /** Writes (to Twilio or GitHub) begin: from now on a first signal lets the flow end safely and report. */
  beginWriting(): void;
  /** `work`, given up (null) shortly after a cancel: what cannot be posted quickly stays in the summary. */
  quickly<T>(work: Promise<T>): Promise<T | null>;
}

/** A flow's verdict: main fails the job with `failure` when set. */
export interface FlowResult {
  failure: string | null;
}

/** How the action tells the user to name the policy file. */
export const POLICY_INPUT_HINT = 'set the action input "policy" to its path (relative to the workspace)';

/**
 * The guard options of every guard check the action makes (the pull request's verdict, the merge apply,
 * the drift revert): all come from the inputs, so a plan's verdict is the one its merge meets.
 */
export function guardInputs(input: FlowInput): GuardOptions {
  return {
    maxChangesOverride: input.settings.maxChanges,
    allowHighRisk: input.settings.allowHighRisk,
    surface: 'action',
  };
}

/** The guards and apply options of a merge apply and a drift revert alike: both come from the inputs. */
export function applyInputs(
  input: FlowInput,
  reads?: ApplyOptions['reads'],
): { guards: GuardOptions; apply: ApplyOptions } {
  return {
    guards: guardInputs(input),
    apply: {
      concurrency: input.settings.concurrency,
      signal: input.cancel.signal,
      ...(reads ? { reads } : {}),
    },
  };
}
