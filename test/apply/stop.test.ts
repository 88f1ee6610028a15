import { describe, expect, it } from 'vitest';
import { createStopLatch, STOP_EXIT_CODE, type StopSignal } from '../../src/apply/stop.js';

function latch() {
  const calls: string[] = [];
  const l = createStopLatch({
    beforeWriting: (s) => calls.push(`before ${s}`),
    whileWriting: (s) => calls.push(`while ${s}`),
    again: (s, first) => calls.push(`again ${s} after ${first}`),
  });
  return { l, calls };
}

describe('the stop latch shared by the CLI and the action', () => {
  it('stops at once on a first signal before any write', () => {
    const { l, calls } = latch();
    l.onSignal('SIGINT');
    expect(calls).toEqual(['before SIGINT']);
    expect(l.signal.aborted).toBe(true);
    expect(l.received()).toBe<StopSignal>('SIGINT');
  });
  it('winds down on a first signal once writing, and stops on the second', () => {
    const { l, calls } = latch();
    l.beginWriting();
    expect(l.signal.aborted).toBe(false);
    l.onSignal('SIGTERM');
    l.onSignal('SIGINT');
    expect(calls).toEqual(['while SIGTERM', 'again SIGINT after SIGTERM']);
    expect(l.signal.reason).toBe('SIGTERM');
  });
  it('exits as a shell reports a signalled process', () => {
    expect(STOP_EXIT_CODE).toEqual({ SIGINT: 130, SIGTERM: 143 });
  });
});
