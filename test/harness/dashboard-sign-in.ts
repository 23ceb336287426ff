import type { Page } from 'playwright-core';
import type { Rig } from './call-rig.js';

/** Opens the dashboard the way staff do: through the one-time login link the engine printed, until the screens are there. */
export async function signInWithLoginLink(page: Page, rig: Rig): Promise<void> {
  const link = /one-time link: (http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]+)/.exec(rig.engine.output())?.[1];
  if (!link) throw new Error(`no one-time login link in the engine's output:\n${rig.engine.output()}`);
  await page.goto(link);
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}
