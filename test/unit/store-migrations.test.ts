import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../voice-engine/src/store/db.js';
import { DatabaseTooNewError, LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../voice-engine/src/store/migrations/index.js';
import { Store } from '../../voice-engine/src/store/index.js';

function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'deskline-db-')), 'deskline.sqlite');
}

describe('database', () => {
  it('opens a real file with WAL, synchronous=FULL and foreign keys on', () => {
    const db = openDatabase(tempDbPath());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer app, and leaves it untouched', () => {
    const path = tempDbPath();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(path)).toThrow(/newer Deskline/);
    const after = new Database(path);
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    after.close();
  });

  it('reopening an up-to-date database changes nothing', () => {
    const path = tempDbPath();
    const store = Store.open(path);
    store.calls.createIfAbsent({ callSid: 'CA' + 'a'.repeat(32), from: '+15550001111', to: '+15550002222', status: 'ringing', startedAt: 1 });
    store.close();
    const again = Store.open(path);
    expect(again.calls.list({}).length).toBe(1);
    again.close();
  });
});

describe('migration 1', () => {
  it('creates the call record tables with their constraints', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(db)).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['calls', 'settings', 'system_errors', 'tool_calls', 'transcript_lines', 'voicemails']));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', 'a', 'b', 'ringing', 1, 1)").run();
    expect(() => db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', 'a', 'b', 'ringing', 1, 1)").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (999, 'caller', 'hi', 1)").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'robot', 'hi', 1)").run()).toThrow(/CHECK/);
  });

  it('rolls back a failing migration, leaving the previous version', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE x (a); SELECT * FROM missing_table;') }];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'x'").pluck().get()).toBe(0);
  });
});

describe('call store', () => {
  it('creates one call per CallSid however often the webhook is replayed', () => {
    const store = new Store(openDatabase(':memory:'));
    const call = { callSid: 'CA' + 'b'.repeat(32), from: '+15551234567', to: '+15557654321', status: 'ringing' as const, startedAt: 1000 };
    expect(store.calls.createIfAbsent(call).created).toBe(true);
    expect(store.calls.createIfAbsent(call).created).toBe(false);
    expect(store.calls.list({}).length).toBe(1);
    expect(store.calls.list({})[0]?.fromMasked).toBe('••• 4567');
  });

  it('never moves a finished call back to an earlier status, but takes the final duration', () => {
    const store = new Store(openDatabase(':memory:'));
    const sid = 'CA' + 'c'.repeat(32);
    store.calls.createIfAbsent({ callSid: sid, from: '+1', to: '+2', status: 'ringing', startedAt: 1000 });
    store.calls.updateStatus(sid, 'in-progress', 2000);
    store.calls.updateStatus(sid, 'completed', 5000);
    store.calls.updateStatus(sid, 'in-progress', 6000, undefined);
    const done = store.calls.updateStatus(sid, 'completed', 7000, 42);
    expect(done).toMatchObject({ status: 'completed', answeredAt: 2000, endedAt: 5000, durationS: 42 });
  });
});

describe('migration 2', () => {
  it('upgrades a version-1 database with calls in it, keeping them', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+1555', '+1666', 'completed', 1, 1)").run();
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT call_sid, outcome FROM calls').get()).toEqual({ call_sid: 'CA1', outcome: null });
  });

  it('keeps appointments consistent: known patient, provider and service; end after start', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO providers (name, created_at) VALUES ('Priya', 1)").run();
    db.prepare("INSERT INTO services (name, duration_min, created_at) VALUES ('Botox', 30, 1)").run();
    db.prepare("INSERT INTO patients (name, phone, created_at) VALUES ('Jane', '+1555', 1)").run();
    const insert = db.prepare("INSERT INTO appointments (patient_id, provider_id, service_id, start_at, end_at, block_end_at, status, created_at, updated_at) VALUES (?, 1, 1, ?, ?, ?, 'booked', 1, 1)");
    insert.run(1, 1000, 2000, 2000);
    expect(() => insert.run(99, 1000, 2000, 2000)).toThrow(/FOREIGN KEY/);
    expect(() => insert.run(1, 2000, 1000, 1000)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO services (name, duration_min, created_at) VALUES ('Nothing', 0, 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO closures (start_date, end_date) VALUES ('2026-12-26', '2026-12-24')").run()).toThrow(/CHECK/);
  });
});

