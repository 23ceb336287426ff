import { useState } from 'react';
import { ErrorNote, Field } from '../../components/common';
import type { SecretKind, SessionView } from '../../contract';
import { useSession } from '../../engine/session';
import { ROLE_LABELS } from '../../format/labels';


/** Pick your name, enter your PIN: two clicks for a busy front desk. Or, on first run, make the first admin. */
export function SignInScreen({ view }: { view: SessionView }) {
  if (view.needsFirstAdmin) return <FirstAdmin />;
  return <PickAndPin view={view} />;
}

function PickAndPin({ view }: { view: SessionView }) {
  const { signIn } = useSession();
  const [picked, setPicked] = useState<number | null>(view.accounts.length === 1 ? view.accounts[0]!.id : null);
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const account = view.accounts.find((a) => a.id === picked);
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Deskline</h1>
      <div className="sign-in-names" role="group" aria-label="Who are you?">
        {view.accounts.map((a) => (
          <button key={a.id} type="button" aria-pressed={a.id === picked} onClick={() => (setPicked(a.id), setSecret(''), setError(null))}>
            {a.name} <span className="muted">{ROLE_LABELS[a.role]}</span>
          </button>
        ))}
      </div>
      {account ? (
        <form
          aria-label="Sign in"
          onSubmit={async (e) => {
            e.preventDefault();
            setBusy(true);
            const reply = await signIn(account.id, secret);
            setBusy(false);
            if (!reply.ok) {
              setError(reply.error.message);
              setSecret('');
            }
          }}
        >
          <Field label={`${account.name}'s ${account.secretKind === 'pin' ? 'PIN' : 'password'}`}>
            {(p) => <input {...p} type="password" inputMode={account.secretKind === 'pin' ? 'numeric' : 'text'} autoComplete="current-password" autoFocus value={secret} onChange={(e) => setSecret(e.target.value)} />}
          </Field>
          <ErrorNote error={error} />
          <button type="submit" className="primary" disabled={busy || secret === ''}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function FirstAdmin() {
  const { createFirstAdmin } = useSession();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<SecretKind>('pin');
  const [secret, setSecret] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <section className="sign-in" aria-labelledby="first-admin-title">
      <h1 id="first-admin-title">Set up Deskline: who looks after it?</h1>
      <p className="muted">This first account is an admin: it can change settings, add the front desk's accounts, and see the audit log.</p>
      <form
        aria-label="First admin"
        onSubmit={async (e) => {
          e.preventDefault();
          if (secret !== again) return setError(`The two ${kind === 'pin' ? 'PINs' : 'passwords'} are not the same.`);
          const reply = await createFirstAdmin(name, kind, secret);
          if (!reply.ok) setError(reply.error.message);
        }}
      >
        <Field label="Your name">{(p) => <input {...p} value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="Sign in with">
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as SecretKind)}>
              <option value="pin">A PIN (6 digits or more)</option>
              <option value="password">A password (10 characters or more)</option>
            </select>
          )}
        </Field>
        <Field label={kind === 'pin' ? 'PIN' : 'Password'}>{(p) => <input {...p} type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} />}</Field>
        <Field label={kind === 'pin' ? 'The same PIN again' : 'The same password again'}>{(p) => <input {...p} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />}</Field>
        <ErrorNote error={error} />
        <button type="submit" className="primary">
          Create the admin account
        </button>
      </form>
    </section>
  );
}
