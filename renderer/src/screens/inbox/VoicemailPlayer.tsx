import { useEffect, useState } from 'react';
import { ErrorNote } from '../../components/common';
import { useMutation } from '../../engine/query';

/**
 * Plays a voicemail kept on this PC. The recording comes over the engine connection (the
 * desktop window has no HTTP origin to fetch it from) and plays from a local object URL.
 */
export function VoicemailPlayer({ id, label }: { id: number; label: string }) {
  const load = useMutation();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => {
    if (url) URL.revokeObjectURL(url);
  }, [url]);
  if (url) return <audio controls autoPlay src={url} aria-label={label} />;
  return (
    <>
      <button
        type="button"
        disabled={load.busy}
        onClick={async () => {
          const reply = await load.run('voicemails/audio', { id });
          if (!reply.ok) return;
          const bytes = Uint8Array.from(atob(reply.value.base64), (c) => c.charCodeAt(0));
          setUrl(URL.createObjectURL(new Blob([bytes], { type: reply.value.mime })));
        }}
      >
        {load.busy ? 'Loading…' : 'Play the voicemail'}
      </button>
      <ErrorNote error={load.error} />
    </>
  );
}