describe('migration 3', () => {
  it('indexes transcripts already on record and keeps the index in step with new, changed and deleted lines', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+1555', '+1666', 'completed', 1, 1)").run();
    db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'caller', 'I need a root canal', 1)").run();
    migrate(db, MIGRATIONS.slice(0, 3));
    const search = (q: string) => db.prepare('SELECT rowid FROM transcript_fts WHERE transcript_fts MATCH ?').pluck().all(q);
    expect(search('canal')).toEqual([1]);
    db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'receptionist', 'Café hours are nine to five', 2)").run();
    expect(search('cafe')).toEqual([2]);
    db.prepare("UPDATE transcript_lines SET text = 'whitening please' WHERE id = 1").run();
    expect(search('canal')).toEqual([]);
    expect(search('whitening')).toEqual([1]);
    db.prepare('DELETE FROM transcript_lines WHERE id = 2').run();
    expect(search('cafe')).toEqual([]);
    expect(db.prepare('SELECT archived, action_resolved_by FROM calls').get()).toEqual({ archived: 0, action_resolved_by: null });
  });
});

describe('migration 4', () => {
  it('moves search to one document per call, kept current as lines are added and removed', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 3));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+15035551234', '+1666', 'completed', 1, 1)").run();
    db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'caller', 'Is there parking at Riverside?', 1)").run();
    migrate(db, MIGRATIONS.slice(0, 4));
    const search = (q: string) => db.prepare('SELECT rowid FROM call_fts WHERE call_fts MATCH ? ORDER BY rowid DESC').pluck().all(q);
    expect(search('riverside')).toEqual([1]);
    db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'receptionist', 'Yes, behind the clinic', 2)").run();
    // Words said in different lines of the same call find the call.
    expect(search('riverside clinic')).toEqual([1]);
    db.prepare('DELETE FROM transcript_lines WHERE call_id = 1').run();
    expect(search('riverside')).toEqual([]);
    expect(db.prepare('SELECT from_last4 FROM calls').pluck().get()).toBe('1234');
  });
});

describe('migration 5', () => {
  it('adds the supervisor notes, and counts calls already in the fallback as handed off', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 4));
    const insert = db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at, fallback) VALUES (?, '+1555', '+1666', 'in-progress', 1, ?, ?)");
    insert.run('CA1', 50, 'voicemail');
    insert.run('CA2', 60, null);
    migrate(db, MIGRATIONS.slice(0, 5));
    expect(db.prepare('SELECT call_sid, end_reason, keys_pressed, handed_off_at FROM calls ORDER BY id').all()).toEqual([
      { call_sid: 'CA1', end_reason: null, keys_pressed: '', handed_off_at: 50 },
      { call_sid: 'CA2', end_reason: null, keys_pressed: '', handed_off_at: null },
    ]);
  });

  it('keeps the first reason, and only the last 64 keys a caller pressed', () => {
    const store = Store.open(tempDbPath());
    const { call } = store.calls.createIfAbsent({ callSid: 'CA' + 'b'.repeat(32), from: '+15550001111', to: '+15550002222', status: 'in-progress', startedAt: 1 });
    store.supervision.recordEndReason(call.id, 'openai_no_reply', 2);
    store.supervision.recordEndReason(call.id, 'twilio_call_ended', 3);
    for (let i = 0; i < 70; i++) store.supervision.recordKey(call.id, String(i % 10), 4);
    const notes = store.supervision.get(call.id)!;
    expect(notes.endReason).toBe('openai_no_reply');
    expect(notes.keysPressed).toHaveLength(64);
    expect(notes.keysPressed.endsWith('789')).toBe(true);
    store.close();
  });
});

