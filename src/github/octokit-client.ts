import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { GitHubError } from '../model/github-port.js';
import { DEFAULT_GITHUB_TIMEOUT_SECONDS } from '../model/defaults.js';

export type Octokit = ReturnType<typeof getOctokit>;

/** How long GitHub may take, and how the waits between attempts scale. */
export interface GitHubClientOptions {
  /** GITHUB_API_URL by default, as @actions/github reads it. */
  baseUrl?: string;
  /** One attempt of one request (default 30 s); a request that takes longer is abandoned. */
  requestTimeoutMs?: number;
  /** Every request of this client, retries and rate-limit waits included (default 10 × requestTimeoutMs). */
  totalTimeoutMs?: number;
  /** The unit of the retry waits: 1 s by default (retries after 1 s and 4 s; rate limits after what GitHub asks). */
  retryDelayUnitMs?: number;
  /** Where a rate-limit wait is announced (the job log in the action). */
  log?: (line: string) => void;
}

const DEFAULT_REQUEST_TIMEOUT_MS = DEFAULT_GITHUB_TIMEOUT_SECONDS * 1000;
/** The run's GitHub budget, in request timeouts: 5 minutes with the default 30 s. */
const BUDGET_IN_TIMEOUTS = 10;
/** 5xx answers and network errors: two more attempts (octokit's default is three). */
const RETRIES = 2;
/** Rate-limit answers: two more attempts, each only when GitHub asks for at most a minute's wait. */
const RATE_LIMIT_RETRIES = 2;
const MAX_RATE_LIMIT_WAIT_S = 60;
/**
 * Never retried by the retry plugin: client errors that a repeat cannot fix, and 403/429, which are
 * the throttling plugin's to retry (only when they are rate limits) so they are never retried twice.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

let clients = 0;

/** A request abandoned for taking too long. Not an Octokit RequestError, so neither plugin repeats it. */
class GitHubTimeout extends Error {}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * The Octokit of @actions/github (proxy-aware transport, GITHUB_API_URL) with the retry and throttling
 * plugins and a timeout on every attempt. A timed-out request is not repeated: a write that timed out
 * may have been made, and repeating it could post a comment twice.
 */
export function createOctokit(token: string, options: GitHubClientOptions = {}): Octokit {
  const requestMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const budgetMs = options.totalTimeoutMs ?? requestMs * BUDGET_IN_TIMEOUTS;
  const deadline = Date.now() + budgetMs;
  const unitMs = options.retryDelayUnitMs ?? 1000;
  const log = options.log ?? (() => {});
  const mayWait =
    (limit: string) =>
    (retryAfterS: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
      const wanted =
        retryCount < RATE_LIMIT_RETRIES &&
        retryAfterS <= MAX_RATE_LIMIT_WAIT_S &&
        Date.now() + retryAfterS * unitMs < deadline;
      log(
        `GitHub ${limit} rate limit on ${req.method} ${req.url}: ` +
          (wanted
            ? `retrying in ${retryAfterS} s (retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES})`
            : 'not waiting longer'),
      );
      return wanted;
    };
  return getOctokit(
    token,
    {
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      retry: { retries: RETRIES, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: unitMs },
      throttle: {
        // The plugin spaces writes (1 s, 3 s for those that notify) per id, in limiters shared by the process.
        id: `twilio-geo-permissions-${++clients}`,
        onRateLimit: mayWait('primary'),
        onSecondaryRateLimit: mayWait('secondary'),
        retryAfterBaseValue: unitMs,
      },
    },
    // First, so that it wraps each attempt: the retry and throttling plugins repeat what is inside them.
    attemptTimeout(requestMs, deadline, budgetMs),
    retry,
    throttling,
  );
}

type OctokitPlugin = NonNullable<Parameters<typeof getOctokit>[2]>;

/** An Octokit plugin giving every attempt its own timeout, and refusing attempts once the budget is spent. */
function attemptTimeout(requestMs: number, deadline: number, budgetMs: number): OctokitPlugin {
  return (octokit) => {
    octokit.hook.wrap('request', async (request, o) => {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new GitHubTimeout(`timed out: the run's GitHub time budget of ${seconds(budgetMs)} is spent`);
      const ms = Math.min(requestMs, left);
      const signal = AbortSignal.timeout(ms);
      // The hooks share one options object: the request below reads the signal from it.
      o.request = { ...o.request, signal };
      try {
        return await request(o);
      } catch (err) {
        if (!signal.aborted) throw err;
        throw new GitHubTimeout(
          ms < requestMs
            ? `timed out after ${seconds(ms)}, what was left of the run's GitHub time budget of ${seconds(budgetMs)}`
            : `timed out after ${seconds(ms)} (github-timeout)`,
        );
      }
    });
  };
}

interface RawError {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | undefined>; data?: { errors?: Array<{ type?: string }> } };
}

type RateLimit = NonNullable<GitHubError['rateLimit']>;

/**
 * Which rate limit a 403/429 answer reports, or null for a plain 403. GitHub's rules
 * (docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit): a
 * secondary limit says so in its message and may send `retry-after`; a primary one sends
 * `x-ratelimit-remaining: 0` with `x-ratelimit-reset`. A 429 is a rate limit whatever it carries.
 */
function rateLimitOf(status: number | null, message: string, raw: RawError): RateLimit | null {
  const headers = raw.response?.headers ?? {};
  const retryAfter = headers['retry-after'];
  const exhausted = headers['x-ratelimit-remaining'] === '0';
  if (/secondary rate limit/i.test(message) || (retryAfter !== undefined && !exhausted))
    return {
      limit: 'secondary',
      retryAfterSeconds: retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null,
    };
  const graphqlLimited = (raw.response?.data?.errors ?? []).some((x) => x?.type === 'RATE_LIMITED');
  if (exhausted || graphqlLimited) {
    const reset = Number(headers['x-ratelimit-reset']);
    return {
      limit: 'primary',
      retryAfterSeconds: reset > 0 ? Math.max(0, Math.ceil(reset - Date.now() / 1000)) : null,
    };
  }
  return status === 429 ? { limit: 'secondary', retryAfterSeconds: null } : null;
}

/**
 * Reduces an Octokit error to status, message and kind; the error object itself (with the request and
 * its headers) is never kept.
 */
export function toGitHubError(operation: string, err: unknown): GitHubError {
  const raw = (err ?? {}) as RawError;
  const status = typeof raw.status === 'number' ? raw.status : null;
  const message = typeof raw.message === 'string' ? raw.message.split('\n')[0]! : 'request failed';
  if (err instanceof GitHubTimeout) return new GitHubError(null, operation, message, 'timeout');
  const limited =
    status === 403 || status === 429 || status === null ? rateLimitOf(status, message, raw) : null;
  if (limited) return new GitHubError(status, operation, message, 'rate-limited', limited);
  if (status === 403) return new GitHubError(status, operation, message, 'forbidden');
  return new GitHubError(status, operation, message, status === 404 ? 'not-found' : 'other');
}

/** Runs one gateway operation, turning every failure into a GitHubError. */
export async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toGitHubError(operation, err);
  }
}
