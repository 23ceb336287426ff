import { useState } from 'react';
import { Badge, EmptyState, ErrorNote, Loading } from '../../components/common';
import { useNow } from '../../components/hooks';
import type { InboxItem } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useEngine, useEngineEvent } from '../../engine/context';
import { useEngineQuery } from '../../engine/query';
import { INBOX_KINDS } from '../../format/labels';
import { formatAgo, formatDateTime } from '../../format/time';
import { EngineAudioPlayer } from '../../components/EngineAudioPlayer';


const key = (item: Pick<InboxItem, 'kind' | 'id'>) => `${item.kind}:${item.id}`;

/** Messages, voicemails and flagged calls waiting for someone at the desk. */
export function InboxScreen({ onOpenCall }: { onOpenCall: (callId: number) => void }) {
  const engine = useEngine();
  const { timezone: tz } = useClinic();
  const now = useNow(30_000);
  const [showResolved, setShowResolved] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Resolved here this visit: kept on screen, marked, so the desk sees what just happened.
  const [resolvedHere, setResolvedHere] = useState<Map<string, InboxItem>>(new Map());

  const list = useEngineQuery('inbox/list', showResolved ? { includeResolved: true } : {});
  const { reload } = list;
  useEngineEvent('inbox.changed', () => void reload());

  // Resolved by whoever is signed in: the engine takes the name from the session.
  const resolve = async (item: InboxItem) => {
    const k = key(item);
    setBusy(k);
    setErrors((e) => ({ ...e, [k]: '' }));
    const reply = await engine.call('inbox/resolve', { kind: item.kind, id: item.id });
    setBusy(null);
    if (!reply.ok) {
      setErrors((e) => ({ ...e, [k]: reply.error.message }));
      return;
    }
    setResolvedHere((m) => new Map(m).set(k, reply.value));
    list.setData((prev) => prev?.map((x) => (key(x) === k ? reply.value : x)));
  };

  const onResolve = (item: InboxItem) => void resolve(item);

  // Fresh data wins; items resolved here stay listed (as resolved) until the screen is left.
  const fetched = list.data ?? [];
  const seen = new Set(fetched.map(key));
  const items = [...fetched.map((x) => resolvedHere.get(key(x)) && !x.resolvedAt ? resolvedHere.get(key(x))! : x), ...[...resolvedHere.values()].filter((x) => !seen.has(key(x)))].sort(
    (a, b) => Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) || urgencyRank(b) - urgencyRank(a) || b.createdAt - a.createdAt,
  );
  const open = items.filter((x) => x.resolvedAt === null).length;

  return (
    <section className="screen inbox" aria-labelledby="inbox-title">
      <header className="screen-header">
        <h1 id="inbox-title">Inbox</h1>
        <p className="screen-sub" aria-live="polite">
          {open === 0 ? 'Nothing waiting' : `${open} waiting`}
        </p>
        <div className="screen-actions">
          <label className="inline-field checkbox">
            <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
            Show resolved
          </label>
        </div>
      </header>
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading label="Loading the inbox…" /> : null}
      {list.data && items.length === 0 ? (
        <EmptyState title="All caught up.">Messages the receptionist takes, voicemails and calls flagged for follow-up land here. Nothing needs doing right now.</EmptyState>
      ) : null}
      <ul className="inbox-list" aria-label="Inbox items">
        {items.map((item) => {
          const k = key(item);
          return (
            <li key={k} className={`inbox-item urgency-${item.urgency}${item.resolvedAt ? ' resolved' : ''}`} data-testid={`inbox-${k}`}>
              <div className="inbox-main">
                <p className="inbox-kind">
                  <Badge tone={item.kind === 'voicemail' ? 'accent' : item.kind === 'message' ? 'info' : 'warn'}>{INBOX_KINDS[item.kind]}</Badge>
                  {item.urgency === 'urgent' ? <Badge tone="danger">Urgent</Badge> : null}
                  <time className="muted small" title={formatDateTime(item.createdAt, tz)}>
                    {formatAgo(item.createdAt, now, tz)}
                  </time>
                </p>
                <h2 className="inbox-title">{item.title}</h2>
                {item.detail ? <p className="inbox-detail">{item.detail}</p> : null}
                {item.kind === 'voicemail' && item.hasAudio ? <EngineAudioPlayer source={{ handler: 'voicemails/audio', args: { id: item.id } }} label={`Voicemail (${item.title})`} playText="Play the voicemail" /> : null}
                {item.callId !== null ? (
                  <a
                    href={`#/calls/${item.callId}`}
                    onClick={(e) => {
                      e.preventDefault();
                      onOpenCall(item.callId!);
                    }}
                  >
                    Open the call
                  </a>
                ) : null}
                <ErrorNote error={errors[k] || null} />
              </div>
              <div className="inbox-side">
                {item.resolvedAt ? (
                  <p className="resolved-by" role="status">
                    ✓ Resolved{item.resolvedBy ? ` by ${item.resolvedBy}` : ''}
                    <br />
                    <span className="muted small">{formatDateTime(item.resolvedAt, tz)}</span>
                  </p>
                ) : (
                  <button type="button" className="primary" onClick={() => onResolve(item)} disabled={busy === k} aria-label={`Mark “${item.title}” as resolved`}>
                    {busy === k ? 'Saving…' : 'Resolved'}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function urgencyRank(item: InboxItem): number {
  return item.urgency === 'urgent' ? 2 : item.urgency === 'normal' ? 1 : 0;
}
