import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** What the runner tells the step about the event, read from the environment once. */
export interface RunContext {
  eventName: string;
  /** Empty when the payload could not be read; `payloadError` then says why. */
  payload: EventPayload;
  /** Why GITHUB_EVENT_PATH could not be read as an event payload, or null when it was (or is not set). */
  payloadError: string | null;
  owner: string;
  repo: string;
  sha: string;
  ref: string;
  serverUrl: string;
  runId: string;
  runAttempt: string;
  tempDir: string;
}

/** The few payload fields the action reads. */
export interface EventPayload {
  number?: number;
  pull_request?: {
    number: number;
    head?: { sha?: string; repo?: { full_name?: string; fork?: boolean } | null };
    base?: { repo?: { full_name?: string } };
  };
  repository?: { full_name?: string; default_branch?: string };
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const { payload, error } = readPayload(env.GITHUB_EVENT_PATH);
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    payloadError: error,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    tempDir: env.RUNNER_TEMP || tmpdir(),
  };
}

/**
 * The runner always writes the payload; one it cannot read would otherwise look like an event without a
 * pull request or default branch, so the reason is kept for a warning (and for the flows that need it).
 */
function readPayload(path: string | undefined): { payload: EventPayload; error: string | null } {
  if (!path) return { payload: {}, error: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? 'is not valid JSON' : 'could not be read';
    return { payload: {}, error: `the event payload ${path} ${why}: ${(err as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { payload: {}, error: `the event payload ${path} is not a JSON object` };
  return { payload: parsed as EventPayload, error: null };
}
