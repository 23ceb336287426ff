import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate } from '../../voice-engine/src/store/migrations/index.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { scheduleThreadSummaries, THREAD_QUIET_MS } from '../../voice-engine/src/jobs/thread-summaries.js';
import { createLogger } from '../../voice-engine/src/log.js';

const MIN = 60_000;

function setUp() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  const store = new Store(db);
  let now = Date.UTC(2026, 11, 7, 15, 0);
  const asked: number[][] = [];
  // The summaries job as the engine has it: queued, then made a little later.
  const summaries = {
    summarizeNow(ids: readonly number[]) {
      asked.push([...ids]);
      for (const id of ids) store.summaries.queueAgain(id, now);
    },
  };
  const made = (id: number) => store.summaries.done(id, { summary: 'Asked to book.', intent: 'book', sentiment: 'positive', satisfaction: 8, followUp: false, followUpReason: null }, now);
  const job = scheduleThreadSummaries({ store, summaries, log: createLogger('test') }, { now: () => now, everyMs: 3_600_000 });
  const text = (phone: string, body: string) => {
    const { thread } = store.sms.openThread(phone, '+15550000000', 'SM' + Math.random().toString(16).slice(2).padEnd(32, '0'), now);
    store.sms.addMessage({ callId: thread.callId, direction: 'inbound', author: 'patient', body, messageSid: null, status: 'received', at: now });
    return thread.callId;
  };
  return { store, asked, made, job, text, now: () => now, advance: (ms: number) => (now += ms) };
}

describe('text thread summaries', () => {
  it('a thread is summarised once it has been quiet for half an hour, not before, and once', () => {
    const { store, asked, made, job, text, advance } = setUp();
    const maria = text('+15035550901', 'Hi, I need a laser appointment');
    advance(10 * MIN);
    text('+15035550901', '11 works');
    advance(THREAD_QUIET_MS - MIN);
    expect(job.check()).toBe(0);
    advance(2 * MIN);
    expect(job.check()).toBe(1);
    expect(asked).toEqual([[maria]]);
    expect(store.summaries.get(maria)?.state).toBe('pending');
    // While it is being made, and once made, it is not asked for again.
    expect(job.check()).toBe(0);
    advance(MIN);
    made(maria);
    advance(MIN);
    expect(job.check()).toBe(0);
    job.stop();
  });

  it('a thread that carries on is summarised again when it goes quiet again; other threads keep their own clocks', () => {
    const { store, asked, made, job, text, advance } = setUp();
    const maria = text('+15035550901', 'Can I book?');
    advance(THREAD_QUIET_MS + MIN);
    job.check();
    made(maria);
    advance(2 * 60 * MIN);
    text('+15035550901', 'Actually, can I move it?');
    const sam = text('+15035550902', 'Are you open Saturday?');
    advance(5 * MIN);
    expect(job.check()).toBe(0);
    advance(THREAD_QUIET_MS);
    expect(job.check()).toBe(2);
    expect(asked.at(-1)?.sort()).toEqual([maria, sam].sort());
    expect(store.summaries.get(maria)).toMatchObject({ state: 'pending', summary: 'Asked to book.' });
    job.stop();
  });

  it('phone calls are left to the end of the call; a failed summary is not retried every minute', () => {
    const { store, job, text, now, advance } = setUp();
    const call = store.calls.createIfAbsent({ callSid: 'CA' + '1'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: now() }).call.id;
    const thread = text('+15035550903', 'hello');
    advance(THREAD_QUIET_MS + MIN);
    store.summaries.queue(thread, now());
    store.summaries.end(thread, 'failed', 'no summary: 500', now());
    advance(MIN);
    expect(job.check()).toBe(0);
    expect(store.summaries.get(call)).toBeNull();
    job.stop();
  });
});
