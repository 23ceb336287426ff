import type { Page } from 'playwright-core';
import type { Rig } from './call-rig.js';

export interface StaffPerson {
  name: string;
  pin: string;
  role: 'admin' | 'front_desk' | 'view_only';
}

/** The admin the dashboard tests sign in as, unless a test says otherwise. */
export const TEST_ADMIN: StaffPerson = { name: 'Maria Admin', pin: '482913', role: 'admin' };

/** The newest one-time login link the engine printed (each use prints a fresh one). */
export function latestLoginLink(rig: Rig): string {
  const links = [...rig.engine.output().matchAll(/one-time (?:dashboard login )?link: (http:\/\/127\.0\.0\.1:\d+\/login\?code=[\w-]+)/g)];
  const link = links.at(-1)?.[1];
  if (!link) throw new Error(`no one-time login link in the engine's output:\n${rig.engine.output()}`);
  return link;
}

/** Makes the account through the API token (IT's identity) unless it exists. */
export async function ensureAccount(rig: Rig, person: StaffPerson): Promise<number> {
  const list = await rig.handler<Array<{ id: number; name: string }>>('accounts/list');
  if (!list.ok) throw new Error(list.error.message);
  const found = list.value.find((a) => a.name === person.name);
  if (found) return found.id;
  const made = await rig.handler<{ id: number }>('accounts/create', { name: person.name, role: person.role, secretKind: 'pin', secret: person.pin });
  if (!made.ok) throw new Error(made.error.message);
  return made.value.id;
}

/**
 * Opens the dashboard the way staff do: through the one-time login link the engine printed,
 * which only opens the sign-in screen; then picks their name and enters their PIN.
 */
export async function signInWithLoginLink(page: Page, rig: Rig, person: StaffPerson = TEST_ADMIN): Promise<void> {
  await ensureAccount(rig, person);
  await page.goto(latestLoginLink(rig));
  await signInAs(page, person);
}

/** On the sign-in screen: two clicks and a PIN. */
export async function signInAs(page: Page, person: StaffPerson): Promise<void> {
  await page.getByRole('group', { name: 'Who are you?' }).getByRole('button', { name: new RegExp(`^${person.name}`) }).click();
  await page.getByLabel(`${person.name}'s PIN`).fill(person.pin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}
