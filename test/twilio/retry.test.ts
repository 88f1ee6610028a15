import { describe, expect, it } from 'vitest';
import { decideRetry, isRetryableStatus, parseRetryAfter, type RetryPolicy } from '../../src/twilio/retry.js';

const policy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000,
  totalBudgetMs: 10_000,
};
const NOW = Date.parse('2026-11-25T12:00:00Z');
const top = () => 0.999999;

describe('retry policy', () => {
  it('retries 429, 5xx, resets and timeouts but never 4xx such as 401/403/404', () => {
    for (const status of [429, 500, 502, 503, 504]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 409]) {
      expect(isRetryableStatus(status)).toBe(false);
      expect(decideRetry(policy, { kind: 'status', status, retryAfter: null }, 1, 0, NOW, top).retry).toBe(
        false,
      );
    }
    expect(decideRetry(policy, { kind: 'network', code: 'ECONNRESET' }, 1, 0, NOW, top).retry).toBe(true);
    expect(decideRetry(policy, { kind: 'timeout' }, 1, 0, NOW, top).retry).toBe(true);
  });

  it('backs off exponentially with full jitter under a ceiling', () => {
    const delays = [1, 2, 3].map((attempt) => decideRetry(policy, { kind: 'timeout' }, attempt, 0, NOW, top));
    expect(delays.map((d) => (d.retry ? d.delayMs : -1))).toEqual([99, 199, 399]);
    const low = decideRetry(policy, { kind: 'timeout' }, 3, 0, NOW, () => 0);
    expect(low).toEqual({ retry: true, delayMs: 0 });
    const capped = decideRetry({ ...policy, maxAttempts: 20 }, { kind: 'timeout' }, 10, 0, NOW, top);
    expect(capped.retry && capped.delayMs).toBe(999);
  });

  it('honours Retry-After in seconds or as a date, capped', () => {
    const seconds = decideRetry(policy, { kind: 'status', status: 429, retryAfter: '2' }, 1, 0, NOW, () => 0);
    expect(seconds).toEqual({ retry: true, delayMs: 2_000 });
    const date = new Date(NOW + 3_000).toUTCString();
    expect(
      decideRetry(policy, { kind: 'status', status: 503, retryAfter: date }, 1, 0, NOW, () => 0),
    ).toEqual({
      retry: true,
      delayMs: 3_000,
    });
    const huge = decideRetry(policy, { kind: 'status', status: 429, retryAfter: '3600' }, 1, 0, NOW, () => 0);
    expect(huge).toEqual({ retry: true, delayMs: 5_000 });
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it('stops at the attempt limit and at the total time budget', () => {
    const last = decideRetry(policy, { kind: 'timeout' }, 4, 0, NOW, top);
    expect(last).toEqual({ retry: false, reason: 'gave up after 4 attempts' });
    const late = decideRetry(
      policy,
      { kind: 'status', status: 429, retryAfter: '2' },
      1,
      9_000,
      NOW,
      () => 0,
    );
    expect(late.retry).toBe(false);
    expect(!late.retry && late.reason).toMatch(/budget of 10000 ms/);
  });
});
