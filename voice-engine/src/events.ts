import type { EventEnvelope, EventName, Events } from './contract.js';

type Listener = (envelope: EventEnvelope) => void;

/**
 * The engine's outbound event stream: every feature publishes here and every
 * transport subscribes, so a UI over any transport sees the same events.
 */
export class EngineEvents {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const listener of this.listeners) {
      try {
        listener(envelope);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
