import { useEffect, useState } from 'react';
import { ErrorNote } from './common';
import { useMutation } from '../engine/query';

/** Audio the engine keeps on this PC: a voicemail, or a call's recording. */
export type EngineAudio = { handler: 'voicemails/audio'; args: { id: number } } | { handler: 'recordings/audio'; args: { callId: number } };

/**
 * Plays audio kept on this PC. It comes over the engine connection (the desktop window has
 * no HTTP origin to fetch it from) and plays from a local object URL, released when closed.
 */
export function EngineAudioPlayer({ source, label, playText }: { source: EngineAudio; label: string; playText: string }) {
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
          const reply = source.handler === 'voicemails/audio' ? await load.run(source.handler, source.args) : await load.run(source.handler, source.args);
          if (!reply.ok) return;
          const bytes = Uint8Array.from(atob(reply.value.base64), (c) => c.charCodeAt(0));
          setUrl(URL.createObjectURL(new Blob([bytes], { type: reply.value.mime })));
        }}
      >
        {load.busy ? 'Loading…' : playText}
      </button>
      <ErrorNote error={load.error} />
    </>
  );
}
