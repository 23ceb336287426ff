import type { EngineConfig } from '../config.js';
import type { LineCheck } from '../contract-views.js';
import type { NumberSetup } from './number-setup.js';
import type { TwilioRestClient } from './rest.js';

const REACH_TIMEOUT_MS = 5000;

/**
 * Settings → Phone → "Check the phone line": each thing a call needs to reach this PC,
 * checked in turn and said in words, with what to fix when one fails.
 */
export async function selfTestLine(deps: { config: EngineConfig; rest: () => TwilioRestClient | null; numbers: NumberSetup }): Promise<LineCheck[]> {
  const checks: LineCheck[] = [];
  const client = deps.rest();
  if (!client) {
    checks.push({ name: 'Twilio account', ok: false, words: 'The Twilio Account SID and Auth Token are not set: enter them above.' });
  } else {
    try {
      await client.incomingPhoneNumbers.list({ limit: 1 });
      checks.push({ name: 'Twilio account', ok: true, words: 'Twilio accepts the Account SID and Auth Token.' });
    } catch (err) {
      const status = (err as { status?: number }).status;
      checks.push({ name: 'Twilio account', ok: false, words: status === 401 ? 'Twilio refuses the Account SID and Auth Token: copy them again from the Twilio console.' : `Twilio did not answer (${(err as Error).message}): is this PC online?` });
    }
  }
  const base = deps.config.publicBaseUrl;
  if (!base) {
    checks.push({ name: 'Public address', ok: false, words: 'There is no public URL: start a tunnel (cloudflared or ngrok) to port 8080 and enter its https address above.' });
  } else {
    // The same path Twilio takes to this PC: out to the public address and back in through the tunnel.
    const ok = await fetch(new URL('/twilio/health', base), { signal: AbortSignal.timeout(REACH_TIMEOUT_MS) }).then((res) => res.ok, () => false);
    checks.push({
      name: 'Public address',
      ok,
      words: ok
        ? `Twilio can reach this PC at ${base.origin}.`
        : `${base.origin} does not reach this PC: check that the tunnel is running and that this is its current address (tunnels without an account change address when they restart).`,
    });
  }
  const line = await deps.numbers.check();
  checks.push(
    line === null
      ? { name: 'Phone number', ok: false, words: 'No Twilio number is connected yet: choose one under Your Twilio numbers.' }
      : { name: 'Phone number', ok: line.pointsHere, words: line.pointsHere ? `Calls to ${line.phoneNumber} come to this PC.` : (line.problem ?? `Calls to ${line.phoneNumber} do not come to this PC.`) },
  );
  return checks;
}
