import type { ResponseCreateEvent } from 'openai/resources/realtime/realtime';

/**
 * One model response at a time. OpenAI refuses a `response.create` while a response is
 * in progress, and a refused request is a reply the caller never hears, so requests made
 * then (a tool result, a prompt from the supervisor) wait for `response.done`.
 * "In progress" starts when we ask, not when OpenAI confirms, so two quick requests
 * cannot both go out. Pure: the caller sends what `request` and `done` return.
 */
export class ReplyRequests {
  private active = false;
  private readonly waiting: ResponseCreateEvent[] = [];

  get isActive(): boolean {
    return this.active;
  }

  /** Returns the event to send now, or null when it has to wait. */
  request(event: ResponseCreateEvent): ResponseCreateEvent | null {
    if (this.active) {
      // A plain "reply now" asked twice is one reply.
      if (event.response || !this.waiting.some((w) => !w.response)) this.waiting.push(event);
      return null;
    }
    this.active = true;
    return event;
  }

  /** `response.created`, including the ones server VAD starts by itself. */
  started(): void {
    this.active = true;
  }

  /** `response.done`: returns the next waiting request to send, if any. */
  done(): ResponseCreateEvent | null {
    this.active = false;
    const next = this.waiting.shift();
    if (!next) return null;
    this.active = true;
    return next;
  }

  /** A fresh session: nothing is in progress there, and nothing carries over. */
  reset(): void {
    this.active = false;
    this.waiting.length = 0;
  }
}
