import type { ErrorCode, HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract.js';

/** Thrown inside a handler to answer with a specific error code instead of INTERNAL. */
export class HandlerError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }
}

type AnyHandler = (args: unknown) => unknown;

/**
 * Each feature registers its own namespaced handlers here. A name registered twice
 * is a programming error caught at start-up, and no handler's throw ever crosses a
 * transport: callers always get a Reply.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<string, AnyHandler>();

  register<N extends HandlerName>(name: N, handler: (args: HandlerArgs<N>) => HandlerResult<N> | Promise<HandlerResult<N>>): void {
    if (this.handlers.has(name)) throw new Error(`Handler "${name}" is already registered`);
    this.handlers.set(name, handler as AnyHandler);
  }

  has(name: string): name is HandlerName {
    return this.handlers.has(name);
  }

  async call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<Reply<HandlerResult<N>>>;
  async call(name: string, args: unknown): Promise<Reply<unknown>>;
  async call(name: string, args: unknown): Promise<Reply<unknown>> {
    const handler = this.handlers.get(name);
    if (!handler) return { ok: false, error: { code: 'UNKNOWN_HANDLER', message: `No handler named "${name}"` } };
    try {
      return { ok: true, value: await handler(args ?? {}) };
    } catch (err) {
      if (err instanceof HandlerError) return { ok: false, error: { code: err.code, message: err.message } };
      return { ok: false, error: { code: 'INTERNAL', message: 'The engine could not complete that request; see the engine log.' } };
    }
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}

