import { useState } from 'react';
import { Badge, ErrorNote, Field, Loading } from '../../components/common';
import type { Role, SecretKind, StaffAccountView } from '../../contract';
import { useEngineQuery, useMutation } from '../../engine/query';
import { ROLE_LABELS } from '../../format/labels';

const ROLES: Record<Role, string> = { admin: 'Admin: everything', front_desk: 'Front desk: calls, appointments, Inbox, texts', view_only: 'View only: live calls and the call log' };

/** Staff accounts (admins only): who may sign in, with what role; PIN resets; the idle lock and audit retention. */
export function AccountsSection() {
  const accounts = useEngineQuery('accounts/list', {});
  const settings = useEngineQuery('accounts/settings', {});
  const save = useMutation();
  const [adding, setAdding] = useState({ name: '', role: 'front_desk' as Role, secretKind: 'pin' as SecretKind, secret: '' });
  const [resetting, setResetting] = useState<{ id: number; secret: string } | null>(null);
  const [idle, setIdle] = useState<string | null>(null);
  const [keepDays, setKeepDays] = useState<string | null>(null);
  const reload = () => void accounts.reload();
  return (
    <>
      <section className="settings-form" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Staff accounts</h2>
        <p className="muted">Everyone signs in with their own name and PIN, so the audit log says who did what. Changing a PIN or disabling an account signs it out everywhere.</p>
        {!accounts.data ? <Loading label="Loading accounts…" /> : null}
        <ul className="account-list" aria-label="Accounts">
          {(accounts.data ?? []).map((a: StaffAccountView) => (
            <li key={a.id}>
              <strong>{a.name}</strong> <Badge>{ROLE_LABELS[a.role]}</Badge> {a.disabled ? <Badge tone="warn">disabled</Badge> : null} {a.lockedUntil ? <Badge tone="warn">waiting after wrong PINs</Badge> : null}{' '}
              <button type="button" onClick={() => setResetting({ id: a.id, secret: '' })}>
                New PIN
              </button>{' '}
              <button type="button" onClick={async () => (await save.run('accounts/update', { id: a.id, disabled: !a.disabled })).ok && reload()}>
                {a.disabled ? 'Enable' : 'Disable'}
              </button>
              {resetting?.id === a.id ? (
                <form
                  aria-label={`New PIN for ${a.name}`}
                  onSubmit={async (e) => {
                    e.preventDefault();
                    if ((await save.run('accounts/reset-secret', { id: a.id, secretKind: 'pin', secret: resetting.secret })).ok) setResetting(null);
                  }}
                >
                  <Field label={`New PIN for ${a.name}`}>{(p) => <input {...p} type="password" inputMode="numeric" value={resetting.secret} onChange={(e) => setResetting({ id: a.id, secret: e.target.value })} />}</Field>
                  <button type="submit" className="primary">Set PIN</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        <form
          aria-label="Add an account"
          onSubmit={async (e) => {
            e.preventDefault();
            if ((await save.run('accounts/create', adding)).ok) {
              setAdding({ ...adding, name: '', secret: '' });
              reload();
            }
          }}
        >
          <Field label="Name">{(p) => <input {...p} maxLength={60} value={adding.name} onChange={(e) => setAdding({ ...adding, name: e.target.value })} />}</Field>
          <Field label="Role">
            {(p) => (
              <select {...p} value={adding.role} onChange={(e) => setAdding({ ...adding, role: e.target.value as Role })}>
                {(Object.keys(ROLES) as Role[]).map((r) => (
                  <option key={r} value={r}>
                    {ROLES[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="PIN (6 digits or more)">{(p) => <input {...p} type="password" inputMode="numeric" value={adding.secret} onChange={(e) => setAdding({ ...adding, secret: e.target.value })} />}</Field>
          <button type="submit" className="primary">Add account</button>
        </form>
        <ErrorNote error={save.error} />
      </section>
      <section className="settings-form" aria-labelledby="lock-title">
        <h2 id="lock-title">Screen lock</h2>
        {settings.data ? (
          <form
            aria-label="Screen lock"
            onSubmit={async (e) => {
              e.preventDefault();
              const reply = await save.run('accounts/settings', { idleLockMinutes: Number(idle ?? settings.data!.idleLockMinutes), auditRetentionDays: Number(keepDays ?? settings.data!.auditRetentionDays) });
              if (reply.ok) settings.setData(reply.value);
            }}
          >
            <Field label="Lock the dashboard after this many idle minutes">
              {(p) => <input {...p} type="number" min={1} max={240} value={idle ?? settings.data!.idleLockMinutes} onChange={(e) => setIdle(e.target.value)} />}
            </Field>
            <Field label="Keep the audit log for (days)" hint="Six years (2190 days) by default, longer than transcripts; 365 at least.">
              {(p) => <input {...p} type="number" min={365} value={keepDays ?? settings.data!.auditRetentionDays} onChange={(e) => setKeepDays(e.target.value)} />}
            </Field>
            <button type="submit" className="primary">Save</button>
          </form>
        ) : null}
      </section>
    </>
  );
}
