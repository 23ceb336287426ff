import { useState, type FormEvent } from 'react';
import { Badge, Dialog, EmptyState, ErrorNote, Field, Loading } from '../../components/common';
import { useNow, useStoredState } from '../../components/hooks';
import type { InboxItem } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useEngine, useEngineEvent } from '../../engine/context';
import { useEngineQuery } from '../../engine/query';
import { INBOX_KINDS } from '../../format/labels';
import { formatAgo, formatDateTime } from '../../format/time';
import { validateRequired } from '../../format/validate';
import { EngineAudioPlayer } from '../../components/EngineAudioPlayer';

export const STAFF_NAME_KEY = 'deskline.staffName';

const key = (item: Pick<InboxItem, 'kind' | 'id'>) => `${item.kind}:${item.id}`;

/** Messages, voicemails and flagged calls waiting for someone at the desk. */
export function InboxScreen({ onOpenCall }: { onOpenCall: (callId: number) => void }) {
  const engine = useEngine();
  const { timezone: tz } = useClinic();
  const now = useNow(30_000);
  const [showResolved, setShowResolved] = useState(false);
  const [staffName, setStaffName] = useStoredState<string | null>(STAFF_NAME_KEY, null);
  const [asking, setAsking] = useState<InboxItem | 'change' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Resolved here this visit: kept on screen, marked, so the desk sees what just happened.
  const [resolvedHere, setResolvedHere] = useState<Map<string, InboxItem>>(new Map());

  const list = useEngineQuery('inbox/list', showResolved ? { includeResolved: true } : {});
  const { reload } = list;
  useEngineEvent('inbox.changed', () => void reload());

  const resolve = async (item: InboxItem, by: string) => {
    const k = key(item);
    setBusy(k);
    setErrors((e) => ({ ...e, [k]: '' }));
    const reply = await engine.call('inbox/resolve', { kind: item.kind, id: item.id, by });
    setBusy(null);
    if (!reply.ok) {
      setErrors((e) => ({ ...e, [k]: reply.error.message }));
      return;
    }
    setResolvedHere((m) => new Map(m).set(k, reply.value));
    list.setData((prev) => prev?.map((x) => (key(x) === k ? reply.value : x)));
  };

  const onResolve = (item: InboxItem) => {
    if (!staffName) setAsking(item);
    else void resolve(item, staffName);
  };

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
          <span className="muted small">
            {staffName ? (
              <>
                Resolving as <strong>{staffName}</strong>{' '}
                <button type="button" className="link" onClick={() => setAsking('change')}>
                  Not you?
                </button>
              </>
            ) : null}
          </span>
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
      {asking ? (
        <StaffNameDialog
          initial={staffName ?? ''}
          onCancel={() => setAsking(null)}
          onSave={(name) => {
            setStaffName(name);
            const item = asking;
            setAsking(null);
            if (item !== 'change') void resolve(item, name);
          }}
        />
      ) : null}
    </section>
  );
}

function urgencyRank(item: InboxItem): number {
  return item.urgency === 'urgent' ? 2 : item.urgency === 'normal' ? 1 : 0;
}

function StaffNameDialog({ initial, onSave, onCancel }: { initial: string; onSave: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = validateRequired(name, 'Your name', 80);
    if (problem) return setError(problem);
    onSave(name.trim());
  };
  return (
    <Dialog title="Who is resolving?" onClose={onCancel}>
      <form className="form" onSubmit={submit} noValidate>
        <p>Your name is saved with each item you resolve, so the team knows who handled it. This PC remembers it.</p>
        <Field label="Your name" error={error}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" autoFocus />}
        </Field>
        <div className="form-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}
