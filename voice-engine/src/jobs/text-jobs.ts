import { loadKnowledge } from '../clinic/knowledge.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { TextJob } from '../store/text-jobs.js';
import { clinicNumberFor } from '../sms/clinic-number.js';
import { jobText, nextSendingTime } from '../sms/appointment-texts.js';
import type { SmsOutbox } from '../sms/sms-outbox.js';

/** Due jobs are looked for this often, and at once whenever one is queued. */
const TICK_MS = 30_000;
const BATCH = 20;
/** A reminder that could only go out this close to the appointment is not worth a night-time wait. */
const TOO_LATE_MS = 60 * 60 * 1000;

/**
 * Sends the texts Deskline sends on its own, from the durable queue: at start (what fell
 * due while the PC was off or asleep), every half minute, and as soon as one is queued.
 * Each job goes out at most once; a reminder for an appointment that has passed or gone
 * is skipped, nothing goes to a number that replied STOP, and reminders and missed-call
 * texts wait for the clinic's sending hours.
 */
export function scheduleTextJobs(deps: { store: Store; outbox: SmsOutbox; log: Logger }): { kick(): void; runNow(): Promise<void>; stop(): void } {
  const { store, outbox, log } = deps;
  const interrupted = store.textJobs.failInterrupted(Date.now());
  if (interrupted > 0) log.warn(`Texts: ${interrupted} text(s) were being sent when Deskline stopped; they are not sent again`);
  let running: Promise<void> | null = null;
  let again = false;

  const decide = (job: TextJob, now: number): { send: string } | { skip: string } | { postpone: number; why: string } => {
    const knowledge = loadKnowledge(store, now);
    if (store.sms.isOptedOut(job.phone)) return { skip: 'the number replied STOP' };
    if (job.kind === 'reminder') {
      const a = job.appointmentId === null ? undefined : store.appointments.get(job.appointmentId);
      if (!a || a.status !== 'booked') return { skip: 'the appointment was cancelled' };
      if (a.start <= now) return { skip: 'the appointment has passed' };
      const at = nextSendingTime(knowledge, now);
      if (at > now) return at > a.start - TOO_LATE_MS ? { skip: 'outside sending hours until too close to the appointment' } : { postpone: at, why: 'outside sending hours' };
    }
    if (job.kind === 'missed_call') {
      const at = nextSendingTime(knowledge, now);
      if (at > now) return { postpone: at, why: 'outside sending hours' };
    }
    const text = jobText(store, knowledge, job);
    return text ? { send: text } : { skip: 'the appointment no longer exists' };
  };

  const runOne = async (job: TextJob): Promise<void> => {
    const now = Date.now();
    const next = decide(job, now);
    if ('postpone' in next) return store.textJobs.postpone(job.id, next.postpone, next.why, now);
    if (!store.textJobs.claim(job.id, now)) return;
    if ('skip' in next) return store.textJobs.finish(job.id, 'skipped', next.skip, now);
    const from = clinicNumberFor(store, job.phone);
    if (!from) return store.textJobs.finish(job.id, 'failed', 'the clinic has no Twilio number to text from (Settings → Telephony)', Date.now());
    try {
      await outbox.send({ phone: job.phone, from, body: next.send, author: 'clinic' });
      store.textJobs.finish(job.id, 'sent', null, Date.now());
    } catch (err) {
      store.textJobs.finish(job.id, 'failed', (err as Error).message, Date.now());
      log.warn(`Texts: a ${job.kind} text was not sent: ${(err as Error).message}`);
    }
  };

  const pass = async () => {
    do {
      again = false;
      for (const job of store.textJobs.due(Date.now(), BATCH)) await runOne(job);
    } while (again);
  };
  const runNow = () => {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((err: Error) => {
        store.systemErrors.record({ type: 'text_jobs_failed', severity: 'error', message: err.message, stack: err.stack ?? null, occurredAt: Date.now() });
        log.error(`Texts: ${err.message}`);
      })
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void runNow(), TICK_MS);
  timer.unref();
  const first = setTimeout(() => void runNow(), 0);
  first.unref();
  return {
    kick: () => void runNow(),
    runNow,
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
