import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardProcess, isCorruptState } from '../../voice-engine/src/process-guard.js';
import { SignatureThrottle } from '../../voice-engine/src/http/signature-throttle.js';

function harness(recordThrows = false) {
  const proc = new EventEmitter();
  const recorded: Array<{ type: string; message: string }> = [];
  const logged: string[] = [];
  const exits: number[] = [];
  const unguard = guardProcess(proc as never, {
    record: (type, error) => {
      if (recordThrows) throw new Error('disk full');
      recorded.push({ type, message: error.message });
    },
    log: (m) => logged.push(m),
    exit: (code) => exits.push(code),
  });
  return { proc, recorded, logged, exits, unguard };
}

describe('process guard', () => {
  it('records an unhandled rejection and an uncaught exception, and keeps the engine running', () => {
    const h = harness();
    h.proc.emit('unhandledRejection', new Error('socket went away'));
    h.proc.emit('uncaughtException', new TypeError('x is undefined'));
    h.proc.emit('unhandledRejection', 'a string, not an Error');
    expect(h.recorded).toEqual([
      { type: 'unhandled_rejection', message: 'socket went away' },
      { type: 'uncaught_exception', message: 'x is undefined' },
      { type: 'unhandled_rejection', message: 'non-error thrown: a string, not an Error' },
    ]);
    expect(h.exits).toEqual([]);
  });

  it('stops only when the database itself is damaged', () => {
    const h = harness();
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(isCorruptState(corrupt)).toBe(true);
    expect(isCorruptState(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false);
    h.proc.emit('uncaughtException', corrupt);
    expect(h.exits).toEqual([1]);
  });

  it('still logs when recording fails, and can be removed', () => {
    const h = harness(true);
    h.proc.emit('unhandledRejection', new Error('boom'));
    expect(h.logged.some((l) => l.includes('Could not record unhandled_rejection: disk full'))).toBe(true);
    h.unguard();
    expect(h.proc.listenerCount('unhandledRejection')).toBe(0);
    expect(h.proc.listenerCount('uncaughtException')).toBe(0);
  });
});

describe('signature throttle', () => {
  it('answers 429 only after a source has sent `limit` failures inside the window, and forgives after it', () => {
    const t = new SignatureThrottle(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterS('203.0.113.9', 1000 + i)).toBe(0);
      t.recordFailure('203.0.113.9', 1000 + i);
    }
    expect(t.retryAfterS('203.0.113.9', 2000)).toBe(59);
    expect(t.retryAfterS('198.51.100.1', 2000)).toBe(0);
    expect(t.retryAfterS('203.0.113.9', 61_000)).toBe(0);
  });

  it('remembers a bounded number of sources', () => {
    const t = new SignatureThrottle(1, 60_000, 2);
    t.recordFailure('a', 0);
    t.recordFailure('b', 0);
    t.recordFailure('c', 0);
    expect(t.retryAfterS('a', 1)).toBe(0);
    expect(t.retryAfterS('c', 1)).toBeGreaterThan(0);
  });
});
