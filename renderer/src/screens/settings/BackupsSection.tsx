import { useState } from 'react';
import { ConfirmDialog, ErrorNote } from '../../components/common';
import type { BackupRecord, RestoreView } from '../../contract';
import { useEngineQuery, useMutation } from '../../engine/query';
import { formatFullDateTime } from '../../format/time';

/** Verified backups: when they were taken, where they are, one now, and putting one back. */
export function BackupsSection() {
  const list = useEngineQuery('backups/list', {});
  const mutation = useMutation();
  const restore = useMutation();
  const [restoring, setRestoring] = useState<BackupRecord | null>(null);
  const [restored, setRestored] = useState<RestoreView | null>(null);
  const backUpNow = async () => {
    const reply = await mutation.run('backups/run', {});
    if (reply.ok) void list.reload();
  };
  const confirmRestore = async () => {
    if (!restoring) return;
    const reply = await restore.run('backups/restore', { file: restoring.file });
    if (!reply.ok) return;
    setRestored(reply.value);
    setRestoring(null);
    void list.reload();
  };
  const backups = list.data ?? [];
  return (
    <section className="settings-form" aria-labelledby="backups-title">
      <h2 id="backups-title">Backups</h2>
      <p className="muted">
        Deskline copies its database every hour and checks each copy before keeping it; older copies are thinned to 24 hourly, 14 daily and
        12 monthly. Restoring puts a copy back while Deskline runs: new calls go to the front desk for those few seconds, calls on the line stay
        on it, and the current database is kept aside first. IT can also restore with Deskline stopped: <code>npm run restore -- &lt;backup file&gt;</code>.
      </p>
      {list.error && !list.data ? <ErrorNote error={list.error} /> : null}
      {restored ? (
        <p role="status">
          Restored the backup of {formatFullDateTime(backups.find((b) => b.file === restored.restoredFrom)?.at ?? Date.now())}: {restored.rows.calls ?? 0} calls,{' '}
          {restored.rows.appointments ?? 0} appointments. The database it replaced is kept at <code>{restored.safetyCopy}</code>.
        </p>
      ) : null}
      {backups.length === 0 ? (
        <p>No backup yet. The first one is taken a minute after Deskline starts.</p>
      ) : (
        <ul className="backup-list" aria-label="Backups">
          {backups.map((b) => (
            <li key={b.file}>
              {formatFullDateTime(b.at)} · {Math.max(1, Math.round(b.bytes / 1024))} KB · <code>{b.file}</code>{' '}
              <button type="button" onClick={() => setRestoring(b)} aria-label={`Restore the backup of ${formatFullDateTime(b.at)}`}>
                Restore
              </button>
            </li>
          ))}
        </ul>
      )}
      {mutation.error ? <ErrorNote error={mutation.error} /> : null}
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void backUpNow()} disabled={mutation.busy}>
          {mutation.busy ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      <BackupSettingsForm />
      {restoring ? (
        <ConfirmDialog
          title="Restore this backup?"
          confirmLabel={restore.busy ? 'Restoring…' : 'Restore'}
          onConfirm={() => void confirmRestore()}
          onCancel={() => setRestoring(null)}
          busy={restore.busy}
          error={restore.error}
        >
          Everything recorded after {formatFullDateTime(restoring.at)} (calls, messages, appointments) leaves the record. The current database
          is kept aside first, so this can be undone from the command line.
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** How often to back up, and a second folder (USB drive or network share) for every copy. */
export function BackupSettingsForm() {
  const settings = useEngineQuery('backups/settings', {});
  const save = useMutation();
  const [hours, setHours] = useState<string | null>(null);
  const [folder, setFolder] = useState<string | null>(null);
  const [encrypt, setEncrypt] = useState<boolean | null>(null);
  const [saved, setSaved] = useState(false);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  if (!settings.data) return settings.error ? <ErrorNote error={settings.error} /> : null;
  const everyHours = hours ?? String(settings.data.everyHours);
  const secondDir = folder ?? settings.data.secondDir ?? '';
  const encrypted = encrypt ?? settings.data.encrypt;
  const submit = async () => {
    setSaved(false);
    const reply = await save.run('backups/update-settings', { everyHours: Number(everyHours), secondDir: secondDir.trim() || null, encrypt: encrypted });
    if (reply.ok) {
      setSaved(true);
      if (reply.value.recoveryKey) setRecoveryKey(reply.value.recoveryKey);
      void settings.reload();
    }
  };
  return (
    <form
      className="settings-form"
      aria-label="Backup settings"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="form-row">
        <label>
          Back up every (hours)
          <input inputMode="numeric" value={everyHours} onChange={(e) => setHours(e.target.value)} />
        </label>
        <label>
          Also copy each backup to (a USB drive or network share; empty for none)
          <input value={secondDir} placeholder="E:\Deskline backups" onChange={(e) => setFolder(e.target.value)} />
        </label>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={encrypted} onChange={(e) => setEncrypt(e.target.checked)} /> Encrypt backups
      </label>
      {recoveryKey ? (
        <div role="alert" className="recovery-key">
          Write down or print this recovery key now and keep it somewhere safe: it opens the encrypted backups if this PC is lost. It will not
          be shown again. <code>{recoveryKey}</code>
        </div>
      ) : null}
      {save.error ? <ErrorNote error={save.error} /> : null}
      {saved ? <p role="status">Saved.</p> : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.busy}>
          Save
        </button>
      </div>
    </form>
  );
}
