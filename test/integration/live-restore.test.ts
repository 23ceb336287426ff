import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import { greetedCall } from '../harness/conversation.js';
import { silence, speech } from '../sim/audio.js';

describe('restore from Settings → Backups, with Deskline running', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('puts the backup back, keeps the replaced database, and the caller on the line never notices', async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }], turns: [{ user: 'Are you open today?', replies: [{ say: 'Yes, until five.' }] }] } } });
    const first = await greetedCall(rig, '+15550771001');
    await first.call.hangup();
    const backup = await rig.handler<{ file: string }>('backups/run');
    if (!backup.ok) throw new Error(backup.error.message);
    // After the backup: another call, which the restore will take back out of the record.
    const later = await greetedCall(rig, '+15550771002');
    await later.call.hangup();
    expect(rig.query('SELECT id FROM calls')).toHaveLength(2);

    const { call, session } = await greetedCall(rig, '+15550771003');
    expect(await rig.handler('backups/restore', { file: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const restored = await rig.handler<{ rows: Record<string, number>; safetyCopy: string }>('backups/restore', { file: backup.value.file });
    if (!restored.ok) throw new Error(restored.error.message);
    expect(restored.value.rows.calls).toBe(1);
    expect(restored.value.safetyCopy).toMatch(/before-restore-/);
    // The backup's call, and the call still on the line (its record comes back under its own id).
    expect(rig.query<{ from_number: string }>('SELECT from_number FROM calls ORDER BY id').map((c) => c.from_number)).toEqual(['+15550771001', '+15550771003']);

    // The call that was on the line carries on with the receptionist.
    const heard = call.playedBytes;
    call.say(Buffer.concat([speech('Are you open today?'), silence(800)]));
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    await call.waitFor((c) => c.playedBytes > heard, 3000);
    expect(call.redirects).toEqual([]);
    await eventually(() => rig!.query<{ text: string }>("SELECT t.text FROM transcript_lines t JOIN calls c ON c.id = t.call_id WHERE c.from_number = '+15550771003'").some((l) => l.text === 'Yes, until five.'), 3000, 'line on the live call');
    expect(rig.query("SELECT * FROM system_errors WHERE type = 'transcript_write_failed'")).toEqual([]);
    // Answering resumed: the next call reaches the receptionist.
    const next = await rig.twilio.placeCall({ from: '+15550771004', to: '+15550770000' });
    expect(next.voiceResponse.streamUrl).toBeDefined();
    expect(rig.query<{ type: string }>("SELECT type FROM system_errors WHERE type = 'database_restored'")).toHaveLength(1);
  });
});
