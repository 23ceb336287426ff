import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';
import { ensureAccount, TEST_ADMIN } from '../harness/dashboard-sign-in.js';
import { staffSocket, type StaffSocket } from '../harness/staff-socket.js';
import { FRAME_BYTES, silence, speech } from '../sim/audio.js';
import type { Script } from '../sim/realtime/index.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa. How can I help you today?' }];

/**
 * The dashboard's side of a test call, as the renderer does it: microphone frames in real
 * time, the receptionist's audio "played" in real time with each mark echoed once the audio
 * before it has played, and a clear dropping what is unplayed (its marks echoed at once).
 */
class DashboardPhone {
  heardBytes = 0;
  ended: string | null = null;
  private queuedMs = 0;
  private playStarted = Date.now();
  private timers: Array<{ name: string; timer: NodeJS.Timeout }> = [];
  private seen = 0;
  private readonly poll: NodeJS.Timeout;

  constructor(private readonly socket: StaffSocket, readonly callId: number) {
    this.poll = setInterval(() => this.drain(), 5);
  }

  private drain(): void {
    for (; this.seen < this.socket.events.length; this.seen++) {
      const e = this.socket.events[this.seen]!;
      if (!e.event.startsWith('testcall.') || e.payload.callId !== this.callId) continue;
      const now = Date.now();
      const playedUntil = Math.max(now, this.playStarted + this.queuedMs);
      if (e.event === 'testcall.audio') {
        const bytes = Buffer.from(e.payload.payload, 'base64').length;
        if (this.playStarted + this.queuedMs < now) (this.playStarted = now), (this.queuedMs = 0);
        this.queuedMs += bytes / 8;
        this.heardBytes += bytes;
      } else if (e.event === 'testcall.mark') {
        const name = e.payload.name as string;
        const entry = { name, timer: setTimeout(() => this.echo(entry), playedUntil - now) };
        this.timers.push(entry);
      } else if (e.event === 'testcall.clear') {
        // Unplayed audio is dropped and its marks come back at once, as Twilio does.
        this.queuedMs = 0;
        for (const entry of [...this.timers]) {
          clearTimeout(entry.timer);
          this.echo(entry);
        }
      } else if (e.event === 'testcall.ended') {
        this.ended = e.payload.reason;
      }
    }
  }

  private echo(entry: { name: string; timer: NodeJS.Timeout }): void {
    this.timers = this.timers.filter((t) => t !== entry);
    this.socket.call('testcall/mark', { callId: this.callId, name: entry.name }).catch(() => undefined);
  }

  /** Speaks `audio` into the microphone: 100 ms messages, sent in real time. */
  async say(audio: Buffer): Promise<void> {
    const step = 5 * FRAME_BYTES;
    const padded = Buffer.concat([audio, Buffer.alloc((FRAME_BYTES - (audio.length % FRAME_BYTES)) % FRAME_BYTES, 0xff)]);
    const start = Date.now();
    for (let at = 0, n = 0; at < padded.length && this.ended === null; at += step, n++) {
      const reply = await this.socket.call('testcall/audio', { callId: this.callId, payload: padded.subarray(at, at + step).toString('base64') });
      // The call may end while the caller is still talking (a transfer): the rest is not sent.
      if (!reply.ok && this.ended === null) throw new Error(`testcall/audio refused: ${reply.error.message}`);
      const wait = start + (n + 1) * 100 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  close(): void {
    clearInterval(this.poll);
    for (const t of this.timers) clearTimeout(t.timer);
  }
}

describe('a test call from the dashboard', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  let socket: StaffSocket;

  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    clinic = await seedClinic(rig);
    const accountId = await ensureAccount(rig, TEST_ADMIN);
    socket = await staffSocket(rig);
    const signedIn = await socket.call('session/sign-in', { accountId, secret: TEST_ADMIN.pin });
    if (!signedIn.ok) throw new Error(signedIn.error.message);
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await rig?.close();
  });

  async function testCall(diary: 'real_diary' | 'sandbox', script: Script) {
    rig.realtime.queueScript(script);
    const before = rig.realtime.sessions.length;
    const started = await socket.call<{ callId: number }>('testcall/start', { diary });
    if (!started.ok) throw new Error(started.error.message);
    const session = await rig.realtime.waitForSession(before);
    return { phone: new DashboardPhone(socket, started.value.callId), session, callId: started.value.callId };
  }

  it('runs the receptionist on the same call path: greeting heard, words transcribed, a sandbox booking marked as a test, left out of the figures', async () => {
    const slotId = `${clinic.priya}@${clinic.tomorrow}T14:00`;
    const figuresBefore = await rig.handler<{ today: { calls: number } }>('calls/figures');
    const testCallItem = async () => {
      const list = await rig.handler<Array<{ key: string; done: boolean; optional?: boolean }>>('setup/checklist');
      return list.ok ? list.value.find((i) => i.key === 'testCall') : undefined;
    };
    const { phone, session, callId } = await testCall('sandbox', {
      greeting: GREETING,
      turns: [
        { user: 'I would like Botox tomorrow at 2 PM', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'Tomorrow at 2 PM with Priya is free. May I have your name?' }] },
        { user: 'Jane Doe', replies: [{ call: 'book_appointment', arguments: { slot_id: slotId, service: 'Botox', patient_name: 'Jane Doe', phone: '+15035550188', date_of_birth: '1990-05-17', phone_confirmed: true } }, { say: 'You are booked.' }] },
      ],
    });
    try {
      // The greeting reaches the dashboard's speaker, whole.
      await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 5000);
      await expect.poll(() => phone.heardBytes, { timeout: 5000 }).toBeGreaterThanOrEqual(session.outputBytes);
      for (const line of ['I would like Botox tomorrow at 2 PM', 'Jane Doe']) {
        const heard = session.utterances.length;
        await phone.say(Buffer.concat([speech(line), silence(900)]));
        await session.waitFor((s) => s.utterances.length > heard, 15_000);
        await session.waitFor((s) => s.responses.every((r) => r.doneAt !== undefined), 15_000);
      }
      // Marks came back from the dashboard as Twilio's would: the engine knows what was heard.
      await expect.poll(() => rig.query<{ n: number }>("SELECT count(*) AS n FROM transcript_lines WHERE call_id = ? AND speaker = 'caller'", callId)[0]!.n, { timeout: 5000 }).toBe(2);
      const live = await rig.handler<Array<{ call: { id: number; testCall: string | null } }>>('live/list');
      expect(live.ok && live.value.find((v) => v.call.id === callId)?.call.testCall).toBe('sandbox');

