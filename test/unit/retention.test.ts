import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../voice-engine/src/store/db.js';
import { Store } from '../../voice-engine/src/store/index.js';

describe('data retention', () => {
  it('forgets what was said on old calls, keeps the call records and everything recent', () => {
    const store = new Store(openDatabase(':memory:'));
    const DAY = 86_400_000;
    const now = Date.now();
    const old = store.calls.createIfAbsent({ callSid: 'CA' + '1'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: now - 40 * DAY }).call;
    const recent = store.calls.createIfAbsent({ callSid: 'CA' + '2'.repeat(32), from: '+15550002222', to: '+1', status: 'completed', startedAt: now - 2 * DAY }).call;
    store.transcripts.append(old.id, 'caller', 'My date of birth is fourth of July', now - 40 * DAY);
    store.transcripts.append(recent.id, 'caller', 'Please call me back about my birth control', now - 2 * DAY);
    const tool = store.toolCalls.start(old.id, 'c1', 'book_appointment', JSON.stringify({ patient_name: 'Jane Doe' }), now - 40 * DAY);
    store.toolCalls.finish(tool.id, 'ok', { done: true }, now - 40 * DAY);

    expect(store.retention.purgeBefore(now - 30 * DAY)).toEqual({ lines: 1, toolCalls: 1 });
    expect(store.transcripts.list(old.id)).toEqual([]);
    expect(store.toolCalls.list(old.id)).toEqual([expect.objectContaining({ name: 'book_appointment', arguments: {}, result: null })]);
    expect(store.calls.get(old.id)).toBeDefined();
    expect(store.transcripts.list(recent.id)).toHaveLength(1);
    // The full-text index forgets too.
    expect(store.callSearch.search({ text: 'birth' }, 10).map((c) => c.id)).toEqual([recent.id]);
    expect(store.retention.purgeBefore(now - 30 * DAY)).toEqual({ lines: 0, toolCalls: 0 });
  });
});
