import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StereoTimeline } from '../../voice-engine/src/recording/stereo-timeline.js';
import { CallRecorder } from '../../voice-engine/src/recording/call-recorder.js';
import { WAV_HEADER_BYTES, isOurWav, framesInFile } from '../../voice-engine/src/recording/mulaw-wav.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { WorkerStorageWriter } from '../../voice-engine/src/store/writer/storage-writer.js';
import { RETENTION_SETTING, scheduleRetention } from '../../voice-engine/src/jobs/retention.js';
import { createLogger } from '../../voice-engine/src/log.js';
import { bringBackRecordings, mirrorRecordings } from '../../voice-engine/src/recording/recording-backups.js';
import { decryptFile, encryptFile } from '../../voice-engine/src/store/backup-crypto.js';
import { consentLine, phoneToolsOff, recordingRules } from '../../voice-engine/src/recording/recording-consent.js';
import { recordingSettings } from '../../voice-engine/src/clinic/receptionist-settings.js';

const DAY = 86_400_000;

const SILENCE = 0xff;
const tone = (byte: number, ms: number) => Buffer.alloc(ms * 8, byte);
/** The two channels of interleaved stereo frames. */
function channels(stereo: Buffer): { left: Buffer; right: Buffer } {
  const left = Buffer.alloc(stereo.length / 2);
  const right = Buffer.alloc(stereo.length / 2);
  for (let i = 0; i < left.length; i++) {
    left[i] = stereo[i * 2]!;
    right[i] = stereo[i * 2 + 1]!;
  }
  return { left, right };
}
/** Runs of one byte value in a channel, as [value, ms] pairs. */
function runs(channel: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const b of channel) {
    const last = out.at(-1);
    if (last && last[0] === b) last[1]++;
    else out.push([b, 1]);
  }
  return out.map(([v, n]) => [v, n / 8]);
}

describe('the recording timeline', () => {
  it('puts the caller at Twilio’s timestamps and the receptionist where it played, queued behind itself', () => {
    const t = new StereoTimeline();
    t.callerAudio(tone(0x10, 20), 0);
    t.callerAudio(tone(0x11, 20), 40); // a frame lost at 20-40 ms stays silent
    // Two chunks reach Twilio together at 100 ms: the second plays after the first.
    t.receptionistAudio(tone(0x20, 100), 100);
    t.receptionistAudio(tone(0x21, 100), 100);
    const { left, right } = channels(t.take(t.endFrame(1_000)));
    expect(runs(left)).toEqual([[0x10, 20], [SILENCE, 20], [0x11, 20], [SILENCE, 240]]);
    expect(runs(right).slice(0, 3)).toEqual([[SILENCE, 100], [0x20, 100], [0x21, 100]]);
  });

  it('cuts the receptionist where the caller talked over it: nothing Twilio cleared is in the recording', () => {
    const t = new StereoTimeline();
    t.receptionistAudio(tone(0x30, 2_000), 0); // a two-second reply sent at once
    t.callerAudio(tone(0x40, 200), 500);
    t.clear(700); // the caller barged in at 700 ms
    t.receptionistAudio(tone(0x31, 300), 1_500); // the next reply
    const { left, right } = channels(t.take(t.endFrame(3_000)));
    expect(runs(right)).toEqual([[0x30, 700], [SILENCE, 800], [0x31, 300]]);
    expect(runs(left)).toEqual([[SILENCE, 500], [0x40, 200], [SILENCE, 1_100]]);
  });

  it('cuts where the playback tracker says the caller’s hearing stopped (Twilio’s marks), not where the clock says', () => {
    const t = new StereoTimeline();
    t.receptionistAudio(tone(0x30, 1_000), 0);
    t.receptionistAudio(tone(0x31, 1_000), 0); // a second reply queued behind the first
    // Twilio was running late: at 1,300 ms by the clock, only 1,100 ms had been heard.
    t.clear(1_300, 1_100 * 8);
    t.receptionistAudio(tone(0x32, 200), 1_500);
    const { right } = channels(t.take(t.endFrame(3_000)));
    expect(runs(right)).toEqual([[0x30, 1_000], [0x31, 100], [SILENCE, 400], [0x32, 200]]);
  });

  it('hands out the call in pieces as it goes; a frame for a stretch already written is dropped, not misplaced', () => {
    const t = new StereoTimeline();
    t.callerAudio(tone(0x10, 100), 0);
    t.receptionistAudio(tone(0x20, 300), 0);
    const first = t.take(400); // 50 ms
    expect(first.length).toBe(800);
    t.callerAudio(tone(0x11, 20), 10); // too late for what is written
    const rest = channels(t.take(t.endFrame(10_000)));
    expect(rest.left.length).toBe((300 - 50) * 8);
    expect(runs(rest.left)).toEqual([[0x10, 50], [SILENCE, 200]]);
    // A recording ends where the audio heard ends, not at the time the call object closed.
    expect(runs(rest.right)).toEqual([[0x20, 250]]);
  });

  it('ends at hang-up: receptionist audio still queued at Twilio was never heard', () => {
    const t = new StereoTimeline();
    t.receptionistAudio(tone(0x20, 5_000), 0);
    expect(t.endFrame(1_200)).toBe(1_200 * 8);
  });
});

