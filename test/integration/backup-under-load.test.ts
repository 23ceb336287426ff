import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';
import { silence, speech } from '../sim/audio.js';

describe('backups while calls are being written', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it('each backup taken while ten callers talk verifies, and holds every line written before it began', async () => {
    rig = await startRig({ realtime: { script: { greeting: [{ say: 'Hello, Sunrise Dental.' }], turns: Array.from({ length: 6 }, (_, i) => ({ user: `question ${i}`, replies: [{ say: `Answer ${i}.` }] })) } } });
    const calls = await Promise.all(Array.from({ length: 10 }, (_, i) => rig!.twilio.placeCall({ from: `+155507720${String(i).padStart(2, '0')}`, to: '+15550770000' })));
    const talking = (async () => {
      for (let turn = 0; turn < 3; turn++) {
        for (const call of calls) call.say(Buffer.concat([speech('I have a question'), silence(700)]));
        await Promise.all(calls.map((c) => c.sayDone()));
      }
    })();
    // Each is checked at once: the hourly rotation keeps only the newest of the same hour.
    let linesBefore = 0;
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 700));
      linesBefore = rig.query<{ n: number }>('SELECT count(*) AS n FROM transcript_lines')[0]!.n;
      const backup = await rig.handler<{ file: string }>('backups/run');
      if (!backup.ok) throw new Error(backup.error.message);
      const copy = new Database(backup.value.file, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('SELECT count(*) AS n FROM transcript_lines').get() as { n: number }).n).toBeGreaterThanOrEqual(linesBefore);
      copy.close();
    }
    await talking;
    expect(linesBefore).toBeGreaterThan(10);
  });
});
