import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { EmptyState, ErrorNote, Loading } from '../../components/common';
import { useNow } from '../../components/hooks';
import type { EventEnvelope } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useConnection, useEngine, useEngineEvents } from '../../engine/context';
import type { EngineError } from '../../engine/query';
import { LiveCallCard } from './LiveCallCard';
import { liveReducer, unknownCallId, type LiveAction, type LiveCards } from './live-state';
import { TodayFigures } from './TodayFigures';
import { TestCallPanel } from '../../test-call/TestCallPanel';

/** How long an ended call's card stays, so staff see how it finished. */
const ENDED_LINGER_MS = 6_000;

function toAction(e: EventEnvelope): LiveAction | null {
  switch (e.event) {
    case 'call.started':
      return { type: 'started', call: e.payload };
    case 'call.updated':
      return { type: 'updated', call: e.payload };
    case 'call.ended':
      return { type: 'ended', call: e.payload };
    case 'transcript.line':
      return { type: 'line', line: e.payload };
    case 'tool.called':
      return { type: 'tool', tool: e.payload };
    case 'live.state':
      return { type: 'state', callId: e.payload.callId, state: e.payload.state };
    default:
      return null;
  }
}

export function LiveCallsScreen() {
  const engine = useEngine();
  const { clinic } = useClinic();
  const [cards, dispatch] = useReducer(liveReducer, new Map() as LiveCards);
  const cardsRef = useRef(cards);
  cardsRef.current = cards;
  const now = useNow(1000);

  // The snapshot is applied the moment it arrives, in order with the events around it:
  // events sent before it are already in it, events after it build on it. After a
  // reconnect a fresh snapshot drops calls whose call.ended was missed.
  const { generation } = useConnection();
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const mounted = useRef(true);
  const reload = useCallback(async () => {
    const reply = await engine.call('live/list', {});
    if (!mounted.current) return;
    if (reply.ok) {
      dispatch({ type: 'snapshot', views: reply.value });
      setLoaded(true);
      setError(null);
    } else {
      setError(reply.error);
    }
  }, [engine]);
  useEffect(() => {
    mounted.current = true;
    void reload();
    return () => {
      mounted.current = false;
    };
  }, [reload, generation]);

  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refetchSoon = useCallback(() => {
    if (refetchTimer.current) return;
    refetchTimer.current = setTimeout(() => {
      refetchTimer.current = null;
      void reload();
    }, 250);
  }, [reload]);

  const lingerTimers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const timers = lingerTimers.current;
    return () => {
      for (const t of timers.values()) clearTimeout(t);
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
    };
  }, []);

  useEngineEvents((e) => {
    const action = toAction(e);
    if (!action) return;
    if (unknownCallId(cardsRef.current, action) !== null) refetchSoon();
    dispatch(action);
    if (action.type === 'ended' && !lingerTimers.current.has(action.call.id)) {
      const id = action.call.id;
      lingerTimers.current.set(
        id,
        setTimeout(() => {
          lingerTimers.current.delete(id);
          dispatch({ type: 'remove', callId: id });
        }, ENDED_LINGER_MS),
      );
    }
  });

  // Urgent calls first: the front desk glances at the top of the board.
  const sorted = [...cards.values()].sort((a, b) => Number(b.call.urgent !== null) - Number(a.call.urgent !== null) || a.call.startedAt - b.call.startedAt);
  const clinicName = clinic?.profile.name || 'the clinic';

  return (
    <section className="screen live-screen" aria-labelledby="live-title">
      <header className="screen-header">
        <h1 id="live-title">Live calls</h1>
        <p className="screen-sub" aria-live="polite">
          {sorted.filter((c) => !c.ended).length === 0 ? 'No active calls' : `${sorted.filter((c) => !c.ended).length} active`}
        </p>
        <TodayFigures />
      </header>
      <TestCallPanel />
      {error && !loaded ? <ErrorNote error={error} /> : null}
      {!loaded && !error ? <Loading label="Loading live calls…" /> : null}
      {sorted.length === 0 && loaded ? (
        <EmptyState title="No calls right now.">
          Calls to {clinicName} appear here the moment they ring.
        </EmptyState>
      ) : (
        <div className="live-grid">
          {sorted.map((card) => (
            <LiveCallCard key={card.call.id} card={card} now={now} engine={engine} onSummary={(call) => dispatch({ type: 'updated', call })} />
          ))}
        </div>
      )}
    </section>
  );
}