describe('the call recorder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function setUp() {
    const dataDir = mkdtempSync(join(tmpdir(), 'deskline-rec-'));
    dirs.push(dataDir);
    const store = Store.open(join(dataDir, 'deskline.sqlite'));
    const callId = store.calls.createIfAbsent({ callSid: 'CA' + '7'.repeat(32), from: '+15550001111', to: '+15550002222', status: 'in-progress', startedAt: Date.now() }).call.id;
    let clock = 0;
    const failures: Error[] = [];
    const recorder = (): CallRecorder => new CallRecorder({ dataDir, store, callId, now: () => clock, failed: (e) => failures.push(e) });
    return { dataDir, store, callId, recorder, failures, advance: (ms: number) => (clock += ms) };
  }

  it('writes a stereo μ-law WAV of the call’s length, playable, with its length in the call record', async () => {
    const { store, callId, recorder, failures, advance } = setUp();
    const rec = recorder();
    rec.start();
    for (let ms = 0; ms < 3_000; ms += 20) rec.callerAudio(tone(0x12, 20).toString('base64'), ms);
    rec.receptionistAudio(tone(0x22, 1_000).toString('base64'));
    advance(3_000);
    await rec.finish();
    expect(failures).toEqual([]);
    const row = store.recordings.get(callId)!;
    const wav = readFileSync(row.file);
    expect(isOurWav(wav)).toBe(true);
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(54)).toBe(wav.length - WAV_HEADER_BYTES);
    expect(framesInFile(wav.length)).toBe(3_000 * 8);
    expect(row).toMatchObject({ durationMs: 3_000, bytes: wav.length });
    expect(row.finishedAt).not.toBeNull();
    const { left, right } = channels(wav.subarray(WAV_HEADER_BYTES));
    expect(runs(left)).toEqual([[0x12, 3_000]]);
    expect(runs(right)).toEqual([[0x22, 1_000], [SILENCE, 2_000]]);
    store.close();
  });

  it('a call back from a transfer continues the same file after its first part', async () => {
    const { store, callId, recorder, advance } = setUp();
    const first = recorder();
    first.start();
    first.callerAudio(tone(0x12, 1_000).toString('base64'), 0);
    advance(1_000);
    const firstDone = first.finish();
    const second = recorder();
    second.start();
    second.callerAudio(tone(0x13, 500).toString('base64'), 0);
    advance(500);
    await firstDone;
    await second.finish();
    const wav = readFileSync(store.recordings.get(callId)!.file);
    expect(runs(channels(wav.subarray(WAV_HEADER_BYTES)).left)).toEqual([[0x12, 1_000], [0x13, 500]]);
    expect(store.recordings.get(callId)!.durationMs).toBe(1_500);
    store.close();
  });

  it('the caller declined: the file and its record are gone', async () => {
    const { store, callId, recorder, advance } = setUp();
    const rec = recorder();
    rec.start();
    rec.callerAudio(tone(0x12, 1_000).toString('base64'), 0);
    advance(3_000);
    await rec.settled();
    const file = store.recordings.get(callId)!.file;
    expect(existsSync(file)).toBe(true);
    await rec.discard();
    expect(existsSync(file)).toBe(false);
    expect(store.recordings.get(callId)).toBeNull();
    store.close();
  });

  it('a recording that cannot be written is reported once and given up; the call is not touched', async () => {
    const { dataDir, store, callId, failures, advance } = setUp();
    // The recordings folder cannot be created: a file is where it should be.
    rmSync(join(dataDir, 'recordings'), { recursive: true, force: true });
    writeFileSync(join(dataDir, 'recordings'), 'not a folder');
    const rec = new CallRecorder({ dataDir, store, callId, now: () => 0, failed: (e) => failures.push(e) });
    rec.start();
    rec.callerAudio(tone(0x12, 100).toString('base64'), 0);
    advance(100);
    await rec.finish();
    expect(failures).toHaveLength(1);
    expect(store.recordings.get(callId)).toBeNull();
    store.close();
  });
});

