import type { EventEnvelope, HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract';

export type TransportStatus = 'connecting' | 'open' | 'closed';

/** Why a transport is closed, when it knows: the UI words its banner from this. */
export type ClosedReason = 'unauthorized' | 'unavailable' | 'no-engine' | null;

/**
 * How screens reach the engine. The WebSocket, the desktop shell's MessagePort and the
 * in-memory test transport all carry the same contract, so screen code never knows
 * which one it is talking to.
 */
export interface EngineTransport {
  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<Reply<HandlerResult<N>>>;
  /** Every engine event; returns the unsubscribe. */
  subscribe(listener: (e: EventEnvelope) => void): () => void;
  status(): TransportStatus;
  /** Status changes; returns the unsubscribe. */
  onStatus(cb: (status: TransportStatus) => void): () => void;
  /** Set while closed for a known reason (e.g. the login cookie is missing). */
  closedReason?(): ClosedReason;
  close?(): void;
}

/** A request as it travels over a socket or port. */
export interface WireRequest {
  id: number;
  handler: string;
  args: unknown;
}

