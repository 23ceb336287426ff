import type { ErrorCode, EventEnvelope, EventName, Events, HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract';
import type { EngineTransport, TransportStatus } from './types';

/** Throw this from an in-memory handler to answer with an engine error. */
export class HandlerFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type InMemoryHandlers = {
  [N in HandlerName]?: (args: HandlerArgs<N>) => HandlerResult<N> | Promise<HandlerResult<N>>;
};

/** Anything events can be pushed through: the engine's own EngineEvents has this shape. */
export interface EventSource {
  subscribe(listener: (e: EventEnvelope) => void): () => void;
}

/** A tiny event bus for tests and demos. */
export class InMemoryEmitter implements EventSource {
  private readonly listeners = new Set<(e: EventEnvelope) => void>();

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    const envelope = { event, payload } as EventEnvelope;
    for (const l of [...this.listeners]) l(envelope);
  }

  subscribe(listener: (e: EventEnvelope) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface RecordedCall {
  name: HandlerName;
  args: unknown;
}

/**
 * Handlers as plain functions in the same process: for component tests. Every call is
 * recorded, a thrown HandlerFailure becomes an error reply, and a missing handler
 * answers UNKNOWN_HANDLER just as the engine would.
 */
export class InMemoryTransport implements EngineTransport {
  readonly calls: RecordedCall[] = [];
  private current: TransportStatus = 'open';
  private readonly statusListeners = new Set<(s: TransportStatus) => void>();

  constructor(
    private readonly handlers: InMemoryHandlers,
    private readonly emitter: EventSource = new InMemoryEmitter(),
  ) {}

  async call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<Reply<HandlerResult<N>>> {
    this.calls.push({ name, args });
    const handler = this.handlers[name] as ((a: HandlerArgs<N>) => HandlerResult<N> | Promise<HandlerResult<N>>) | undefined;
    if (!handler) return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `No handler named ${name}` } };
    try {
      // Cloning mirrors a real transport: screens must not share objects with the engine.
      const value = await handler(structuredClone(args));
      return { ok: true, value: value === undefined ? value : structuredClone(value) };
    } catch (err) {
      if (err instanceof HandlerFailure) return { ok: false, error: { code: err.code, message: err.message } };
      return { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** The recorded calls to one handler, args typed. */
  callsTo<N extends HandlerName>(name: N): Array<HandlerArgs<N>> {
    return this.calls.filter((c) => c.name === name).map((c) => c.args as HandlerArgs<N>);
  }

  subscribe(listener: (e: EventEnvelope) => void): () => void {
    return this.emitter.subscribe(listener);
  }

  status(): TransportStatus {
    return this.current;
  }

  onStatus(cb: (status: TransportStatus) => void): () => void {
    this.statusListeners.add(cb);
    return () => this.statusListeners.delete(cb);
  }

  /** For tests: pretend the connection dropped or came back. */
  setStatus(status: TransportStatus): void {
    this.current = status;
    for (const cb of [...this.statusListeners]) cb(status);
  }
}
