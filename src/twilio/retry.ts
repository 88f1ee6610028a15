/**
 * Our own retry policy for Twilio requests (twilio-node retries only 429 and ignores Retry-After).
 * Pure: the transport reports what happened, this module decides whether and when to try again.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Backoff ceiling of the first retry; doubles per retry (full jitter draws below it). */
  baseDelayMs: number;
  /** Ceiling of one backoff, whatever the attempt number. */
  maxDelayMs: number;
  /** A Retry-After longer than this is capped to it (a server must not park the run for minutes). */
  maxRetryAfterMs: number;
  /** No retry starts once this much time has passed since the first attempt began. */
  totalBudgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  totalBudgetMs: 120_000,
};

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'status'; status: number; retryAfter: string | null }
  | { kind: 'network'; code: string }
  | { kind: 'timeout' };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** 429 and 5xx are worth another try; every other status is final (4xx say what to fix). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/**
 * Decides the next step after attempt number `attempt` (1-based) ended with `outcome`.
 * `random` is injected (0 <= r < 1) so the jitter is testable.
 */
export function decideRetry(
  policy: RetryPolicy,
  outcome: AttemptOutcome,
  attempt: number,
  elapsedMs: number,
  nowMs: number,
  random: () => number,
): RetryDecision {
  if (outcome.kind === 'status' && !isRetryableStatus(outcome.status))
    return { retry: false, reason: `HTTP ${outcome.status} is not retryable` };
  if (attempt >= policy.maxAttempts)
    return { retry: false, reason: `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}` };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  let delayMs = Math.floor(random() * ceiling);
  if (outcome.kind === 'status') {
    const retryAfter = parseRetryAfter(outcome.retryAfter, nowMs);
    if (retryAfter !== null) delayMs = Math.min(Math.max(delayMs, retryAfter), policy.maxRetryAfterMs);
  }
  if (elapsedMs + delayMs > policy.totalBudgetMs)
    return { retry: false, reason: `retry budget of ${policy.totalBudgetMs} ms exhausted` };
  return { retry: true, delayMs };
}
