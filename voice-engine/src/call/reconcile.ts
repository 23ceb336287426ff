import type { CallStatus } from '../contract.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import type { TwilioRestClient } from '../twilio/rest.js';
import type { FallbackService } from './fallback.js';
import { settleOutcome } from './outcome.js';

/** Calls older than this are long over, whatever the record says. */
const LOOKBACK_MS = 6 * 60 * 60 * 1000;
const STILL_LIVE: ReadonlySet<string> = new Set(['queued', 'ringing', 'in-progress']);

/**
 * After a restart no call has a media socket, so any call the record still shows as
 * live is either over (the record is brought up to date), with a person, the fallback or
 * a voicemail already (left alone: redirecting it would cut the caller off), or a caller
 * who was with the receptionist and now waits in silence (moved to the fallback at once).
 */
export async function reconcileCutCalls(deps: { store: Store; rest: () => TwilioRestClient | null; fallback: FallbackService; events: EngineEvents; log: Logger }): Promise<number> {
  const { store, fallback, events, log } = deps;
  const rest = deps.rest();
  const cut = store.calls.unfinishedSince(Date.now() - LOOKBACK_MS);
  if (cut.length === 0 || !rest) return 0;
  let redirected = 0;
  for (const call of cut) {
    try {
      const remote = await rest.calls(call.callSid).fetch();
      if (STILL_LIVE.has(remote.status)) {
        if (store.supervision.get(call.id)?.handedOffAt != null) continue;
        await fallback.redirect(call, { type: 'engine_restarted', message: 'The engine restarted during this call; the caller was moved to the fallback' });
        redirected++;
      } else {
        const duration = Number(remote.duration);
        const updated = store.calls.updateStatus(call.callSid, remote.status as CallStatus, Date.now(), Number.isFinite(duration) ? duration : undefined);
        settleOutcome(store, call.id);
        if (updated) events.emit('call.ended', toSummary(store.calls.get(call.id) ?? updated));
      }
    } catch (err) {
      log.warn(`Call ${call.id}: could not check its state at Twilio after a restart: ${(err as Error).message}`);
    }
  }
  if (redirected > 0) log.warn(`${redirected} call(s) cut by the restart were moved to the fallback`);
  return redirected;
}
