import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForInterrupts } from '../../src/cli/main.js';

/** A stand-in for `process`: signals are emitted by the test, and exit records its code. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let stderr = '';
  const target = {
    on: (event: 'SIGINT' | 'SIGTERM', l: (s: NodeJS.Signals) => void) => emitter.on(event, l),
    off: (event: 'SIGINT' | 'SIGTERM', l: (s: NodeJS.Signals) => void) => emitter.off(event, l),
    exit: (code: number) => void exits.push(code),
  };
  const send = (signal: 'SIGINT' | 'SIGTERM') => emitter.emit(signal, signal);
  return {
    emitter,
    exits,
    target,
    send,
    stderr: { write: (t: string) => (stderr += t) },
    text: () => stderr,
  };
}

describe('listenForInterrupts (the CLI signal handlers)', () => {
  it('before any write: the first signal stops at once, with 130 or 143 and one line', () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const p = fakeProcess();
      const interrupts = listenForInterrupts(['plan'], p.stderr, p.target)!;
      p.send(signal);
      expect(p.exits).toEqual([code]);
      expect(p.text()).toBe(
        `geo-permissions: ${signal} before any write: stopped; nothing was written to Twilio.\n`,
      );
      // Aborted too (as in the action): should the exit not happen at once, the core still starts no account.
      expect(interrupts.interrupt.signal.aborted).toBe(true);
      expect(interrupts.received()).toBe(signal);
    }
  });

  it('once writing: the first signal aborts and lets the run finish; the second stops at once by its own code', () => {
    const p = fakeProcess();
    const interrupts = listenForInterrupts(['apply', '--yes'], p.stderr, p.target)!;
    interrupts.interrupt.beginWriting();
    p.send('SIGINT');
    expect(p.exits).toEqual([]);
    expect(interrupts.interrupt.signal.aborted).toBe(true);
    expect(interrupts.interrupt.signal.reason).toBe('SIGINT');
    expect(p.text()).toContain('SIGINT: starting no new account');
    p.send('SIGTERM');
    expect(p.exits).toEqual([143]);
    expect(p.text().split('\n').at(-2)).toBe(
      'geo-permissions: SIGTERM after SIGINT: stopped at once. Writes in flight were not read back and no report was written; run `geo-permissions plan` to see what is live.',
    );
  });

  it('installs one listener per signal, removes them after, and leaves `emulator` to its own', () => {
    const p = fakeProcess();
    const interrupts = listenForInterrupts(['apply'], p.stderr, p.target)!;
    expect([p.emitter.listenerCount('SIGINT'), p.emitter.listenerCount('SIGTERM')]).toEqual([1, 1]);
    interrupts.remove();
    expect([p.emitter.listenerCount('SIGINT'), p.emitter.listenerCount('SIGTERM')]).toEqual([0, 0]);
    expect(listenForInterrupts(['emulator', '--port', '0'], p.stderr, p.target)).toBeNull();
    expect(p.emitter.listenerCount('SIGINT')).toBe(0);
  });
});
