import { useState } from 'react';
import { ErrorNote, Field } from '../../components/common';
import type { SessionView } from '../../contract';
import { useSession } from '../../engine/session';

/**
 * The dashboard after its idle time (or Lock): everything covered, the engine sending it
 * nothing about calls but how many there are. The same person unlocks with their PIN;
 * anyone else switches user.
 */
export function LockScreen({ view }: { view: SessionView }) {
  const { unlock, signOut } = useSession();
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const account = view.account;
  const kind = view.accounts.find((a) => a.id === account?.id)?.secretKind === 'password' ? 'password' : 'PIN';
  return (
    <section className="sign-in lock-screen" aria-labelledby="lock-title">
      <h1 id="lock-title">Locked</h1>
      <p role="status">{view.callsInProgress === 0 ? 'No calls in progress.' : `${view.callsInProgress} call${view.callsInProgress === 1 ? '' : 's'} in progress.`}</p>
      <form
        aria-label="Unlock"
        onSubmit={async (e) => {
          e.preventDefault();
          const reply = await unlock(secret);
          setSecret('');
          setError(reply.ok ? null : reply.error.message);
        }}
      >
        <Field label={`${account?.name ?? 'Your'}'s ${kind}`}>
          {(p) => <input {...p} type="password" autoComplete="current-password" autoFocus value={secret} onChange={(e) => setSecret(e.target.value)} />}
        </Field>
        <ErrorNote error={error} />
        <button type="submit" className="primary" disabled={secret === ''}>
          Unlock
        </button>{' '}
        <button type="button" onClick={() => void signOut()}>
          Switch user
        </button>
      </form>
    </section>
  );
}
