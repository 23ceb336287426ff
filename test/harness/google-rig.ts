import { GoogleCalendarSim } from '../sim/google/index.js';
import type { Script } from '../sim/realtime/index.js';
import { startRig, type Rig } from './call-rig.js';

/**
 * The call rig with Google Calendar connected the way a clinic connects it: the
 * engine's loopback OAuth flow, with consent given in the (simulated) browser.
 */
export async function startGoogleRig(script: Script): Promise<{ rig: Rig; google: GoogleCalendarSim }> {
  const google = await GoogleCalendarSim.start();
  const rig = await startRig({
    realtime: { script },
    engineEnv: {
      GOOGLE_CLIENT_ID: 'deskline-sim.apps.googleusercontent.com',
      GOOGLE_CLIENT_SECRET: 'sim-client-secret',
      GOOGLE_API_ROOT_URL: google.rootUrl,
      GOOGLE_OAUTH_TOKEN_URL: google.tokenUrl,
      GOOGLE_OAUTH_AUTH_URL: google.authUrl,
    },
  });
  const started = await rig.handler<{ authUrl: string }>('calendar/connect-google');
  if (!started.ok) throw new Error(started.error.message);
  const consent = await fetch(started.value.authUrl, { redirect: 'manual' });
  const page = await fetch(consent.headers.get('location')!);
  if (!(await page.text()).includes('connected to Google Calendar')) throw new Error('Google Calendar did not connect');
  for (let i = 0; i < 100; i++) {
    const status = await rig.handler<{ backend: string }>('calendar/status');
    if (status.ok && status.value.backend === 'google') return { rig, google };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('Google Calendar connected but the engine does not use it');
}