describe('retention of recordings', () => {
  it('deletes the recordings of calls older than the transcript setting, file and record; recent ones stay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'deskline-rec-retention-'));
    const store = Store.open(join(dataDir, 'deskline.sqlite'));
    const writer = new WorkerStorageWriter({ dbPath: join(dataDir, 'deskline.sqlite') });
    try {
      const now = Date.now();
      const files: Record<string, string> = {};
      for (const [name, age] of [['old', 40], ['recent', 2]] as const) {
        const id = store.calls.createIfAbsent({ callSid: 'CA' + (age === 40 ? '8' : '9').repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: now - age * DAY }).call.id;
        const rec = new CallRecorder({ dataDir, store, callId: id, now: () => 0, failed: (e) => { throw e; } });
        rec.start();
        rec.callerAudio(tone(0x12, 100).toString('base64'), 0);
        await rec.finish();
        store.db.prepare('UPDATE call_recordings SET started_at = ? WHERE call_id = ?').run(now - age * DAY, id);
        files[name] = store.recordings.get(id)!.file;
      }
      store.settings.set(RETENTION_SETTING, 30);
      const retention = scheduleRetention(store, writer, createLogger('test'));
      await retention.runNow();
      retention.stop();
      expect(existsSync(files.old!)).toBe(false);
      expect(existsSync(files.recent!)).toBe(true);
      expect(store.recordings.all().map((r) => r.file)).toEqual([files.recent]);
    } finally {
      await writer.close();
      store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('recordings in backups (Settings → Recording → include in backups)', () => {
  it('keeps each finished recording beside the backups, encrypted when backups are; drops deleted ones; a restore onto another PC puts them back', async () => {
    const root = mkdtempSync(join(tmpdir(), 'deskline-rec-backup-'));
    const dataDir = join(root, 'data');
    const backupDir = join(root, 'backups');
    const store = Store.open((mkdirSync(dataDir, { recursive: true }), join(dataDir, 'deskline.sqlite')));
    try {
      const ids: number[] = [];
      for (const n of [1, 2]) {
        const id = store.calls.createIfAbsent({ callSid: 'CA' + String(n).repeat(32), from: '+15550001111', to: '+1', status: 'completed', startedAt: Date.now() }).call.id;
        const rec = new CallRecorder({ dataDir, store, callId: id, now: () => 0, failed: (e) => { throw e; } });
        rec.start();
        rec.callerAudio(tone(0x10 + n, 200).toString('base64'), 0);
        await rec.finish();
        ids.push(id);
      }
      const key = randomBytes(32);
      const seal = async (from: string, to: string) => encryptFile(from, to, key);
      expect(await mirrorRecordings(store, backupDir, seal)).toEqual({ copied: 2, removed: 0, failed: [] });
      // Encrypted: the audio is not readable in the backup folder.
      const sealed = readFileSync(join(backupDir, 'recordings', `${ids[0]}.wav.enc`));
      expect(sealed.includes(Buffer.from('RIFF'))).toBe(false);
      expect(await mirrorRecordings(store, backupDir, seal)).toEqual({ copied: 0, removed: 0, failed: [] });
      // Retention deleted one: it leaves the backup folder too.
      const original = readFileSync(store.recordings.get(ids[0]!)!.file);
      rmSync(store.recordings.get(ids[1]!)!.file);
      store.recordings.remove(ids[1]!);
      expect(await mirrorRecordings(store, backupDir, seal)).toEqual({ copied: 0, removed: 1, failed: [] });

      // Another PC: the database comes back (here: the same rows), its recordings folder is empty.
      const newDataDir = join(root, 'new-pc');
      const back = await bringBackRecordings(store, backupDir, newDataDir, async (from, to) => decryptFile(from, to, key));
      expect(back).toEqual({ restored: 1, missing: 0 });
      const row = store.recordings.get(ids[0]!)!;
      expect(row.file).toBe(join(newDataDir, 'recordings', `${ids[0]}.wav`));
      expect(readFileSync(row.file).equals(original)).toBe(true);
    } finally {
      store.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('recording settings and consent', () => {
  const base = { enabled: false, consent: 'announce' as const, consentLine: '', includeInBackups: false };

  it('the greeting carries the consent line only when recording is on; stop_recording is offered only in “ask” mode', () => {
    expect(consentLine(base)).toBe('');
    expect(consentLine({ ...base, enabled: true })).toBe('This call is recorded for quality and training.');
    expect(consentLine({ ...base, enabled: true, consent: 'ask', consentLine: '  We record calls.  ' })).toBe('We record calls.');
    expect(phoneToolsOff({ recording: { ...base, enabled: true } })).toEqual(['stop_recording']);
    expect(phoneToolsOff({ recording: { ...base, enabled: true, consent: 'ask' } })).toEqual([]);
    expect(phoneToolsOff({ recording: { ...base, consent: 'ask' } })).toEqual(['stop_recording']);
    expect(recordingRules({ ...base, enabled: true })).toEqual([]);
    expect(recordingRules({ ...base, enabled: true, consent: 'ask' })[0]).toMatch(/call stop_recording straight away/);
  });

  it('checks what Settings send: a bad consent mode or an over-long line is refused with a reason; what is not sent stays', () => {
    expect(() => recordingSettings({ consent: 'maybe' as never }, base)).toThrow(/Consent must be/);
    expect(() => recordingSettings({ consentLine: 'x'.repeat(301) }, base)).toThrow(/at most 300/);
    expect(() => recordingSettings({ enabled: 'yes' as never }, base)).toThrow();
    expect(recordingSettings({ enabled: true }, { ...base, consentLine: 'Kept.' })).toEqual({ ...base, enabled: true, consentLine: 'Kept.' });
  });
});