describe('migration 6', () => {
  it('a new line only marks its call pending (constant cost); deleting lines drops the document', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+15035551234', '+1666', 'completed', 1, 1)").run();
    db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'caller', 'Is there parking at Riverside?', 1)").run();
    migrate(db, MIGRATIONS.slice(0, 6));
    const search = (q: string) => db.prepare('SELECT rowid FROM call_fts WHERE call_fts MATCH ?').pluck().all(q);
    // The document written before the upgrade is kept.
    expect(search('riverside')).toEqual([1]);
    db.prepare("INSERT INTO transcript_lines (call_id, speaker, text, spoken_at) VALUES (1, 'receptionist', 'Yes, behind the clinic', 2)").run();
    expect(search('clinic')).toEqual([]);
    expect(db.prepare('SELECT call_id FROM call_fts_pending').pluck().all()).toEqual([1]);
    db.prepare('DELETE FROM transcript_lines WHERE call_id = 1').run();
    expect(search('riverside')).toEqual([]);
  });
});

describe('migration 7', () => {
  it('adds the urgent situation to calls; the first situation stays the label and the notes add up', () => {
    const store = Store.open(tempDbPath());
    const { call } = store.calls.createIfAbsent({ callSid: 'CA' + 'c'.repeat(32), from: '+15550001111', to: '+15550002222', status: 'in-progress', startedAt: 1 });
    expect(store.calls.get(call.id)!.urgent).toBeNull();
    store.calls.markUrgent(call.id, 'emergency', 'Chest pain', 5);
    store.calls.markUrgent(call.id, 'Knocked-out tooth', 'Also a tooth', 6);
    const stored = store.calls.get(call.id)!;
    expect(stored).toMatchObject({ urgent: 'emergency', urgentNote: 'Chest pain / Also a tooth', needsAction: true });
    expect(store.db.prepare('SELECT urgent_at FROM calls WHERE id = ?').pluck().get(call.id)).toBe(5);
    store.close();
  });
});

describe('migration 8', () => {
  it('keeps Twilio’s STIR/SHAKEN verdict with the call, and none for calls before it', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 7));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+1555', '+1666', 'completed', 1, 1)").run();
    migrate(db, MIGRATIONS.slice(0, 8));
    expect(db.prepare('SELECT stir_verstat FROM calls').pluck().all()).toEqual([null]);
    const store = new Store(db);
    const { call } = store.calls.createIfAbsent({ callSid: 'CA' + 'd'.repeat(32), from: '+15550001111', to: '+1', status: 'ringing', startedAt: 2, stirVerstat: 'TN-Validation-Passed-A' });
    expect(call.stirVerstat).toBe('TN-Validation-Passed-A');
  });
});

describe('migration 9', () => {
  it('adds the intake fields; existing patients and appointments keep theirs, with the new ones empty', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 8));
    db.prepare("INSERT INTO patients (name, phone, date_of_birth, created_at) VALUES ('Jane Doe', '+15550001111', '1990-05-17', 1)").run();
    migrate(db, MIGRATIONS.slice(0, 9));
    const store = new Store(db);
    const [jane] = store.patients.withPhone('+15550001111');
    expect(jane).toEqual({ id: 1, name: 'Jane Doe', phone: '+15550001111', dateOfBirth: '1990-05-17', email: null, insuranceCarrier: null, insuranceMemberId: null });
    expect(store.patients.update(1, { email: 'jane@example.com', insuranceMemberId: 'A1' })).toMatchObject({ email: 'jane@example.com', insuranceMemberId: 'A1', dateOfBirth: '1990-05-17' });
  });
});

describe('a call on the line put back after a live restore', () => {
  it('keeps its caller verification, urgency and follow-up flag', () => {
    const before = Store.open(tempDbPath());
    const { call } = before.calls.createIfAbsent({ callSid: 'CA' + 'e'.repeat(32), from: '+15550001111', to: '+15550002222', status: 'in-progress', startedAt: 5, stirVerstat: 'TN-Validation-Passed-A' });
    before.calls.markUrgent(call.id, 'emergency', 'Chest pain', 6);
    const live = before.calls.get(call.id)!;
    before.close();
    const restored = Store.open(tempDbPath());
    restored.calls.reinstate(live, 7);
    expect(restored.calls.get(call.id)).toMatchObject({ callSid: live.callSid, stirVerstat: 'TN-Validation-Passed-A', urgent: 'emergency', urgentNote: 'Chest pain', needsAction: true });
    restored.close();
  });
});

