import { useState } from 'react';
import { Badge, ErrorNote } from '../../components/common';
import type { SmsThreadView } from '../../contract';
import { useEngineEvents } from '../../engine/context';
import { useEngineQuery, useMutation } from '../../engine/query';
import { formatTimeSeconds } from '../../format/time';

const AUTHOR: Record<SmsThreadView['messages'][number]['author'], string> = { patient: 'Patient', assistant: 'Receptionist', staff: 'Staff', clinic: 'Clinic' };

/**
 * A text thread in call detail: its messages with their delivery status, and the hand-over
 * between the assistant and a person. While staff have the thread, the assistant is quiet.
 */
export function SmsThreadPanel({ callId, tz }: { callId: number; tz: string | undefined }) {
  const thread = useEngineQuery('sms/thread', { callId });
  const mutation = useMutation();
  const [draft, setDraft] = useState('');
  const { reload, setData } = thread;
  useEngineEvents((e) => {
    if ((e.event === 'call.updated' && e.payload.id === callId) || (e.event === 'transcript.line' && e.payload.callId === callId)) void reload();
  });
  const t = thread.data;
  const act = async (name: 'sms/take-over' | 'sms/hand-back') => {
    const reply = await mutation.run(name, { callId });
    if (reply.ok) setData(() => reply.value);
  };
  const send = async () => {
    const reply = await mutation.run('sms/reply', { callId, body: draft });
    if (!reply.ok) return;
    setData(() => reply.value);
    setDraft('');
  };
  if (!t) return <ErrorNote error={thread.error} />;
  return (
    <section aria-label="Text thread">
      <h3>Texts</h3>
      <p>
        {t.takenOver ? <Badge tone="warn">Staff have this thread: the receptionist is not answering</Badge> : <Badge>The receptionist answers this thread</Badge>}
        {t.optedOut ? (
          <>
            {' '}
            <Badge tone="danger">Replied STOP: cannot be texted</Badge>
          </>
        ) : null}
      </p>
      <ol className="sms-thread">
        {t.messages.map((m) => (
          <li key={m.id} className={m.direction === 'inbound' ? 'sms-in' : 'sms-out'}>
            <span className="muted small">
              {AUTHOR[m.author]} · {formatTimeSeconds(m.at, tz)}
              {m.direction === 'outbound' ? ` · ${m.status}` : ''}
            </span>
            <p>{m.body}</p>
          </li>
        ))}
      </ol>
      <div className="detail-actions" role="group" aria-label="Thread actions">
        <button type="button" disabled={mutation.busy} onClick={() => void act(t.takenOver ? 'sms/hand-back' : 'sms/take-over')}>
          {t.takenOver ? 'Hand back to the receptionist' : 'Take over this thread'}
        </button>
      </div>
      {t.takenOver && !t.optedOut ? (
        <form
          aria-label="Reply by text"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <label>
            Reply
            <textarea value={draft} maxLength={1600} onChange={(e) => setDraft(e.target.value)} rows={3} />
          </label>
          <button type="submit" disabled={mutation.busy || draft.trim() === ''}>
            Send text
          </button>
        </form>
      ) : null}
      <ErrorNote error={mutation.error} />
    </section>
  );
}
