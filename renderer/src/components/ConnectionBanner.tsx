import { useConnection } from '../engine/context';

/** Says plainly when the dashboard cannot reach the engine, and what to do. */
export function ConnectionBanner() {
  const { status, reason, generation } = useConnection();
  if (status === 'open') return null;
  if (reason === 'unauthorized') {
    return (
      <div className="banner banner-bad" role="alert">
        <strong>Sign-in needed.</strong> Open the login link printed by Deskline (or in the desktop app).
      </div>
    );
  }
  if (reason === 'no-engine') {
    return (
      <div className="banner banner-bad" role="alert">
        <strong>Not connected.</strong> Open the dashboard from the Deskline desktop app, or with the login link printed by Deskline.
      </div>
    );
  }
  return (
    <div className={`banner ${generation > 0 || reason === 'unavailable' ? 'banner-warn' : 'banner-info'}`} role="status">
      {generation > 0 ? 'Connection to Deskline lost. Reconnecting…' : reason === 'unavailable' ? 'Cannot reach Deskline. Is it running? Retrying…' : 'Connecting to Deskline…'}
    </div>
  );
}