describe('migration 10', () => {
  it('adds text threads: existing calls are voice, a thread is one call-log row per phone, a retried text is kept once, a status never moves back', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 9));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA1', '+1555', '+1666', 'completed', 1, 1)").run();
    migrate(db, MIGRATIONS.slice(0, 10));
    const store = new Store(db);
    expect(store.calls.get(1)?.channel).toBe('voice');
    const sid = 'SM' + 'a'.repeat(32);
    const { thread, created } = store.sms.openThread('+15550001111', '+15550002222', sid, 5);
    expect(created).toBe(true);
    expect(store.sms.openThread('+15550001111', '+15550002222', 'SM' + 'b'.repeat(32), 6)).toMatchObject({ created: false, thread: { callId: thread.callId } });
    expect(store.calls.get(thread.callId)).toMatchObject({ channel: 'sms', callSid: sid, status: 'completed' });
    const first = store.sms.addMessage({ callId: thread.callId, direction: 'inbound', author: 'patient', body: 'Hi', messageSid: sid, status: 'received', at: 5 });
    expect(first).toMatchObject({ body: 'Hi', direction: 'inbound' });
    expect(store.sms.addMessage({ callId: thread.callId, direction: 'inbound', author: 'patient', body: 'Hi', messageSid: sid, status: 'received', at: 6 })).toBeNull();
    const out = 'SM' + 'c'.repeat(32);
    store.sms.addMessage({ callId: thread.callId, direction: 'outbound', author: 'assistant', body: 'Hello', messageSid: out, status: 'queued', at: 7 });
    expect(store.sms.updateStatus(out, 'delivered', null, 8)?.status).toBe('delivered');
    expect(store.sms.updateStatus(out, 'sent', null, 9)?.status).toBe('delivered');
    expect(store.sms.messages(thread.callId).map((m) => m.body)).toEqual(['Hi', 'Hello']);
    store.sms.optOut('+15550001111', 'STOP', 10);
    expect(store.sms.isOptedOut('+15550001111')).toBe(true);
    store.sms.optIn('+15550001111');
    expect(store.sms.isOptedOut('+15550001111')).toBe(false);
  });
});

describe('migration 11', () => {
  it('adds the durable text queue: one job per appointment, kind and time; one missed-call text per call; a mid-send job is never retried', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 11));
    const store = new Store(db);
    const { call } = store.calls.createIfAbsent({ callSid: 'CA' + 'f'.repeat(32), from: '+15550001111', to: '+15550002222', status: 'completed', startedAt: 1 });
    expect(store.textJobs.add({ kind: 'missed_call', callId: call.id, phone: '+15550001111', dueAt: 5 }, 1)).toBe(true);
    expect(store.textJobs.add({ kind: 'missed_call', callId: call.id, phone: '+15550001111', dueAt: 9 }, 2)).toBe(false);
    const [job] = store.textJobs.due(10, 5);
    expect(job).toMatchObject({ kind: 'missed_call', state: 'pending' });
    expect(store.textJobs.claim(job!.id, 11)).toBe(true);
    expect(store.textJobs.claim(job!.id, 12)).toBe(false);
    expect(store.textJobs.failInterrupted(13)).toBe(1);
    expect(store.textJobs.list()[0]).toMatchObject({ state: 'failed', detail: expect.stringMatching(/not sent again/) });
  });
});

describe('migration 12', () => {
  it('keeps one summary per call: queued once, then done with its values or ended with only a reason', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 12));
    const store = new Store(db);
    const a = store.calls.createIfAbsent({ callSid: 'CA' + '1'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: 1 }).call.id;
    const b = store.calls.createIfAbsent({ callSid: 'CA' + '2'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: 2 }).call.id;
    expect(store.summaries.queue(a, 3)).toBe(true);
    expect(store.summaries.queue(a, 4)).toBe(false);
    store.summaries.queue(b, 5);
    expect(store.summaries.pending(10)).toEqual([a, b]);
    store.summaries.done(a, { summary: 'Booked a facial.', intent: 'book', sentiment: 'positive', satisfaction: 8, followUp: false, followUpReason: null }, 6);
    store.summaries.end(b, 'failed', 'no summary: 503', 7);
    expect(store.summaries.get(a)).toMatchObject({ state: 'done', intent: 'book', satisfaction: 8, followUp: false });
    expect(store.summaries.get(b)).toMatchObject({ state: 'failed', summary: null, satisfaction: null, followUp: null, detail: 'no summary: 503' });
    expect(() => db.prepare("UPDATE call_summaries SET satisfaction = 11 WHERE call_id = ?").run(a)).toThrow(/CHECK/);
  });
});

