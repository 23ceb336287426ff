/**
 * Slows a source that keeps sending unsigned or mis-signed webhooks: after `limit`
 * failures inside `windowMs`, its further failures are answered 429 until the window
 * has passed. Only failures count, and a correctly signed request is never refused
 * here, because Twilio's source addresses are shared (and behind a tunnel every request
 * comes from 127.0.0.1). Pure: the time is passed in.
 */
export class SignatureThrottle {
  private readonly failures = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly limit = 20,
    private readonly windowMs = 60_000,
    /** Sources remembered at most; the oldest are forgotten first. */
    private readonly maxSources = 10_000,
  ) {}

  /** Seconds to wait, when this source is being slowed; 0 otherwise. */
  retryAfterS(source: string, now: number): number {
    const entry = this.failures.get(source);
    if (!entry) return 0;
    if (now - entry.since >= this.windowMs) {
      this.failures.delete(source);
      return 0;
    }
    return entry.count >= this.limit ? Math.ceil((entry.since + this.windowMs - now) / 1000) : 0;
  }

  recordFailure(source: string, now: number): void {
    const entry = this.failures.get(source);
    if (entry && now - entry.since < this.windowMs) {
      entry.count++;
      return;
    }
    this.failures.delete(source);
    this.failures.set(source, { since: now, count: 1 });
    if (this.failures.size > this.maxSources) this.failures.delete(this.failures.keys().next().value!);
  }
}
