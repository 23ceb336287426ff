import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { loadKnowledge } from '../clinic/knowledge.js';
import type { EngineConfig } from '../config.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { VoicemailRecord } from '../contract.js';
import type { TwilioRestClient } from '../twilio/rest.js';

const RECORDING_SID = /^RE[0-9a-fA-F]{32}$/;
/** Tries per voicemail before it is shown as not fetched (Twilio keeps it meanwhile). */
export const MAX_FETCH_ATTEMPTS = 5;
const TICK_MS = 60_000;
const TRANSCRIBE_MODEL = 'gpt-4o-mini-transcribe';

/**
 * Brings each voicemail onto the PC as soon as Twilio has it: downloaded with the clinic's
 * credentials (from the configured Twilio API origin, never from a URL a request carried),
 * kept in the data folder, deleted from Twilio if Settings say so (the default, so patients'
 * voices do not stay in the cloud), and transcribed for the Inbox. A failed download is tried
 * again each minute, up to MAX_FETCH_ATTEMPTS times; the recording stays at Twilio until then.
 */
export function scheduleVoicemailKeeper(deps: { config: EngineConfig; store: Store; events: EngineEvents; rest: () => TwilioRestClient | null; log: Logger }): { kick(): void; stop(): void } {
  const { config, store, events, rest, log } = deps;
  const dir = join(config.dataDir, 'voicemails');
  let running: Promise<void> = Promise.resolve();

  const download = async (v: VoicemailRecord): Promise<Buffer> => {
    const { accountSid, authToken, apiBaseUrl } = config.twilio;
    if (!accountSid || !authToken) throw new Error('Twilio credentials are not set');
    const url = `${apiBaseUrl}/2010-04-01/Accounts/${accountSid}/Recordings/${v.recordingSid}.wav`;
    const res = await fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` }, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`Twilio answered ${res.status} for the recording`);
    return Buffer.from(await res.arrayBuffer());
  };

  const keep = async (v: VoicemailRecord): Promise<void> => {
    if (!RECORDING_SID.test(v.recordingSid)) return store.voicemails.gaveUp(v.id, 'the recording id from Twilio is malformed');
    let audio: Buffer;
    try {
      audio = await download(v);
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${v.recordingSid}.wav`);
      await writeFile(file, audio, { mode: 0o600 });
      store.voicemails.saved(v.id, file);
    } catch (err) {
      const why = (err as Error).message;
      if (store.voicemails.attempted(v.id, why) >= MAX_FETCH_ATTEMPTS) store.voicemails.gaveUp(v.id, why);
      log.warn(`Voicemail ${v.id}: not fetched yet (${why})`);
      return;
    }
    if (loadKnowledge(store).voicemail.deleteFromTwilio) {
      try {
        await rest()?.recordings(v.recordingSid).remove();
        store.voicemails.removedFromTwilio(v.id, Date.now());
      } catch (err) {
        log.warn(`Voicemail ${v.id}: kept on the PC, but not deleted from Twilio (${(err as Error).message})`);
      }
    }
    if (config.openai.apiKey) {
      try {
        const client = new OpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseUrl ?? undefined, maxRetries: 3 });
        const result = await client.audio.transcriptions.create({ file: await toFile(audio, `${v.recordingSid}.wav`, { type: 'audio/wav' }), model: TRANSCRIBE_MODEL });
        if (result.text.trim()) store.voicemails.setTranscript(v.id, result.text.trim());
      } catch (err) {
        log.warn(`Voicemail ${v.id}: not transcribed (${(err as Error).message})`);
      }
    }
    events.emit('inbox.changed', {});
  };

  const drain = () => {
    running = running
      .then(async () => {
        for (const v of store.voicemails.toFetch(MAX_FETCH_ATTEMPTS, 20)) await keep(v);
      })
      .catch((err: Error) => log.error(`Voicemails: ${err.message}`));
  };
  const timer = setInterval(drain, TICK_MS);
  timer.unref();
  const first = setTimeout(drain, 0);
  first.unref();
  return {
    kick: drain,
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
