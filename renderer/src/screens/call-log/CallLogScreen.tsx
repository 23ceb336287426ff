import { TestCallBadge } from '../../test-call/TestCallPanel';
import { urgentLabel } from '../../format/urgent';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Badge, EmptyState, ErrorNote } from '../../components/common';
import { downloadText } from '../../components/download';
import { useDebounced } from '../../components/hooks';
import { useVirtualRows } from '../../components/virtual';
import type { CallSearchQuery, CallSummary } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useConnection, useEngine, useEngineEvents } from '../../engine/context';
import type { EngineError } from '../../engine/query';
import { OUTCOMES, outcomeLabel, plural } from '../../format/labels';
import { formatDuration, formatLogTime } from '../../format/time';
import { CallDetailPanel } from './CallDetailPanel';
import { EMPTY_FILTERS, filterProblem, hasFilters, toQuery, type CallFilters } from './search';

export const ROW_HEIGHT = 44;
const PAGE_SIZE = 200;
/** Start fetching the next page this many rows before the end. */
const PREFETCH_ROWS = 60;

interface Page {
  rows: CallSummary[];
  next: number | null;
  loading: boolean;
  error: EngineError | null;
}

export function CallLogScreen({ selectedId, onSelect }: { selectedId: number | null; onSelect: (id: number | null) => void }) {
  const engine = useEngine();
  const { generation } = useConnection();
  const { timezone: tz } = useClinic();
  const [filters, setFilters] = useState<CallFilters>(EMPTY_FILTERS);
  const [page, setPage] = useState<Page>({ rows: [], next: null, loading: true, error: null });
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<EngineError | null>(null);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  const now = Date.now();
  const scroller = useRef<HTMLDivElement>(null);
  const tableFocused = useRef(false);

  // Typing in the search boxes waits for a pause; the pickers apply at once.
  const text = useDebounced(filters.text, 300);
  const caller = useDebounced(filters.caller, 300);
  const effective: CallFilters = { ...filters, text, caller };
  const problem = filterProblem(effective);
  const query = toQuery(effective, tz);
  const queryKey = JSON.stringify(query);

  const fetchPage = useCallback(
    async (q: CallSearchQuery, beforeId: number | null) => {
      const mine = ++seq.current;
      setPage((p) => ({ ...p, loading: true, error: null, ...(beforeId === null ? { rows: [], next: null } : {}) }));
      const reply = await engine.call('calls/search', { ...q, limit: PAGE_SIZE, ...(beforeId !== null ? { beforeId } : {}) });
      if (mine !== seq.current) return;
      if (!reply.ok) {
        setPage((p) => ({ ...p, loading: false, error: reply.error }));
        return;
      }
      setPage((p) => {
        const rows = beforeId === null ? reply.value.calls : appendUnique(p.rows, reply.value.calls);
        return { rows, next: reply.value.nextBeforeId, loading: false, error: null };
      });
    },
    [engine],
  );

  useEffect(() => {
    if (problem) return;
    setActive(0);
    if (scroller.current) scroller.current.scrollTop = 0;
    void fetchPage(JSON.parse(queryKey) as CallSearchQuery, null);
  }, [queryKey, problem, fetchPage, generation]);

  const virtual = useVirtualRows(scroller, page.rows.length, ROW_HEIGHT);
  const { end } = virtual;

  // Keyset paging: load the next page as the reader nears the end of what is loaded.
  useEffect(() => {
    if (page.loading || page.error || page.next === null) return;
    if (end >= page.rows.length - PREFETCH_ROWS) void fetchPage(JSON.parse(queryKey) as CallSearchQuery, page.next);
  }, [end, page, queryKey, fetchPage]);

  const filtered = hasFilters(effective);
  useEngineEvents((e) => {
    if (e.event !== 'call.started' && e.event !== 'call.updated' && e.event !== 'call.ended') return;
    const call = e.payload;
    setPage((p) => {
      const i = p.rows.findIndex((r) => r.id === call.id);
      if (i !== -1) {
        const rows = p.rows.slice();
        // archived:true lists only archived calls, the default only the others.
        if (call.archived !== filters.archived) rows.splice(i, 1);
        else rows[i] = call;
        return { ...p, rows };
      }
      // New calls join the top of the unfiltered log as they ring.
      if (e.event === 'call.started' && !filtered && !call.archived && (p.rows.length === 0 || call.id > p.rows[0]!.id)) return { ...p, rows: [call, ...p.rows] };
      return p;
    });
  });

  const set = <K extends keyof CallFilters>(key: K, value: CallFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    const reply = await engine.call('calls/export-csv', query);
    setExporting(false);
    if (!reply.ok) return setExportError(reply.error);
    downloadText(reply.value.filename, reply.value.csv);
  };

  const onSummary = (call: CallSummary) =>
    setPage((p) => {
      const i = p.rows.findIndex((r) => r.id === call.id);
      if (i === -1) return p;
      const rows = p.rows.slice();
      if (call.archived !== filters.archived) rows.splice(i, 1);
      else rows[i] = call;
      return { ...p, rows };
    });

  // Keyboard: arrows move through rows (scrolling as needed), Enter opens the call.
  const focusRow = (index: number) => {
    const clamped = Math.max(0, Math.min(page.rows.length - 1, index));
    setActive(clamped);
    virtual.scrollToIndex(clamped);
  };
  useEffect(() => {
    if (!tableFocused.current) return;
    const el = scroller.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    el?.focus({ preventScroll: true });
  }, [active, virtual.start]);

  const onRowKey = (e: KeyboardEvent, index: number, call: CallSummary) => {
    const pageRows = Math.max(1, Math.floor((scroller.current?.clientHeight || 600) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + pageRows, PageUp: index - pageRows, Home: 0, End: page.rows.length - 1 };
    const to = moves[e.key];
    if (to !== undefined) {
      e.preventDefault();
      focusRow(to);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(call.id);
    }
  };

  const visibleRows = page.rows.slice(virtual.start, virtual.end);

  return (
    <section className={`screen call-log${selectedId !== null ? ' with-detail' : ''}`} aria-labelledby="log-title">
      <header className="screen-header">
        <h1 id="log-title">Call log</h1>
        <p className="screen-sub" aria-live="polite">
          {page.loading && page.rows.length === 0 ? 'Searching…' : page.next !== null ? `${plural(page.rows.length, 'call')} loaded · more as you scroll` : plural(page.rows.length, 'call')}
        </p>
        <div className="screen-actions">
          <button type="button" onClick={() => void exportCsv()} disabled={exporting || Boolean(problem)} aria-label="Export the filtered calls as CSV">
            {exporting ? 'Exporting…' : 'Export CSV'}
          </button>
        </div>
      </header>
      <form className="filters" role="search" aria-label="Filter calls" onSubmit={(e) => e.preventDefault()}>
        <input type="search" className="filter-text" placeholder="Search what was said…" aria-label="Search transcripts" value={filters.text} onChange={(e) => set('text', e.target.value)} />
        <input type="search" className="filter-caller" placeholder="Caller: last digits or name" aria-label="Caller: last digits of the number or patient name" value={filters.caller} onChange={(e) => set('caller', e.target.value)} />
        <label className="inline-field">
          From
          <input type="date" aria-label="From date" value={filters.fromDate} onChange={(e) => set('fromDate', e.target.value)} />
        </label>
        <label className="inline-field">
          To
          <input type="date" aria-label="To date" value={filters.toDate} onChange={(e) => set('toDate', e.target.value)} />
        </label>
        <select aria-label="Outcome" value={filters.outcome} onChange={(e) => set('outcome', e.target.value as CallFilters['outcome'])}>
          <option value="">Any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <select aria-label="Needs action" value={filters.needsAction} onChange={(e) => set('needsAction', e.target.value as CallFilters['needsAction'])}>
          <option value="any">Any follow-up</option>
          <option value="yes">Needs action</option>
          <option value="no">No action needed</option>
        </select>
        <select aria-label="Channel" value={filters.channel} onChange={(e) => set('channel', e.target.value as CallFilters['channel'])}>
          <option value="any">Calls and texts</option>
          <option value="voice">Phone calls</option>
          <option value="sms">Text threads</option>
        </select>
        <select aria-label="Intent" value={filters.intent} onChange={(e) => set('intent', e.target.value as CallFilters['intent'])}>
          <option value="">Any intent</option>
          <option value="book">Book</option>
          <option value="reschedule">Reschedule</option>
          <option value="cancel">Cancel</option>
          <option value="question">Question</option>
          <option value="message">Message</option>
          <option value="urgent">Urgent</option>
          <option value="other">Other</option>
        </select>
        <select aria-label="Sentiment" value={filters.sentiment} onChange={(e) => set('sentiment', e.target.value as CallFilters['sentiment'])}>
          <option value="">Any sentiment</option>
          <option value="positive">Positive</option>
          <option value="neutral">Neutral</option>
          <option value="negative">Negative</option>
        </select>
        <select aria-label="Summary says follow up" value={filters.summaryFollowUp} onChange={(e) => set('summaryFollowUp', e.target.value as CallFilters['summaryFollowUp'])}>
          <option value="any">Any summary</option>
          <option value="yes">Summary: follow up</option>
          <option value="no">Summary: nothing to do</option>
        </select>
        <label className="inline-field checkbox">
          <input type="checkbox" checked={filters.archived} onChange={(e) => set('archived', e.target.checked)} />
          Archived calls only
        </label>
        {hasFilters(filters) ? (
          <button type="button" className="ghost" onClick={() => setFilters(EMPTY_FILTERS)}>
            Clear filters
          </button>
        ) : null}
      </form>
      <ErrorNote error={problem ?? exportError ?? page.error} />
      <div className="log-body">
        <div className="table" role="table" aria-label="Calls" aria-rowcount={page.rows.length + 1}>
          <div className="table-head" role="rowgroup">
            <div className="tr th-row" role="row" aria-rowindex={1}>
              <span role="columnheader" className="c-start">
                Started
              </span>
              <span role="columnheader" className="c-caller">
                Caller
              </span>
              <span role="columnheader" className="c-duration">
                Duration
              </span>
              <span role="columnheader" className="c-outcome">
                Outcome
              </span>
              <span role="columnheader" className="c-flag">
                Follow-up
              </span>
            </div>
          </div>
          <div
            className="table-scroll"
            ref={scroller}
            role="rowgroup"
            onFocus={() => (tableFocused.current = true)}
            onBlur={(e) => {
              if (!e.currentTarget.contains(e.relatedTarget as Node | null)) tableFocused.current = false;
            }}
          >
            {page.rows.length === 0 && !page.loading && !page.error ? (
              <EmptyState title={filters.archived && !hasFilters({ ...effective, archived: false }) ? 'No archived calls.' : filtered ? 'No calls match these filters.' : 'No calls yet.'}>
                {filters.archived && !hasFilters({ ...effective, archived: false })
                  ? 'Calls you archive from their details move here, out of the everyday log.'
                  : filtered
                    ? 'Try fewer words, a wider date range, or clear the filters.'
                    : 'Every call the receptionist answers is listed here, with its transcript, as soon as it rings.'}
              </EmptyState>
            ) : null}
            <div className="table-spacer" style={{ height: virtual.totalHeight }}>
              {visibleRows.map((call, k) => {
                const index = virtual.start + k;
                return (
                  <div
                    key={call.id}
                    role="row"
                    aria-rowindex={index + 2}
                    data-index={index}
                    tabIndex={index === active ? 0 : -1}
                    aria-selected={call.id === selectedId}
                    className={`tr${call.id === selectedId ? ' selected' : ''}${call.archived ? ' archived' : ''}`}
                    style={{ transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT }}
                    onClick={() => {
                      setActive(index);
                      onSelect(call.id);
                    }}
                    onKeyDown={(e) => onRowKey(e, index, call)}
                  >
                    <span role="cell" className="c-start">
                      {formatLogTime(call.startedAt, now, tz)}
                    </span>
                    <span role="cell" className="c-caller">
                      {call.testCall ? <TestCallBadge diary={call.testCall} /> : call.fromMasked}
                      {call.channel === 'sms' ? (
                        <>
                          {' '}
                          <Badge>Text</Badge>
                        </>
                      ) : null}
                    </span>
                    <span role="cell" className="c-duration">
                      {formatDuration(call.durationS)}
                    </span>
                    <span role="cell" className="c-outcome">
                      {outcomeLabel(call.outcome, call.status)}
                      {call.fallback ? <span className="muted"> · {call.fallback === 'voicemail' ? 'voicemail' : 'sent to desk'}</span> : null}
                    </span>
                    <span role="cell" className="c-flag">
                      {call.urgent ? <Badge tone="danger">{urgentLabel(call.urgent)}</Badge> : null}
                      {call.needsAction ? <Badge tone="danger">Needs action</Badge> : null}
                      {call.archived ? <Badge>Archived</Badge> : null}
                    </span>
                  </div>
                );
              })}
            </div>
            {page.loading && page.rows.length > 0 ? (
              <p className="table-more" role="status">
                Loading more…
              </p>
            ) : null}
          </div>
        </div>
        {selectedId !== null ? <CallDetailPanel id={selectedId} onClose={() => onSelect(null)} onSummary={onSummary} /> : null}
      </div>
    </section>
  );
}

function appendUnique(rows: CallSummary[], more: CallSummary[]): CallSummary[] {
  if (rows.length === 0) return more;
  const last = rows[rows.length - 1]!.id;
  // Keyset pages never overlap, but a call that rang between pages must not repeat.
  return rows.concat(more.filter((c) => c.id < last));
}
