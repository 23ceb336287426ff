import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';
import { signInWithLoginLink } from '../harness/dashboard-sign-in.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa. How can I help you today?' }];

/**
 * What Chromium's fake microphone plays, over and over: a caller's sentence, then three
 * seconds of quiet, as 16-bit PCM WAV (espeak-ng + sox), so each loop is one utterance.
 */
function fakeMicrophoneFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deskline-mic-'));
  const said = join(dir, 'said.wav');
  const file = join(dir, 'caller.wav');
  execFileSync('espeak-ng', ['-s', '150', '-w', said, 'Hello, I would like to book Botox for tomorrow afternoon please'], { stdio: 'pipe' });
  execFileSync('sox', [said, '-r', '48000', '-c', '1', '-b', '16', '-e', 'signed-integer', file, 'pad', '1', '3'], { stdio: 'pipe' });
  return file;
}

/** "Talk to the receptionist" in Chromium, its microphone fed from a speech file, against the built engine. */
describe('a test call from the dashboard, in the browser', () => {
  let rig: Rig;
  let clinic: SeededClinic;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    clinic = await seedClinic(rig);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${fakeMicrophoneFile()}`],
    });
    page = await (await browser.newContext({ viewport: { width: 1300, height: 900 }, permissions: ['microphone'] })).newPage();
    await signInWithLoginLink(page, rig);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it('greets, shows the caller’s words, and a booking made in it appears on Appointments marked as a test', async () => {
    const slotId = `${clinic.priya}@${clinic.tomorrow}T14:00`;
    rig.realtime.queueScript({
      greeting: GREETING,
      turns: [
        { user: 'I would like Botox tomorrow afternoon', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '14:00' } }, { say: 'Tomorrow at 2 PM with Priya is free. May I have your name?' }] },
        { user: 'Jane Doe, born May 17 1990', replies: [{ call: 'book_appointment', arguments: { slot_id: slotId, service: 'Botox', patient_name: 'Jane Doe', phone: '+15035550188', date_of_birth: '1990-05-17', phone_confirmed: true } }, { say: 'You are booked for tomorrow at 2 PM.' }] },
      ],
      afterScript: 'quiet',
    });
    const before = rig.realtime.sessions.length;
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Live calls/ }).click();
    const panel = page.getByRole('region', { name: 'Test call' });
    await panel.getByRole('radio', { name: /sandbox/ }).check();
    await panel.getByRole('button', { name: 'Talk to the receptionist' }).click();
    await panel.getByText(/On a test call \(sandbox diary\)/).waitFor({ timeout: 10_000 });
    const session = await rig.realtime.waitForSession(before);

    // The live card is the test call's, and its transcript shows the greeting and the caller's words as they come.
    const card = page.locator('article.live-card', { hasText: 'Test call from the dashboard' });
    await card.getByText('Test call · sandbox').waitFor({ timeout: 10_000 });
    await card.getByText(/Thank you for calling Glow Med Spa/).waitFor({ timeout: 10_000 });
    await card.getByText('I would like Botox tomorrow afternoon').waitFor({ timeout: 20_000 });
    await card.getByText('Jane Doe, born May 17 1990').waitFor({ timeout: 20_000 });
    // The microphone reached the model as real audio (the simulator's voice detection heard each loop of the file).
    expect(session.utterances.length).toBeGreaterThanOrEqual(2);
    // The dashboard played the greeting and echoed its marks: the engine saw it heard.
    await expect.poll(() => rig.query<{ n: number }>("SELECT count(*) AS n FROM transcript_lines WHERE speaker = 'receptionist'")[0]!.n, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

    await panel.getByRole('button', { name: 'Hang up' }).click();
    await panel.getByText('Test call ended. You hung up.').waitFor({ timeout: 5000 });
    await expect.poll(() => rig.query<{ status: string; test_call: string }>('SELECT status, test_call FROM calls ORDER BY id DESC LIMIT 1')[0], { timeout: 5000 }).toEqual({ status: 'completed', test_call: 'sandbox' });

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Appointments/ }).click();
    // Tomorrow's diary: the booking is there, and says it came from a test call.
    await page.getByRole('button', { name: 'Next day' }).click();
    const booking = page.getByRole('button', { name: /Botox for Jane Doe with Priya Shah, test call · sandbox/ });
    await booking.waitFor({ timeout: 10_000 });
  }, 120_000);
});
