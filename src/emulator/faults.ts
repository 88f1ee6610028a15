import * as z from 'zod';

/**
 * Faults injected by POST /__emulator/faults. Each rule matches requests (optional method, path prefix
 * and authenticated account), fires on every Nth match, at most `count` times, and then does one thing:
 * - latency: waits `ms` before handling the request normally;
 * - status: answers `status` (429, 5xx, or a refusal such as 401) with a Twilio error body, and Retry-After
 *   when given, without handling; `code` sets Twilio's error code, and `form: "rfc9457"` answers in
 *   RFC 9457 problem-details form (application/problem+json) instead of the classic body;
 * - drop: destroys the socket without an answer, without handling;
 * - malformed: handles the request, then answers its status with a body that is not JSON
 *   (`mode: "not-json"`) or JSON missing every expected field (`mode: "missing-fields"`);
 * - slow: handles the request, sends the status line, and holds the body for `ms` (beyond a client timeout);
 * - lost: handles the request, then destroys the socket without an answer (Twilio applied the write, but
 *   the answer never arrived: a connection cut on the way back, a proxy that timed out).
 */
const matchSchema = {
  method: z.string().toUpperCase().optional(),
  path: z.string().startsWith('/').optional(),
  /** Only requests authenticated as this account (one account's answers, whatever the others do). */
  account: z.string().optional(),
  every: z.number().int().min(1).default(1),
  count: z.number().int().min(1).optional(),
};

export const faultSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('latency'), ms: z.number().int().min(0), ...matchSchema }),
  z.strictObject({
    type: z.literal('status'),
    status: z.number().int().min(400).max(599),
    retryAfter: z.number().min(0).optional(),
    code: z.number().int().min(10000).max(99999).optional(),
    form: z.enum(['classic', 'rfc9457']).default('classic'),
    ...matchSchema,
  }),
  z.strictObject({ type: z.literal('drop'), ...matchSchema }),
  z.strictObject({
    type: z.literal('malformed'),
    mode: z.enum(['not-json', 'missing-fields']).default('not-json'),
    ...matchSchema,
  }),
  z.strictObject({ type: z.literal('slow'), ms: z.number().int().min(1), ...matchSchema }),
  z.strictObject({ type: z.literal('lost'), ...matchSchema }),
]);

/** A fault as POSTed (every and mode may be omitted). */
export type Fault = z.input<typeof faultSchema>;
/** A fault with its defaults filled in. */
export type ParsedFault = z.output<typeof faultSchema>;

interface ActiveFault {
  fault: ParsedFault;
  seen: number;
  fired: number;
}

export class FaultTable {
  private active: ActiveFault[] = [];

  add(faults: ParsedFault[]): void {
    for (const fault of faults) this.active.push({ fault, seen: 0, fired: 0 });
  }

  clear(): void {
    this.active = [];
  }

  list(): Array<ParsedFault & { seen: number; fired: number }> {
    return this.active.map((a) => ({ ...a.fault, seen: a.seen, fired: a.fired }));
  }

  /** The faults firing for this request, in the order they were added. */
  take(method: string, path: string, account: string | null = null): ParsedFault[] {
    const firing: ParsedFault[] = [];
    for (const entry of this.active) {
      const { fault } = entry;
      if (fault.method && fault.method !== method) continue;
      if (fault.path && !path.startsWith(fault.path)) continue;
      if (fault.account && fault.account !== account) continue;
      if (fault.count !== undefined && entry.fired >= fault.count) continue;
      entry.seen++;
      if (entry.seen % fault.every !== 0) continue;
      entry.fired++;
      firing.push(fault);
    }
    return firing;
  }
}

export function parseFaults(body: unknown): ParsedFault[] {
  const list = Array.isArray(body)
    ? body
    : typeof body === 'object' && body !== null && 'faults' in body
      ? (body as { faults: unknown }).faults
      : [body];
  const parsed = z.array(faultSchema).safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `invalid fault at ${issue?.path.map(String).join('.') || '(top level)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}