      const ended = await socket.call('testcall/end', { callId });
      expect(ended.ok).toBe(true);
      await expect.poll(() => phone.ended, { timeout: 5000 }).toBe('You hung up.');
      await expect.poll(() => rig.query<{ status: string }>('SELECT status FROM calls WHERE id = ?', callId)[0]!.status, { timeout: 5000 }).toBe('completed');
    } finally {
      // Whatever happened, this dashboard is free for the next test.
      await socket.call('testcall/end', { callId });
      phone.close();
    }

    const detail = await rig.handler<{ testCall: string | null; transcript: Array<{ speaker: string; text: string }> }>('calls/get', { id: callId });
    expect(detail.ok && detail.value.testCall).toBe('sandbox');
    expect(detail.ok && detail.value.transcript.filter((l) => l.speaker === 'caller').map((l) => l.text)).toEqual(['I would like Botox tomorrow at 2 PM', 'Jane Doe']);

    // The sandbox booking shows on Appointments as a test, and the clinic's diary is still free at 2 PM.
    const day = clinic.at(clinic.tomorrow, '00:00');
    const listed = await rig.handler<Array<{ id: number; testCall: string | null; patientName: string }>>('appointments/list', { from: day, to: day + 86_400_000 });
    expect(listed.ok && listed.value.map((a) => [a.patientName, a.testCall])).toEqual([['Jane Doe', 'sandbox']]);
    const sandboxId = listed.ok ? listed.value[0]!.id : -1;
    const real = await rig.handler('appointments/create', { serviceId: clinic.botox, providerId: clinic.priya, start: clinic.at(clinic.tomorrow, '14:00'), patientName: 'Real Patient', patientPhone: '+15035550199' });
    expect(real.ok).toBe(true);
    // Texts were planned for the real booking, and none for the test one.
    expect(rig.query<{ n: number }>('SELECT count(*) AS n FROM text_jobs WHERE appointment_id = ?', sandboxId)[0]!.n).toBe(0);
    expect(rig.query<{ n: number }>('SELECT count(*) AS n FROM text_jobs WHERE appointment_id != ?', sandboxId)[0]!.n).toBeGreaterThan(0);

    // The setup's checklist knows the receptionist has been tried.
    expect(await testCallItem()).toMatchObject({ done: true, optional: true });
    const figuresAfter = await rig.handler<{ today: { calls: number } }>('calls/figures');
    expect(figuresBefore.ok && figuresAfter.ok && figuresAfter.value.today.calls).toBe(figuresBefore.ok ? figuresBefore.value.today.calls : -1);
  }, 90_000);

  it('a transfer ends the test with what a real caller would get; nothing reaches Twilio', async () => {
    const { phone, session, callId } = await testCall('real_diary', {
      greeting: GREETING,
      turns: [{ user: 'Can I talk to someone', replies: [{ say: 'Putting you through now.' }, { call: 'transfer_to_staff', arguments: { reason: 'wants a person' } }] }],
    });
    try {
      await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 5000);
      await phone.say(Buffer.concat([speech('Can I talk to someone'), silence(900)]));
      await expect.poll(() => phone.ended, { timeout: 15_000 }).toMatch(/In a real call, the caller would now be put through to ••• \d{4}\. A test call ends here\./);
      await expect.poll(() => rig.query<{ status: string }>('SELECT status FROM calls WHERE id = ?', callId)[0]!.status, { timeout: 5000 }).toBe('completed');
      expect(rig.twilio.restRequests.filter((r) => r.path.includes('/Calls/'))).toEqual([]);
    } finally {
      // Whatever happened, this dashboard is free for the next test.
      await socket.call('testcall/end', { callId });
      phone.close();
    }
  }, 60_000);

  it('refuses a second test call on the same dashboard, audio that is not whole frames, and another dashboard speaking into it', async () => {
    const { phone, callId } = await testCall('sandbox', { greeting: GREETING });
    try {
      const again = await socket.call('testcall/start', { diary: 'sandbox' });
      expect(again).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'This dashboard is already on a test call.' } });
      const ragged = await socket.call('testcall/audio', { callId, payload: Buffer.alloc(100, 0xff).toString('base64') });
      expect(ragged).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      const other = await rig.handler('testcall/audio', { callId, payload: Buffer.alloc(FRAME_BYTES, 0xff).toString('base64') });
      expect(other).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const overHttp = await rig.handler('testcall/start', { diary: 'sandbox' });
      expect(overHttp).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/live connection/) } });
    } finally {
      await socket.call('testcall/end', { callId });
      phone.close();
    }
  }, 60_000);
});
