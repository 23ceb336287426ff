/**
 * Background Twilio lookups (voicemails left at Twilio, whether the number still points
 * here) run the Twilio client on the event loop that carries every caller's audio, and the
 * first use of its request path after start is cold: measured at 10 calls, the missed-
 * voicemail lookup froze that loop for 13-22 ms, every caller's audio with it. Nothing in
 * them is urgent to the minute, so a scheduled one waits for a moment with no call on the
 * line, checking again every QUIET_CHECK_MS, and runs anyway after MAX_WAIT_MS so a clinic
 * that is never quiet still gets it.
 */
export const QUIET_CHECK_MS = 15_000;
export const MAX_WAIT_MS = 10 * 60 * 1000;

export interface QuietRunner {
  /** Runs `job` now if the line is quiet, else once it is (or MAX_WAIT_MS from now at the latest). */
  request(): void;
  stop(): void;
}

export function whenLineQuiet(lineBusy: () => boolean, job: () => void): QuietRunner {
  let waitingSince: number | null = null;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;
  const attempt = () => {
    retry = null;
    if (stopped || waitingSince === null) return;
    if (lineBusy() && Date.now() - waitingSince < MAX_WAIT_MS) {
      retry = setTimeout(attempt, QUIET_CHECK_MS);
      retry.unref();
      return;
    }
    waitingSince = null;
    job();
  };
  return {
    request() {
      if (stopped || waitingSince !== null) return; // one wait at a time: the job it ends with covers both
      waitingSince = Date.now();
      attempt();
    },
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
    },
  };
}

/** `job` first `firstAfterMs` after start, then every `everyMs`, each time at a quiet moment. */
export function scheduleWhenLineQuiet(lineBusy: () => boolean, job: () => void, firstAfterMs: number, everyMs: number): { stop(): void } {
  const runner = whenLineQuiet(lineBusy, job);
  const first = setTimeout(() => runner.request(), firstAfterMs);
  const timer = setInterval(() => runner.request(), everyMs);
  first.unref();
  timer.unref();
  return { stop: () => (clearTimeout(first), clearInterval(timer), runner.stop()) };
}
