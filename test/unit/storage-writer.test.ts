import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../../voice-engine/src/store/index.js';
import { WorkerStorageWriter } from '../../voice-engine/src/store/writer/storage-writer.js';

const DAY = 86_400_000;

let close: (() => Promise<void>) | undefined;

/** A database with its storage thread, both closed after the test. */
function setUp() {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'deskline-writer-')), 'deskline.sqlite');
  const store = Store.open(dbPath);
  const writer = new WorkerStorageWriter({ dbPath });
  close = async () => {
    await writer.close();
    store.close();
  };
  return { dbPath, store, writer };
}

describe('the storage thread', () => {
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('writes lines in the order they were sent, each on disk when its promise resolves', async () => {
    const { store, writer } = setUp();
    const call = store.calls.createIfAbsent({ callSid: 'CA' + '3'.repeat(32), from: '+15550001111', to: '+1', status: 'in-progress', startedAt: Date.now() }).call;
    const lines = await Promise.all(
      Array.from({ length: 50 }, (_, i) => writer.appendLine({ callId: call.id, speaker: i % 2 ? 'caller' : 'receptionist', text: `line ${i}`, spokenAt: i, interrupted: false })),
    );
    expect(lines.map((l) => l.text)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
    expect(lines.map((l) => l.id)).toEqual([...lines.map((l) => l.id)].sort((a, b) => a - b));
    // Another connection (the event loop's) sees every line the writer reported.
    expect(store.transcripts.list(call.id).map((l) => l.text)).toEqual(lines.map((l) => l.text));
  });

  it('one bad line fails alone; the lines around it are kept', async () => {
    const { store, writer } = setUp();
    const call = store.calls.createIfAbsent({ callSid: 'CA' + '4'.repeat(32), from: '+15550001111', to: '+1', status: 'in-progress', startedAt: Date.now() }).call;
    const results = await Promise.allSettled([
      writer.appendLine({ callId: call.id, speaker: 'caller', text: 'before', spokenAt: 1, interrupted: false }),
      writer.appendLine({ callId: 999_999, speaker: 'caller', text: 'no such call', spokenAt: 2, interrupted: false }),
      writer.appendLine({ callId: call.id, speaker: 'caller', text: 'after', spokenAt: 3, interrupted: false }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason.message)).toMatch(/FOREIGN KEY/);
    expect(store.transcripts.list(call.id).map((l) => l.text)).toEqual(['before', 'after']);
  });

  it('a live call is found by search through its lines; once sealed, through its document', async () => {
    const { store, writer } = setUp();
    const call = store.calls.createIfAbsent({ callSid: 'CA' + '5'.repeat(32), from: '+15550001111', to: '+1', status: 'in-progress', startedAt: Date.now() }).call;
    await writer.appendLine({ callId: call.id, speaker: 'caller', text: 'Is there parking at Riverside?', spokenAt: 1, interrupted: false });
    await writer.appendLine({ callId: call.id, speaker: 'receptionist', text: 'Yes, behind the clinic', spokenAt: 2, interrupted: false });
    expect(store.callSearch.search({ text: 'riverside clinic' }, 10).map((c) => c.id)).toEqual([call.id]);
    expect(store.callSearch.search({ text: 'riverside dentist' }, 10)).toEqual([]);
    await writer.sealSearch(call.id);
    expect(store.db.prepare('SELECT count(*) AS n FROM call_fts_pending').get()).toEqual({ n: 0 });
    expect(store.callSearch.search({ text: 'riverside clinic' }, 10).map((c) => c.id)).toEqual([call.id]);
  });

  it('retention forgets what was said on old calls in bounded batches, keeping records and everything recent', async () => {
    const { store, writer } = setUp();
    const now = Date.now();
    const old = store.calls.createIfAbsent({ callSid: 'CA' + '1'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: now - 40 * DAY }).call;
    const older = store.calls.createIfAbsent({ callSid: 'CA' + '6'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: now - 50 * DAY }).call;
    const recent = store.calls.createIfAbsent({ callSid: 'CA' + '2'.repeat(32), from: '+15550002222', to: '+1', status: 'completed', startedAt: now - 2 * DAY }).call;
    for (const c of [old, older]) await writer.appendLine({ callId: c.id, speaker: 'caller', text: 'My date of birth is fourth of July', spokenAt: now - 40 * DAY, interrupted: false });
    await writer.appendLine({ callId: recent.id, speaker: 'caller', text: 'Please call me back about my birth control', spokenAt: now - 2 * DAY, interrupted: false });
    for (const c of [old, older, recent]) await writer.sealSearch(c.id);
    const tool = store.toolCalls.start(old.id, 'c1', 'book_appointment', JSON.stringify({ patient_name: 'Jane Doe' }), now - 40 * DAY);
    store.toolCalls.finish(tool.id, 'ok', { done: true }, now - 40 * DAY);

    expect(await writer.purge(now - 30 * DAY, 1)).toEqual({ calls: 1, lines: 1, toolCalls: expect.any(Number) });
    expect(await writer.purge(now - 30 * DAY, 1)).toEqual({ calls: 1, lines: 1, toolCalls: expect.any(Number) });
    expect(await writer.purge(now - 30 * DAY, 1)).toEqual({ calls: 0, lines: 0, toolCalls: 0 });
    expect(store.transcripts.list(old.id)).toEqual([]);
    expect(store.toolCalls.list(old.id)).toEqual([expect.objectContaining({ name: 'book_appointment', arguments: {}, result: null })]);
    expect(store.calls.get(old.id)).toBeDefined();
    expect(store.transcripts.list(recent.id)).toHaveLength(1);
    // The full-text index forgets too.
    expect(store.callSearch.search({ text: 'birth' }, 10).map((c) => c.id)).toEqual([recent.id]);
  });

  it("the event loop's connection never copies the WAL into the database file; the storage thread does", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'deskline-writer-')), 'deskline.sqlite');
    const store = Store.open(dbPath, undefined, 'deferred');
    const writer = new WorkerStorageWriter({ dbPath });
    close = async () => {
      await writer.close();
      store.close();
    };
    const before = statSync(dbPath).size;
    // About 2,000 pages from the event loop's connection: twice SQLite's automatic checkpoint.
    const put = store.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)");
    for (let i = 0; i < 400; i++) put.run(`bulk.${i}`, JSON.stringify('x'.repeat(20_000)));
    expect(statSync(dbPath).size).toBe(before);
    expect(statSync(dbPath + '-wal').size).toBeGreaterThan(6_000_000);
    await writer.sync();
    expect(statSync(dbPath).size).toBeGreaterThan(before + 6_000_000);
  });
});
