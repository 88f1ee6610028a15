/** How an error is shown: its message only, never the object (an SDK or HTTP error may carry headers). */
/** A whole-number field of an error (the Twilio adapter's errors carry `status` and `code`), else null. */
export function numberField(err: unknown, name: 'status' | 'code'): number | null {
  const value = typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : null;
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The account status an error reports (the Twilio adapter's InactiveAccountError), else null. */
export function inactiveStatusOf(err: unknown): 'suspended' | 'closed' | null {
  const value =
    typeof err === 'object' && err !== null ? (err as Record<string, unknown>).accountStatus : null;
  return value === 'suspended' || value === 'closed' ? value : null;
}
