import type { CallSupervisor, SupervisorAction } from './supervisor.js';

/**
 * The one timer a call keeps for its supervisor, armed at the next deadline. Caller frames
 * move the no-media deadline 50 times a second without re-arming: a timer that fires
 * early finds nothing due, and the next arm() sets it for the new deadline.
 */
export class SupervisorTimer {
  private armed: { at: number; timer: NodeJS.Timeout } | null = null;
  private stopped = false;

  constructor(
    private readonly supervisor: CallSupervisor,
    private readonly now: () => number,
    private readonly onDue: (actions: SupervisorAction[]) => void,
  ) {}

  /** Call after anything that can bring a deadline closer. */
  arm(): void {
    if (this.stopped) return;
    const at = this.supervisor.nextDeadline();
    if (!Number.isFinite(at) || (this.armed && this.armed.at <= at)) return;
    if (this.armed) clearTimeout(this.armed.timer);
    const timer = setTimeout(() => {
      this.armed = null;
      this.onDue(this.supervisor.poll(this.now()));
      this.arm();
    }, Math.max(0, at - this.now()));
    timer.unref();
    this.armed = { at, timer };
  }

  stop(): void {
    this.stopped = true;
    if (this.armed) clearTimeout(this.armed.timer);
    this.armed = null;
  }
}