describe('migration 13', () => {
  it('keeps a call’s tokens, cost and reply times; a stretch back from a transfer adds to them, minutes are the whole call’s', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 13));
    const store = new Store(db);
    const id = store.calls.createIfAbsent({ callSid: 'CA' + '3'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: 1 }).call.id;
    const tokens = { textIn: 100, audioIn: 50, cachedTextIn: 10, cachedAudioIn: 0, textOut: 20, audioOut: 40 };
    store.figures.add(id, { tokens, openaiUsd: 0.01, twilioUsd: 0.0125, minutes: 1, replyMs: [500], bargeIns: 1 }, 10);
    store.figures.add(id, { tokens, openaiUsd: 0.02, twilioUsd: 0.025, minutes: 2, replyMs: [700], bargeIns: 0 }, 20);
    expect(store.figures.get(id)).toEqual({
      tokens: { textIn: 200, audioIn: 100, cachedTextIn: 20, cachedAudioIn: 0, textOut: 40, audioOut: 80 },
      openaiUsd: 0.03, twilioUsd: 0.025, costUsd: 0.055, minutes: 2, replyMs: [500, 700], bargeIns: 1,
    });
    // The figures' query also leaves out test calls (migration 17's column).
    migrate(db);
    expect(store.figures.since(15)).toEqual([{ costUsd: 0.055, replyMs: [500, 700] }]);
  });
});

describe('migration 14', () => {
  it('keeps voicemails on the PC: existing ones wait to be fetched; tries are counted; a saved one has its file', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 13));
    const store = new Store(db);
    const id = store.calls.createIfAbsent({ callSid: 'CA' + '4'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: 1 }).call.id;
    store.voicemails.add(id, 'RE' + 'a'.repeat(32), 'https://api.twilio.com/x', 9, 2);
    migrate(db, MIGRATIONS.slice(0, 14));
    const [vm] = store.voicemails.toFetch(5, 10);
    expect(vm).toMatchObject({ fetchState: 'pending', onThisPc: false, transcript: null });
    expect(store.voicemails.attempted(vm!.id, 'Twilio answered 404')).toBe(1);
    store.voicemails.saved(vm!.id, '/data/voicemails/RE.wav');
    store.voicemails.setTranscript(vm!.id, 'Please call me back.');
    expect(store.voicemails.get(vm!.id)).toMatchObject({ fetchState: 'saved', onThisPc: true, transcript: 'Please call me back.', fetchDetail: null });
    expect(store.voicemails.localFile(vm!.id)).toBe('/data/voicemails/RE.wav');
    expect(store.voicemails.toFetch(5, 10)).toEqual([]);
  });
});

describe('migration 15', () => {
  it('keeps where each call’s recording is: started once per call (a call back from a transfer continues it), then its length; retention finds the old ones', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 14));
    const store = new Store(db);
    const old = store.calls.createIfAbsent({ callSid: 'CA' + '5'.repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: 1 }).call.id;
    const recent = store.calls.createIfAbsent({ callSid: 'CA' + '6'.repeat(32), from: '+15550001112', to: '+1', status: 'completed', startedAt: 2 }).call.id;
    migrate(db, MIGRATIONS.slice(0, 15));
    store.recordings.started(old, '/data/recordings/1.wav', 1_000);
    store.recordings.progress(old, 4_000, 64_058, null);
    store.recordings.started(old, '/data/recordings/other.wav', 9_000);
    expect(store.recordings.get(old)).toMatchObject({ file: '/data/recordings/1.wav', durationMs: 4_000, startedAt: 1_000, finishedAt: null });
    store.recordings.progress(old, 6_000, 96_058, 7_000);
    store.recordings.started(recent, '/data/recordings/2.wav', 50_000);
    expect(store.recordings.olderThan(10_000, 10).map((r) => r.callId)).toEqual([old]);
    store.recordings.remove(old);
    expect(store.recordings.get(old)).toBeNull();
    expect(store.recordings.all().map((r) => r.callId)).toEqual([recent]);
  });
});

