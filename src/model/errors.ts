/** How an error is shown: its message only, never the object (an SDK or HTTP error may carry headers). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
