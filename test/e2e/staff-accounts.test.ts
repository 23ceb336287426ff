import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAccount, signInWithLoginLink, TEST_ADMIN, type StaffPerson } from '../harness/dashboard-sign-in.js';
import { eventually, startRig, type Rig } from '../harness/call-rig.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
const ANA: StaffPerson = { name: 'Ana Desk', pin: '246810', role: 'front_desk' };

/** A front desk account in Chromium: what it may open, the idle lock, and its name on what it does. */
describe('staff accounts on the dashboard', () => {
  let rig: Rig;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    await ensureAccount(rig, TEST_ADMIN);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it('front desk: no Settings, locked after idle (also after a reload), unlocked with the PIN, and their name on a resolved Inbox item', async () => {
    // A call to follow up on, flagged by IT's API token.
    const call = await rig.twilio.placeCall({ from: '+15035550811', to: '+15550001234' });
    await call.hangup();
    const [row] = await eventually(() => rig.query<{ id: number }>('SELECT id FROM calls'), 5000, 'the call recorded').then((r) => r);
    expect((await rig.handler('calls/flag', { id: row!.id, needsAction: true })).ok).toBe(true);

    await signInWithLoginLink(page, rig, ANA);
    const nav = page.getByRole('navigation', { name: 'Screens' });
    await expect(nav.getByRole('button', { name: 'Settings' }).count()).resolves.toBe(0);
    await page.evaluate("window.location.hash = '#/settings'");
    await page.getByText('Only an admin can open Settings').waitFor();

    await nav.getByRole('button', { name: /^Inbox/ }).click();
    const item = page.getByRole('listitem').filter({ hasText: '0811' });
    await item.getByRole('button', { name: /as resolved$/ }).click();
    await item.getByText('Resolved by Ana Desk').waitFor();

    // The clinic's idle time passes (3 s here; minutes in a clinic): the screen locks by itself.
    rig.setSetting('accounts.idleLockMinutes', 0.05);
    await page.getByRole('heading', { name: 'Locked' }).waitFor({ timeout: 15_000 });
    await expect(nav.count()).resolves.toBe(0);
    await expect(page.getByText('Resolved by Ana Desk').count()).resolves.toBe(0);
    // A reload does not get round it.
    await page.reload();
    await page.getByRole('heading', { name: 'Locked' }).waitFor();
    rig.setSetting('accounts.idleLockMinutes', 10);
    await page.getByLabel("Ana Desk's PIN").fill('000000');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('That PIN is not right.').waitFor();
    await page.getByLabel("Ana Desk's PIN").fill(ANA.pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await nav.waitFor();

    const audit = await rig.handler<{ entries: Array<{ actor: string; action: string }>; chain: { intact: boolean } }>('audit/list', { actor: 'Ana Desk' });
    expect(audit.ok && audit.value.chain.intact).toBe(true);
    const actions = audit.ok ? audit.value.entries.map((e) => e.action).reverse() : [];
    expect(actions).toEqual(expect.arrayContaining(['sign-in', 'resolve-inbox-item', 'lock', 'unlock-failed', 'unlock']));
    expect(actions.indexOf('lock')).toBeGreaterThan(actions.indexOf('resolve-inbox-item'));
  }, 90_000);
});
