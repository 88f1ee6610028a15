import type { ServerResponse } from 'node:http';
import type { ParsedFault } from './faults.js';

export interface LoggedRequest {
  method: string;
  path: string;
  /** The query string without its `?` ('' when none), as sent: server-side filters are checked through it. */
  query: string;
  /** The account the credentials authenticated as (null when they did not). */
  account: string | null;
  /** The account the request is about: the SID in a v2010 path, else the authenticated account. */
  subject: string | null;
  status: number; // 0 when the connection was dropped
  kind: 'read' | 'write';
  fault: ParsedFault['type'] | null;
}

/** The Twilio requests served (GET|DELETE /__emulator/requests), and how many were in flight at once. */
export class RequestLog {
  private readonly requests: LoggedRequest[] = [];
  /** Twilio requests being handled right now, and the most at once since the log was cleared. */
  private inFlight = 0;
  private peakInFlight = 0;

  /** Logs a request and counts it in flight until its response closes; fill in `status` and `fault` later. */
  open(entry: LoggedRequest, res: ServerResponse): LoggedRequest {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    res.once('close', () => this.inFlight--);
    this.requests.push(entry);
    return entry;
  }

  clear(): void {
    this.requests.length = 0;
    this.peakInFlight = this.inFlight;
  }

  snapshot(): { requests: LoggedRequest[]; peakConcurrency: number } {
    return { requests: this.requests, peakConcurrency: this.peakInFlight };
  }
}
