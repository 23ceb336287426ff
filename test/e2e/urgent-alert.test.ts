import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithLoginLink } from '../harness/dashboard-sign-in.js';
import { converse, scriptedCall } from '../harness/conversation.js';
import { startRig, type Rig } from '../harness/call-rig.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];

/** What the front desk sees and hears when a caller describes an emergency, in Chromium against the built engine. */
describe('an urgent call on the dashboard', () => {
  let rig: Rig;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1300, height: 900 } })).newPage();
    // Counts the tones the page starts, without changing what it plays.
    await page.addInitScript(`
      window.__tones = 0;
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function () {
        const osc = create.call(this);
        const start = osc.start.bind(osc);
        osc.start = (when) => { window.__tones++; start(when); };
        return osc;
      };
    `);
    await signInWithLoginLink(page, rig);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.close();
  });

  it('sounds an alert, shows a banner on any screen, marks the live card, and lists the call as urgent in the Inbox', async () => {
    // Staff are on another screen when the call comes in.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Appointments/ }).click();
    const { call, session } = await scriptedCall(rig, {
      greeting: GREETING,
      turns: [{ user: 'I cannot breathe properly', replies: [{ call: 'report_urgent', arguments: { situation: 'emergency', summary: 'Trouble breathing' } }, { say: 'Please hang up and call 911 now.' }] }],
    }, '+15035550901');
    expect(await page.evaluate<number>('window.__tones')).toBe(0);
    await converse(call, session, ['I cannot breathe properly']);

    const banner = page.getByRole('alert').filter({ hasText: 'Urgent call' });
    await banner.waitFor({ timeout: 10_000 });
    await expect.poll(() => banner.textContent()).toContain('Possible emergency');
    await expect.poll(() => page.evaluate<number>('window.__tones')).toBeGreaterThan(0);

    await banner.getByRole('button', { name: 'Show live calls' }).click();
    const card = page.locator('article.live-card', { hasText: '0901' });
    await card.waitFor({ timeout: 5000 });
    await card.getByText('Possible emergency').waitFor();
    expect(await card.getAttribute('class')).toContain('urgent');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Urgent call' }).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Inbox/ }).click();
    const item = page.locator('.inbox-item', { hasText: 'Urgent call from' });
    await item.waitFor({ timeout: 5000 });
    expect(await item.getAttribute('class')).toContain('urgency-urgent');
    expect(await item.textContent()).toContain('Possible emergency: Trouble breathing');
    await call.hangup();
  }, 60_000);
});
