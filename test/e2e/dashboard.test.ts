import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithLoginLink, TEST_ADMIN } from '../harness/dashboard-sign-in.js';
import { converse, scriptedCall } from '../harness/conversation.js';
import { eventually, TRANSFER_NUMBER, type Rig } from '../harness/call-rig.js';
import { seedClinic, type SeededClinic } from '../harness/clinic-fixture.js';
import type { GoogleCalendarSim } from '../sim/google/index.js';
import { startGoogleRig } from '../harness/google-rig.js';

const SHOTS = resolve(import.meta.dirname, '../../test-artifacts/screenshots');
const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe('the front desk dashboard in Chromium, against the headless engine and the simulators', () => {
  let google: GoogleCalendarSim;
  let rig: Rig;
  let clinic: SeededClinic;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ({ rig, google } = await startGoogleRig({ greeting: GREETING }));
    clinic = await seedClinic(rig);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 } })).newPage();
    // Every flow starts from the real one-time login link the engine printed.
    await signInWithLoginLink(page, rig);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
    await google?.close();
  });

  const screen = (name: string) => page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('1–2. shows a live call with the caller’s words streaming in, and transfers it to the front desk', async () => {
    await screen('Live calls');
    const { call, session } = await scriptedCall(rig, { greeting: GREETING, turns: [{ user: 'I would like to book a facial', replies: [{ say: 'Happy to help with that.' }] }] }, '+15035550701');
    const card = page.locator('article.live-card', { hasText: '0701' });
    await card.waitFor({ timeout: 10_000 });
    await card.getByText('Thank you for calling Glow Med Spa.').waitFor();
    await converse(call, session, ['I would like to book a facial']);
    await card.getByText('I would like to book a facial').waitFor();
    await card.getByText('Happy to help with that.').waitFor();
    await shot('live-calls');

    await card.getByRole('button', { name: 'Transfer to front desk' }).click();
    const redirect = await rig.twilio.waitForRest((r) => r.path.endsWith(`/Calls/${call.callSid}.json`) && 'Twiml' in r.params, 5000);
    expect(redirect.params.Twiml).toContain(`${TRANSFER_NUMBER}</Number></Dial>`);
    await expect.poll(async () => (await card.textContent()) ?? '', { timeout: 5000 }).toMatch(/transfer/i);
  }, 60_000);

  it('3. finds a past call by a word from its transcript and opens its detail', async () => {
    await screen('Call log');
    await page.getByRole('searchbox', { name: 'Search transcripts' }).fill('facial');
    const row = page.getByRole('row').filter({ hasText: '0701' });
    await row.first().waitFor({ timeout: 5000 });
    await row.first().click();
    await page.getByText('Happy to help with that.').first().waitFor();
    await shot('call-log');
  }, 30_000);

  it('4. staff change opening hours and add a service; the next call’s instructions contain them', async () => {
    await screen('Settings');
    const sections = page.getByRole('navigation', { name: 'Settings sections' });
    await sections.getByRole('button', { name: 'Hours & closures' }).click();
    const hours = page.getByRole('form', { name: 'Opening hours' });
    await hours.getByLabel('Monday closes at').fill('18:30');
    await hours.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => JSON.stringify((await rig.handler<any>('clinic/get')).ok && (await rig.handler<any>('clinic/get'))), { timeout: 5000 }).toContain('"endMin":1110');
    await shot('settings-hours');

    await sections.getByRole('button', { name: 'Services' }).click();
    await page.getByRole('button', { name: 'Add service' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Service name').fill('Microneedling');
    await dialog.getByLabel('Duration (minutes)').fill('60');
    await dialog.getByLabel('Price', { exact: true }).fill('250');
    await dialog.getByRole('checkbox', { name: 'Priya Shah' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Microneedling').first().waitFor();
    await shot('settings-services');

    const { call, session } = await scriptedCall(rig, { greeting: GREETING }, '+15035550702');
    await session.waitFor((s) => s.updates.length > 0, 5000);
    const instructions = String(session.config.instructions);
    expect(instructions).toContain('Microneedling: 60 minutes, $250');
    expect(instructions).toMatch(/Monday 9:00 AM–6:30 PM/);
    await call.hangup();
  }, 60_000);

  it('5. a call whose calendar lookup fails lands in the Inbox and is resolved there', async () => {
    const { call, session, callId } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'Any Botox tomorrow morning?', replies: [{ call: 'check_availability', arguments: { service: 'Botox', date: clinic.tomorrow, time: '10:00' } }, { say: 'Our booking system is down; can I take your number?' }] }],
    }, '+15035550703');
    google.failNext(503, 2);
    await converse(call, session, ['Any Botox tomorrow morning?']);
    await call.hangup();
    await screen('Inbox');
    const item = page.getByRole('listitem').filter({ hasText: '0703' });
    await item.waitFor({ timeout: 5000 });
    await expect(item.textContent()).resolves.toMatch(/appointment book|calendar|Problem during the call/i);
    await shot('inbox');
    await item.getByRole('button', { name: /as resolved$/ }).click();
    // Resolved by whoever is signed in: nobody types a name.
    await item.getByText(`Resolved by ${TEST_ADMIN.name}`).waitFor();
    await eventually(() => rig.query<{ action_resolved_by: string | null }>('SELECT action_resolved_by FROM calls WHERE id = ?', callId)[0]?.action_resolved_by === TEST_ADMIN.name, 5000, 'resolved by the signed-in admin');
  }, 60_000);

  it('6. exports the filtered call log as CSV with exactly the matching rows', async () => {
    await screen('Call log');
    await page.getByRole('searchbox', { name: 'Search transcripts' }).fill('');
    await page.getByRole('searchbox', { name: 'Caller: last digits of the number or patient name' }).fill('0702');
    await page.getByRole('row').filter({ hasText: '0702' }).first().waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: '0701' }).count(), { timeout: 5000 }).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export the filtered calls as CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe('call_id,started_at,caller,status,outcome,duration_s,needs_action,fallback,archived,channel,intent,sentiment,satisfaction,follow_up,summary,cost_usd,reply_p50_ms,reply_p95_ms,barge_ins');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain('••• 0702');
  }, 30_000);

  it('shows every other screen (screenshots for the record)', async () => {
    for (const [name, heading] of [['Appointments', 'Appointments'], ['Logs', 'Logs']] as const) {
      await screen(name);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await shot(name.toLowerCase());
    }
    const setup = page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Setup/ });
    if (await setup.count()) {
      await setup.click();
      await shot('setup');
    }
  }, 30_000);
});
