import type { ClinicKnowledge } from '../clinic/knowledge.js';
import type { StoredCall } from '../store/calls.js';
import type { StartInfo } from '../twilio/media-protocol.js';
import { LiveCall, type CallDeps, type MediaLink, type ReturningCall } from './live-call.js';

/** The calls on the line right now, by CallSid. */
export class LiveCalls {
  private readonly calls = new Map<string, LiveCall>();

  constructor(private readonly deps: CallDeps) {}

  /** Starts the receptionist for a call; a replayed webhook gets the call already running. */
  begin(call: StoredCall, knowledge?: ClinicKnowledge): LiveCall {
    return this.calls.get(call.callSid) ?? this.start(new LiveCall(call, this.deps, knowledge));
  }

  /** A test call from the dashboard: the same LiveCall, with the test call's own exits (test-call/). */
  beginTest(call: StoredCall, deps: CallDeps): LiveCall {
    return this.start(new LiveCall(call, deps));
  }

  /**
   * A transfer nobody took comes back: the receptionist picks the call up again on a new
   * media stream, with the conversation so far and what its tools knew.
   */
  resume(call: StoredCall, knowledge: ClinicKnowledge, returning: ReturningCall): LiveCall {
    // The transferred call's own stream stopped long ago; anything left of it is released.
    this.calls.get(call.callSid)?.shutdown();
    this.deps.store.supervision.resumeFromHandOff(call.id);
    return this.start(new LiveCall(call, this.deps, knowledge, returning));
  }

  private start(live: LiveCall): LiveCall {
    const call = live.call;
    this.calls.set(call.callSid, live);
    void live.isEnded.then(() => {
      if (this.calls.get(call.callSid) === live) this.calls.delete(call.callSid);
    });
    live.warm();
    return live;
  }

  /**
   * Joins a media stream to its call; undefined when no call is waiting for one. A second
   * stream for a call that already has one is refused and never tied to it, so closing
   * it cannot touch the real stream or its caller.
   */
  attach(link: MediaLink, start: StartInfo): LiveCall | undefined {
    const live = this.calls.get(start.callSid);
    return live?.attachMedia(link, start) ? live : undefined;
  }

  get(callSid: string): LiveCall | undefined {
    return this.calls.get(callSid);
  }

  all(): LiveCall[] {
    return [...this.calls.values()];
  }

  get size(): number {
    return this.calls.size;
  }

  shutdown(): void {
    for (const live of this.calls.values()) live.shutdown();
  }
}