describe('migration 16', () => {
  it('adds staff accounts (unique names, known roles), sessions, and an append-only audit log', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 15));
    const store = new Store(db);
    migrate(db, MIGRATIONS.slice(0, 16));
    const ana = store.staff.create({ name: 'Ana', role: 'front_desk', secretKind: 'pin', secretHash: 'scrypt$x' }, 1);
    expect(() => store.staff.create({ name: 'ana', role: 'admin', secretKind: 'pin', secretHash: 'scrypt$y' }, 2)).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO staff_accounts (name, role, secret_kind, secret_hash, secret_changed_at, created_at) VALUES ('Bo', 'owner', 'pin', 'h', 1, 1)").run()).toThrow(/CHECK/);
    store.staff.startSession('hash-1', ana.id, 10, 100);
    expect(store.staff.session('hash-1')).toMatchObject({ accountId: ana.id, lockedAt: null, endedAt: null });
    store.audit.append({ at: 5, actorId: ana.id, actorName: 'Ana', action: 'sign-in', target: null, detail: null, origin: 'desktop window', prevHash: '', hash: 'h1' });
    expect(store.audit.head()).toEqual({ id: 1, hash: 'h1' });
    expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  });
});

describe('migration 17', () => {
  it('marks test calls and their bookings; a sandbox booking blocks no real caller, the sandbox sees both', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 16));
    db.prepare("INSERT INTO calls (call_sid, from_number, to_number, status, started_at, updated_at) VALUES ('CA" + 'b'.repeat(32) + "', '+15550001111', '+15550002222', 'completed', 1, 1)").run();
    migrate(db, MIGRATIONS.slice(0, 17));
    const store = new Store(db);
    expect(store.calls.getBySid('CA' + 'b'.repeat(32))?.testCall).toBeNull();
    const { call } = store.calls.createIfAbsent({ callSid: 'TC' + 'c'.repeat(32), from: '', to: '', status: 'ringing', startedAt: 2, testCall: 'sandbox' });
    expect(call.testCall).toBe('sandbox');
    expect(store.calls.hasTestCall()).toBe(true);
    expect(db.prepare('EXPLAIN QUERY PLAN SELECT 1 FROM calls WHERE test_call IS NOT NULL LIMIT 1').all().map((r) => (r as { detail: string }).detail).join()).toMatch(/calls_test_call/);
    expect(() => db.prepare("UPDATE calls SET test_call = 'pretend' WHERE id = ?").run(call.id)).toThrow(/CHECK/);

    const provider = store.clinic.saveProvider({ name: 'Priya', hours: {}, calendarId: null });
    const service = store.clinic.saveService({ name: 'Botox', durationMin: 30, bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [provider.id] });
    const patient = store.patients.findOrCreate('Jane Doe', '+15035550188', null, false);
    const at = Date.UTC(2030, 0, 7, 15);
    const a = store.appointments.create({ patientId: patient.id, providerId: provider.id, serviceId: service.id, start: at, end: at + 1_800_000, blockEnd: at + 1_800_000, bookedByCallId: call.id, testCall: 'sandbox' });
    expect(a.testCall).toBe('sandbox');
    expect(store.appointments.busy(provider.id, at, at + 3_600_000)).toEqual([]);
    expect(store.appointments.busy(provider.id, at, at + 3_600_000, undefined, 'sandbox')).toEqual([{ start: at, end: at + 1_800_000 }]);
    expect(store.appointments.busyFor([provider.id], at, at + 3_600_000).get(provider.id)).toEqual([]);
    // Staff still see it on the Appointments screen, marked.
    expect(store.appointments.between(at - 1, at + 1).map((x) => x.testCall)).toEqual(['sandbox']);
  });
});
