import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_WAIT_MS, QUIET_CHECK_MS, scheduleWhenLineQuiet, whenLineQuiet } from '../../voice-engine/src/jobs/when-line-quiet.js';

describe('background Twilio lookups wait for a quiet line', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once with no call on the line', () => {
    const job = vi.fn();
    whenLineQuiet(() => false, job).request();
    expect(job).toHaveBeenCalledTimes(1);
  });

  it('waits while calls are on the line and runs once when the line goes quiet', () => {
    let busy = true;
    const job = vi.fn();
    const runner = whenLineQuiet(() => busy, job);
    runner.request();
    runner.request(); // a second request while waiting is the same wait
    vi.advanceTimersByTime(3 * QUIET_CHECK_MS);
    expect(job).not.toHaveBeenCalled();
    busy = false;
    vi.advanceTimersByTime(QUIET_CHECK_MS);
    expect(job).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * QUIET_CHECK_MS);
    expect(job).toHaveBeenCalledTimes(1);
  });

  it('runs anyway when the line is never quiet, and never after stop', () => {
    const job = vi.fn();
    const runner = whenLineQuiet(() => true, job);
    runner.request();
    vi.advanceTimersByTime(MAX_WAIT_MS - QUIET_CHECK_MS);
    expect(job).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2 * QUIET_CHECK_MS);
    expect(job).toHaveBeenCalledTimes(1);

    const stopped = vi.fn();
    const other = whenLineQuiet(() => true, stopped);
    other.request();
    other.stop();
    vi.advanceTimersByTime(2 * MAX_WAIT_MS);
    expect(stopped).not.toHaveBeenCalled();
  });

  it('a scheduled job runs first after its delay, then each period the line is quiet, until stopped', () => {
    let busy = false;
    const job = vi.fn();
    const schedule = scheduleWhenLineQuiet(() => busy, job, 5_000, 60_000);
    vi.advanceTimersByTime(4_999);
    expect(job).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(job).toHaveBeenCalledTimes(1);
    busy = true;
    vi.advanceTimersByTime(60_000);
    expect(job).toHaveBeenCalledTimes(1);
    busy = false;
    vi.advanceTimersByTime(QUIET_CHECK_MS);
    expect(job).toHaveBeenCalledTimes(2);
    schedule.stop();
    vi.advanceTimersByTime(10 * 60_000);
    expect(job).toHaveBeenCalledTimes(2);
  });
});
