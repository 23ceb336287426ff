import { ErrorNote } from '../../components/common';
import { useEngineQuery, useMutation } from '../../engine/query';
import { formatFullDateTime } from '../../format/time';

/** Verified backups: when the last one was taken, where they are, and a way to take one now. */
export function BackupsSection() {
  const list = useEngineQuery('backups/list', {});
  const mutation = useMutation();
  const backUpNow = async () => {
    const reply = await mutation.run('backups/run', {});
    if (reply.ok) void list.reload();
  };
  const backups = list.data ?? [];
  return (
    <section className="settings-form" aria-labelledby="backups-title">
      <h2 id="backups-title">Backups</h2>
      <p className="muted">
        Deskline copies its database every hour and checks each copy before keeping it; older copies are thinned to 24 hourly, 14 daily and
        12 monthly. To restore, quit Deskline and run <code>npm run restore -- &lt;backup file&gt;</code>: it checks the backup and keeps the
        current database aside first.
      </p>
      {list.error && !list.data ? <ErrorNote error={list.error} /> : null}
      {backups.length === 0 ? (
        <p>No backup yet. The first one is taken a minute after Deskline starts.</p>
      ) : (
        <ul className="backup-list" aria-label="Backups">
          {backups.map((b) => (
            <li key={b.file}>
              {formatFullDateTime(b.at)} · {Math.max(1, Math.round(b.bytes / 1024))} KB · <code>{b.file}</code>
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
    </section>
  );
}
