import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { TwilioRestClient } from '../twilio/rest.js';
import { scheduleWhenLineQuiet } from '../jobs/when-line-quiet.js';

/** Up to when Twilio's recordings have been looked through (epoch ms). */
const CHECKED_UNTIL_KEY = 'voicemail.twilioCheckedUntil';
/** The first look goes back this far: a week with the PC off is still caught. */
const FIRST_LOOK_BACK_MS = 14 * 24 * 60 * 60 * 1000;
const FIRST_RUN_MS = 10_000;
const EVERY_MS = 30 * 60 * 1000;
/** Twilio's dates are to the second: look back a little so nothing falls between two checks. */
const OVERLAP_MS = 5 * 60 * 1000;

/**
 * Voicemails left while this PC did not answer (the fallback flow at Twilio took them):
 * found among the account's recordings when Deskline comes back (and every half hour), each
 * one for a call Deskline never saw, given a call record from Twilio's, and handed to the
 * voicemail keeper, which downloads, transcribes and (by default) deletes it at Twilio.
 */
export function scheduleMissedVoicemails(deps: {
  store: Store;
  rest: () => TwilioRestClient | null;
  log: Logger;
  found: () => void;
  /** Calls are on the line: scheduled lookups wait for a quiet moment (see when-line-quiet.ts). */
  lineBusy: () => boolean;
}): { runNow(): Promise<number>; stop(): void } {
  const { store, rest, log } = deps;
  let running: Promise<number> | null = null;
  const look = async (): Promise<number> => {
    const client = rest();
    if (!client) return 0;
    const startedAt = Date.now();
    const since = (store.settings.get<number>(CHECKED_UNTIL_KEY) ?? startedAt - FIRST_LOOK_BACK_MS) - OVERLAP_MS;
    const recordings = await client.recordings.list({ dateCreatedAfter: new Date(since), limit: 500 });
    let added = 0;
    for (const r of recordings) {
      // A call Deskline answered has its own record; its voicemail came by webhook.
      if (store.calls.getBySid(r.callSid)) continue;
      const twilioCall = await client.calls(r.callSid).fetch();
      const { call } = store.calls.createIfAbsent({ callSid: r.callSid, from: twilioCall.from, to: twilioCall.to, status: 'completed', startedAt: twilioCall.startTime ? new Date(twilioCall.startTime).getTime() : new Date(r.dateCreated).getTime() });
      store.calls.markFallback(call.id, 'voicemail', Date.now());
      const url = `https://api.twilio.com/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}`;
      if (store.voicemails.add(call.id, r.sid, url, Number(r.duration) || null, new Date(r.dateCreated).getTime())) added++;
    }
    store.settings.set(CHECKED_UNTIL_KEY, startedAt);
    if (added > 0) {
      log.info(`${added} voicemail(s) left while this PC did not answer were found at Twilio`);
      deps.found();
    }
    return added;
  };
  const runNow = () => {
    running ??= look()
      .catch((err: Error) => {
        log.warn(`Could not look for voicemails left at Twilio: ${err.message}`);
        return 0;
      })
      .finally(() => (running = null));
    return running;
  };
  // runNow catches and logs its own failure.
  const scheduled = scheduleWhenLineQuiet(deps.lineBusy, () => void runNow(), FIRST_RUN_MS, EVERY_MS);
  return { runNow, stop: () => scheduled.stop() };
}
