/**
 * One-shot timers that belong to one call and all go when it ends. Unref'd: a call's
 * safety nets must never keep the engine alive on their own.
 */
export class CallTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
