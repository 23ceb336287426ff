import type { ErrorCode, EventEnvelope, HandlerArgs, HandlerName, HandlerResult, Reply, Role } from '../contract.js';

/** The live connection a request came over (WebSocket or the desktop window's port; not plain HTTP). */
export interface CallerChannel {
  /** Sends an event to this connection alone (dropped while its screen is locked). */
  push(envelope: EventEnvelope): void;
  /** Runs `fn` once, when the connection closes. */
  onClose(fn: () => void): void;
}

/** Who is calling a handler: a signed-in person, the API token (`api`), or the engine itself. */
export interface Caller {
  id: number | null;
  name: string;
  role: Role;
  origin: string;
  /** Absent for a plain HTTP request and for the engine itself. */
  channel?: CallerChannel;
}

/** The engine calling its own handlers (start-up checks, health probes). */
export const ENGINE_CALLER: Caller = { id: null, name: 'Deskline', role: 'admin', origin: 'engine' };

/** Thrown inside a handler to answer with a specific error code instead of INTERNAL. */
export class HandlerError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

type AnyHandler = (args: unknown, caller: Caller) => unknown;

/**
 * Each feature registers its own namespaced handlers here. A name registered twice
 * is a programming error caught at start-up, and no handler's throw ever crosses a
 * transport: callers always get a Reply.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<string, AnyHandler>();

  register<N extends HandlerName>(name: N, handler: (args: HandlerArgs<N>, caller: Caller) => HandlerResult<N> | Promise<HandlerResult<N>>): void {
    if (this.handlers.has(name)) throw new Error(`Handler "${name}" is already registered`);
    this.handlers.set(name, handler as AnyHandler);
  }

  has(name: string): name is HandlerName {
    return this.handlers.has(name);
  }

  /** Calls a handler as `caller` (the engine itself unless said). Who may call what is the StaffGate's to decide, before this. */
  async call<N extends HandlerName>(name: N, args: HandlerArgs<N>, caller?: Caller): Promise<Reply<HandlerResult<N>>>;
  async call(name: string, args: unknown, caller?: Caller): Promise<Reply<unknown>>;
  async call(name: string, args: unknown, caller: Caller = ENGINE_CALLER): Promise<Reply<unknown>> {
    const handler = this.handlers.get(name);
    if (!handler) return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `No handler named "${name}"` } };
    try {
      return { ok: true, value: await handler(args ?? {}, caller) };
    } catch (err) {
      if (err instanceof HandlerError) return { ok: false, error: { code: err.code, message: err.message } };
      return { ok: false, error: { code: 'INTERNAL', message: 'The engine could not complete that request; see the engine log.' } };
    }
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}

