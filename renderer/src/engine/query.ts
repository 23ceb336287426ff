import { useCallback, useEffect, useRef, useState } from 'react';
import type { HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract';
import { useConnection, useEngine } from './context';

export interface EngineError {
  code: string;
  message: string;
}

export interface Query<T> {
  data: T | undefined;
  error: EngineError | null;
  loading: boolean;
  /** Fetch again; resolves once the new data (or error) is in. */
  reload: () => Promise<void>;
  /** Replace the data locally, e.g. with what a mutation returned. */
  setData: (update: T | ((prev: T | undefined) => T | undefined)) => void;
}

/**
 * One handler's result, fetched on mount, whenever `args` change (by value), and again
 * after the connection comes back, so a screen is never left showing stale state.
 * Pass `enabled: false` to wait.
 */
export function useEngineQuery<N extends HandlerName>(name: N, args: HandlerArgs<N>, options: { enabled?: boolean } = {}): Query<HandlerResult<N>> {
  const engine = useEngine();
  const { generation } = useConnection();
  const enabled = options.enabled ?? true;
  const key = JSON.stringify(args ?? {});
  const [data, setData] = useState<HandlerResult<N> | undefined>(undefined);
  const [error, setError] = useState<EngineError | null>(null);
  const [loading, setLoading] = useState(enabled);
  const seq = useRef(0);
  const argsRef = useRef(args);
  argsRef.current = args;

  const run = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    const reply = await engine.call(name, argsRef.current);
    if (mine !== seq.current) return;
    if (reply.ok) {
      setData(reply.value);
      setError(null);
    } else {
      setError(reply.error);
    }
    setLoading(false);
    // `key` stands for args by value; argsRef holds the latest object.
  }, [engine, name, key]);

  useEffect(() => {
    if (!enabled) return;
    void run();
  }, [run, enabled, generation]);

  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );

  return { data, error, loading, reload: run, setData };
}

/** A mutation's state: busy while in flight, the engine's error when it failed. `run` returns the reply. */
export function useMutation() {
  const engine = useEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(
    async <N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<Reply<HandlerResult<N>>> => {
      setBusy(true);
      setError(null);
      const reply = await engine.call(name, args);
      if (!mounted.current) return reply;
      setBusy(false);
      if (!reply.ok) setError(reply.error);
      return reply;
    },
    [engine],
  );

  return { run, busy, error, setError, clearError: useCallback(() => setError(null), []) };
}
