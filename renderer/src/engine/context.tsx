import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventEnvelope, EventName, Events } from '../contract';
import type { ClosedReason, EngineTransport, TransportStatus } from '../transport/types';

interface Connection {
  status: TransportStatus;
  reason: ClosedReason;
  /** Goes up each time the connection (re)opens: data hooks re-fetch when it changes. */
  generation: number;
}

const TransportContext = createContext<EngineTransport | null>(null);
const ConnectionContext = createContext<Connection>({ status: 'connecting', reason: null, generation: 0 });

export function EngineProvider({ transport, children }: { transport: EngineTransport; children: ReactNode }) {
  const [connection, setConnection] = useState<Connection>(() => ({
    status: transport.status(),
    reason: transport.closedReason?.() ?? null,
    generation: transport.status() === 'open' ? 1 : 0,
  }));

  useEffect(() => {
    const sync = (status: TransportStatus) =>
      setConnection((prev) => ({
        status,
        reason: transport.closedReason?.() ?? null,
        generation: status === 'open' && prev.status !== 'open' ? prev.generation + 1 : prev.generation,
      }));
    const off = transport.onStatus(sync);
    sync(transport.status());
    return off;
  }, [transport]);

  return (
    <TransportContext.Provider value={transport}>
      <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>
    </TransportContext.Provider>
  );
}

/** The engine, over whichever transport this page has. */
export function useEngine(): EngineTransport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('useEngine() needs an <EngineProvider> above it');
  return transport;
}

export function useConnection(): Connection {
  return useContext(ConnectionContext);
}

/** Calls `listener` for every engine event; the latest listener is always used. */
export function useEngineEvents(listener: (e: EventEnvelope) => void): void {
  const engine = useEngine();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => engine.subscribe((e) => latest.current(e)), [engine]);
}

/** Calls `listener` with the payload of each event of one kind. */
export function useEngineEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): void {
  useEngineEvents((e) => {
    if (e.event === name) listener(e.payload as Events[E]);
  });
}
