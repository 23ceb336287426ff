import { writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';
import { greetedCall } from '../harness/conversation.js';
import { silence, speech } from '../sim/audio.js';

/** Polls an asynchronous check (the staff API) until it holds. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FILLABLE = ['--import', 'tsx', resolve(import.meta.dirname, '../harness/failing-disk-engine.ts')];

describe('a full disk', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('keeps the caller talking to the receptionist, tells staff, corrupts nothing, and recovers when space returns', async () => {
    rig = await startRig({
      engineArgs: FILLABLE,
      realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }], turns: [{ user: 'Are you open today?', replies: [{ say: 'Yes, until five.' }] }, { user: 'Thank you', replies: [{ say: 'You are welcome.' }] }] } },
    });
    const status = async () => (await rig!.handler<{ storageProblem: string | null }>('status/get')) as { ok: true; value: { storageProblem: string | null } };
    const { call, session, callId } = await greetedCall(rig, '+15550881234');
    await eventually(() => rig!.query('SELECT * FROM transcript_lines').length === 1, 3000, 'greeting saved');
    expect((await status()).value.storageProblem).toBeNull();

    const marker = join(rig.engine.dataDir, 'disk-full');
    writeFileSync(marker, '');
    const heard = call.playedBytes;
    call.say(Buffer.concat([speech('Are you open today?'), silence(800)]));
    await session.waitFor((s) => s.responses[1]?.doneAt !== undefined, 8000);
    // The caller still hears the receptionist: the disk is not on the audio path.
    await call.waitFor((c) => c.playedBytes > heard, 3000);
    expect(call.redirects).toEqual([]);
    await until(async () => (await status()).value.storageProblem !== null, 3000, 'storage problem shown');
    expect((await status()).value.storageProblem).toMatch(/^Call records cannot be saved: database or disk is full/);

    rmSync(marker);
    call.say(Buffer.concat([speech('Thank you'), silence(800)]));
    await session.waitFor((s) => s.responses[2]?.doneAt !== undefined, 8000);
    await eventually(() => rig!.query<{ text: string }>('SELECT text FROM transcript_lines WHERE call_id = ?', callId).some((l) => l.text === 'You are welcome.'), 3000, 'writes again');
    await until(async () => (await status()).value.storageProblem === null, 3000, 'problem cleared');
    const db = new Database(rig.engine.dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(rig.query<{ type: string }>("SELECT type FROM system_errors WHERE type = 'transcript_write_failed'").length).toBeGreaterThan(0);
  });
});
