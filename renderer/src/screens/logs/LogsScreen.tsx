import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Badge, EmptyState, ErrorNote, Loading } from '../../components/common';
import { useDebounced } from '../../components/hooks';
import type { LogLine, Severity, SystemErrorRecord } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useConnection, useEngine, useEngineEvent } from '../../engine/context';
import { useEngineQuery, type EngineError } from '../../engine/query';
import { SEVERITIES } from '../../format/labels';
import { formatFullDateTime, formatTimeSeconds } from '../../format/time';
import { AuditPanel } from './AuditPanel';

type Level = LogLine['level'];
const LEVELS: readonly Level[] = ['error', 'warn', 'info', 'debug'];
const LEVEL_RANK: Record<Level, number> = { error: 3, warn: 2, info: 1, debug: 0 };
/** The live tail keeps this many lines; older ones scroll away. */
const TAIL_MAX = 1000;

const SEVERITY_TONE = { critical: 'danger', error: 'danger', warning: 'warn', info: 'info' } as const;

export function LogsScreen({ onOpenCall }: { onOpenCall: (callId: number) => void }) {
  const [tab, setTab] = useState<'errors' | 'tail' | 'audit'>('errors');
  return (
    <section className="screen logs" aria-labelledby="logs-title">
      <header className="screen-header">
        <h1 id="logs-title">Logs</h1>
        <div className="segmented" role="tablist" aria-label="Log views">
          <button type="button" role="tab" aria-selected={tab === 'errors'} aria-controls="logs-errors" onClick={() => setTab('errors')}>
            Errors
          </button>
          <button type="button" role="tab" aria-selected={tab === 'tail'} aria-controls="logs-tail" onClick={() => setTab('tail')}>
            Live log
          </button>
          <button type="button" role="tab" aria-selected={tab === 'audit'} aria-controls="logs-audit" onClick={() => setTab('audit')}>
            Audit log
          </button>
        </div>
      </header>
      {tab === 'errors' ? <ErrorsPanel onOpenCall={onOpenCall} /> : tab === 'tail' ? <TailPanel /> : <AuditPanel />}
    </section>
  );
}

function ErrorsPanel({ onOpenCall }: { onOpenCall: (callId: number) => void }) {
  const { timezone: tz } = useClinic();
  const [typeText, setTypeText] = useState('');
  const [severity, setSeverity] = useState<Severity | ''>('');
  const type = useDebounced(typeText.trim(), 300);
  const query = useEngineQuery('logs/errors', { limit: 500, ...(type ? { type } : {}), ...(severity ? { severity } : {}) });
  const { reload } = query;
  // New errors are written as log lines at error level: refresh when one arrives.
  useEngineEvent('log.line', (line) => {
    if (line.level === 'error') void reload();
  });
  const errors = [...(query.data ?? [])].sort((a, b) => b.occurredAt - a.occurredAt || b.id - a.id);
  const knownTypes = [...new Set((query.data ?? []).map((e) => e.type))].sort();

  return (
    <div id="logs-errors" role="tabpanel" aria-label="Errors">
      <div className="filters" role="search" aria-label="Filter errors">
        <input list="error-types" placeholder="Type, e.g. calendar_setup" aria-label="Error type" value={typeText} onChange={(e) => setTypeText(e.target.value)} />
        <datalist id="error-types">
          {knownTypes.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <select aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
          <option value="">Any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <ErrorNote error={query.error} />
      {query.loading && !query.data ? <Loading /> : null}
      {query.data && errors.length === 0 ? (
        <EmptyState title={type || severity ? 'No errors match.' : 'No errors recorded.'}>
          {type || severity ? 'Clear the filters to see everything.' : 'Problems reaching OpenAI, Twilio or the calendar are listed here with what happened; nothing has gone wrong so far.'}
        </EmptyState>
      ) : null}
      <ul className="error-list">
        {errors.map((err) => (
          <ErrorItem key={err.id} err={err} tz={tz} onOpenCall={onOpenCall} />
        ))}
      </ul>
    </div>
  );
}

function ErrorItem({ err, tz, onOpenCall }: { err: SystemErrorRecord; tz?: string; onOpenCall: (callId: number) => void }) {
  return (
    <li className={`error-item severity-${err.severity}`}>
      <p className="error-head">
        <Badge tone={SEVERITY_TONE[err.severity]}>{err.severity}</Badge> <strong>{err.type}</strong> <time className="muted small">{formatFullDateTime(err.occurredAt, tz)}</time>
        {err.callId !== null ? (
          <>
            {' · '}
            <a
              href={`#/calls/${err.callId}`}
              onClick={(e) => {
                e.preventDefault();
                onOpenCall(err.callId!);
              }}
            >
              Open call #{err.callId}
            </a>
          </>
        ) : null}
      </p>
      <p className="error-message">{err.message}</p>
      {err.stack ? (
        <details>
          <summary>Stack trace</summary>
          <pre className="code">{err.stack}</pre>
        </details>
      ) : null}
    </li>
  );
}

function TailPanel() {
  const { timezone: tz } = useClinic();
  const [level, setLevel] = useState<Level>('info');
  const [paused, setPaused] = useState(false);
  const [lines, setLines] = useState<Array<LogLine & { seq: number }>>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const seq = useRef(0);
  const engine = useEngine();
  const { generation } = useConnection();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  // The backlog replaces the view when it arrives; lines after it are appended in order.
  useEffect(() => {
    let live = true;
    void engine.call('logs/tail', { level, limit: 200 }).then((reply) => {
      if (!live) return;
      if (!reply.ok) return setError(reply.error);
      setError(null);
      setLoaded(true);
      setLines(reply.value.map((l) => ({ ...l, seq: seq.current++ })));
    });
    return () => {
      live = false;
    };
  }, [engine, level, generation]);

  useEngineEvent('log.line', (line) => {
    if (paused || !loaded || LEVEL_RANK[line.level] < LEVEL_RANK[level]) return;
    const entry = { ...line, seq: seq.current++ };
    setLines((prev) => (prev.length >= TAIL_MAX ? [...prev.slice(prev.length - TAIL_MAX + 1), entry] : [...prev, entry]));
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <div id="logs-tail" role="tabpanel" aria-label="Live log">
      <div className="filters">
        <select aria-label="Lowest level shown" value={level} onChange={(e) => setLevel(e.target.value as Level)}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l === 'debug' ? 'Everything (debug)' : `${l[0]!.toUpperCase()}${l.slice(1)} and above`}
            </option>
          ))}
        </select>
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" onClick={() => setLines([])}>
          Clear
        </button>
      </div>
      <ErrorNote error={error} />
      <div
        className="tail"
        ref={scroller}
        role="log"
        aria-label="Engine log, newest last"
        tabIndex={0}
        onScroll={() => {
          const el = scroller.current;
          if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 32;
        }}
      >
        {lines.length === 0 && loaded ? <p className="muted">No log lines at this level yet. New lines appear here as the engine writes them.</p> : null}
        {lines.map((l) => (
          <div key={l.seq} className={`tail-line level-${l.level}`}>
            <time>{formatTimeSeconds(l.at, tz)}</time> <span className="tail-level">{l.level.toUpperCase()}</span> <span className="tail-scope">[{l.scope}]</span> {l.text}
          </div>
        ))}
      </div>
    </div>
  );
}
