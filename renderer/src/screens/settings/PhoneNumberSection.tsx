import { useState } from 'react';
import { Badge, ErrorNote, Loading } from '../../components/common';
import { useEngineQuery, useMutation } from '../../engine/query';
import type { LineCheck } from '../../contract';

/**
 * Settings → Phone: the Twilio account's numbers. "Use this number" points its calls, call
 * status and texts at this PC through Twilio's API (and remembers how it was set before);
 * "Disconnect" puts it back. A number that no longer points here (a new tunnel address) is
 * one click from right again.
 */
export function PhoneNumberSection() {
  const numbers = useEngineQuery('twilio/numbers', {});
  const act = useMutation();
  const [checks, setChecks] = useState<LineCheck[] | null>(null);
  const [changed, setChanged] = useState<Array<{ field: string; before: string | null; after: string }> | null>(null);
  const connect = async (sid: string) => {
    const reply = await act.run('twilio/connect-number', { sid });
    if (reply.ok) {
      setChanged(reply.value.changed);
      void numbers.reload();
    }
  };
  return (
    <section className="settings-form" aria-labelledby="numbers-title">
      <h2 id="numbers-title">Your Twilio numbers</h2>
      <p className="muted">Pick the clinic's number: Deskline sets its voice URL, status callback and SMS URL to this PC's public URL at Twilio, and can put back what was there.</p>
      <ErrorNote error={numbers.error ?? act.error} />
      {numbers.loading && !numbers.data ? <Loading label="Asking Twilio…" /> : null}
      <ul className="account-list" aria-label="Twilio numbers">
        {(numbers.data ?? []).map((n) => (
          <li key={n.sid}>
            <strong>{n.phoneNumber}</strong> <span className="muted">{n.friendlyName}</span>{' '}
            {n.connected ? <Badge tone={n.pointsHere ? 'ok' : 'warn'}>{n.pointsHere ? 'Answered by this PC' : 'No longer points at this PC'}</Badge> : null}{' '}
            {n.fallback ? (
              <p className="muted small">
                When this PC does not answer, Twilio apologises and {n.fallback.dials ? `rings ${n.fallback.dials}, then takes a voicemail` : 'takes a voicemail'} (a Studio flow Deskline keeps at Twilio).
              </p>
            ) : null}
            {!n.connected ? (
              <button type="button" onClick={() => void connect(n.sid)} disabled={act.busy}>
                Use this number
              </button>
            ) : !n.pointsHere ? (
              <button type="button" className="primary" onClick={() => void connect(n.sid)} disabled={act.busy}>
                Point it at this PC again
              </button>
            ) : (
              <button
                type="button"
                disabled={act.busy}
                onClick={async () => {
                  if ((await act.run('twilio/disconnect-number', {})).ok) {
                    setChanged(null);
                    void numbers.reload();
                  }
                }}
              >
                Disconnect this number
              </button>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        disabled={act.busy}
        onClick={async () => {
          const reply = await act.run('twilio/self-test', {});
          if (reply.ok) setChecks(reply.value);
        }}
      >
        Check the phone line
      </button>
      {checks ? (
        <ul aria-label="Phone line check">
          {checks.map((c) => (
            <li key={c.name}>
              {c.ok ? '✓' : '✗'} <strong>{c.name}</strong>: {c.words}
            </li>
          ))}
        </ul>
      ) : null}
      {changed ? (
        <div role="status">
          <p>Changed at Twilio:</p>
          <ul>
            {changed.map((c) => (
              <li key={c.field}>
                {c.field}: {c.before ?? '(empty)'} → {c.after}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
