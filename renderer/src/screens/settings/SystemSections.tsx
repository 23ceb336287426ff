import { useEffect, useState } from 'react';
import { Badge, ErrorNote, Field, Loading } from '../../components/common';
import { useInterval } from '../../components/hooks';
import { SecretField } from '../../components/SecretField';
import type { EngineSettingsUpdate, EngineSettingsView } from '../../contract';
import { useEngineQuery, useMutation } from '../../engine/query';
import { normalizePhone, validateE164, validateHttpsUrl, validateMax, validateOpenAiKey, validateTwilioSid, validateTwilioToken, validateWhole } from '../../format/validate';
import { BackupsSection } from './BackupsSection';
import { firstProblem, SettingsForm, useSavedFlag, type Problems } from './parts';

const MODELS = ['gpt-realtime', 'gpt-realtime-mini'];

/** Telephony, OpenAI and retention: engine settings whose secrets never come back. */
export function EngineSettingsSections() {
  const query = useEngineQuery('settings/get', {});
  if (query.error && !query.data) return <ErrorNote error={query.error} />;
  if (!query.data) return <Loading label="Loading settings…" />;
  return (
    <>
      <TelephonySection view={query.data} onSaved={query.setData} />
      <OpenAiSection view={query.data} onSaved={query.setData} />
      <RetentionSection view={query.data} onSaved={query.setData} />
      <BackupsSection />
    </>
  );
}

function useSettingsUpdate(onSaved: (v: EngineSettingsView) => void) {
  const mutation = useMutation();
  const [saved, markSaved, clearSaved] = useSavedFlag();
  const save = async (update: EngineSettingsUpdate) => {
    clearSaved();
    const reply = await mutation.run('settings/update', update);
    if (!reply.ok) return false;
    onSaved(reply.value);
    markSaved();
    return true;
  };
  return { save, busy: mutation.busy, error: mutation.error, saved };
}

export function TelephonySection({ view, onSaved }: { view: EngineSettingsView; onSaved: (v: EngineSettingsView) => void }) {
  const t = view.telephony;
  const [sid, setSid] = useState(t.twilioAccountSid ?? '');
  const [token, setToken] = useState('');
  const [replacingToken, setReplacingToken] = useState(false);
  const [number, setNumber] = useState(t.twilioNumber ?? '');
  const [publicUrl, setPublicUrl] = useState(t.publicBaseUrl ?? '');
  const [transfer, setTransfer] = useState(t.transferNumber ?? '');
  const [problems, setProblems] = useState<Problems>({});
  const update = useSettingsUpdate(onSaved);

  const submit = async () => {
    const p: Problems = {
      sid: sid.trim() ? validateTwilioSid(sid) : null,
      token: (!t.twilioAuthTokenSet || replacingToken) && token.trim() ? validateTwilioToken(token) : null,
      number: number.trim() ? validateE164(number, 'Twilio phone number') : null,
      publicUrl: publicUrl.trim() ? validateHttpsUrl(publicUrl, 'Public URL') : null,
      transfer: transfer.trim() ? validateE164(transfer, 'Front-desk number') : null,
    };
    setProblems(p);
    if (firstProblem(p)) return;
    const telephony: NonNullable<EngineSettingsUpdate['telephony']> = {};
    if (sid.trim() !== (t.twilioAccountSid ?? '')) telephony.twilioAccountSid = sid.trim();
    if (token.trim()) telephony.twilioAuthToken = token.trim();
    const num = number.trim() ? normalizePhone(number) : '';
    if (num !== (t.twilioNumber ?? '')) telephony.twilioNumber = num;
    const url = publicUrl.trim().replace(/\/$/, '');
    if (url !== (t.publicBaseUrl ?? '')) telephony.publicBaseUrl = url;
    const desk = transfer.trim() ? normalizePhone(transfer) : '';
    if (desk !== (t.transferNumber ?? '')) telephony.transferNumber = desk;
    if (Object.keys(telephony).length === 0) return;
    if (await update.save({ telephony })) {
      // The token is gone from this page the moment it is saved.
      setToken('');
      setReplacingToken(false);
    }
  };

  return (
    <SettingsForm
      title="Phone line (Twilio)"
      description="The Twilio number patients call, and the https address where Twilio reaches this PC (your tunnel)."
      onSubmit={() => void submit()}
      busy={update.busy}
      engineError={update.error}
      problem={firstProblem(problems)}
      saved={update.saved}
    >
      <Field label="Account SID" error={problems.sid} hint="Starts with AC; on the Twilio console home page.">
        {(p) => <input {...p} value={sid} onChange={(e) => setSid(e.target.value)} spellCheck={false} autoComplete="off" />}
      </Field>
      <SecretField label="Auth token" isSet={t.twilioAuthTokenSet} value={token} onChange={setToken} replacing={replacingToken} onReplacing={setReplacingToken} error={problems.token} />
      <Field label="Twilio phone number" error={problems.number} hint="International format, e.g. +15551234567.">
        {(p) => <input {...p} type="tel" value={number} onChange={(e) => setNumber(e.target.value)} />}
      </Field>
      <Field label="Public URL" error={problems.publicUrl} hint="The https origin of your tunnel, e.g. https://clinic.trycloudflare.com (no path).">
        {(p) => <input {...p} type="url" value={publicUrl} onChange={(e) => setPublicUrl(e.target.value)} spellCheck={false} />}
      </Field>
      <Field label="Front-desk number for transfers" error={problems.transfer} hint="Where “Transfer to front desk” rings. Leave empty to take voicemails instead.">
        {(p) => <input {...p} type="tel" value={transfer} onChange={(e) => setTransfer(e.target.value)} />}
      </Field>
    </SettingsForm>
  );
}

export function OpenAiSection({ view, onSaved }: { view: EngineSettingsView; onSaved: (v: EngineSettingsView) => void }) {
  const [key, setKey] = useState('');
  const [replacing, setReplacing] = useState(false);
  const [model, setModel] = useState(view.openai.model);
  const [problems, setProblems] = useState<Problems>({});
  const update = useSettingsUpdate(onSaved);
  const editingKey = !view.openai.apiKeySet || replacing;

  const submit = async () => {
    const p: Problems = {
      key: editingKey && (key.trim() || !view.openai.apiKeySet) ? validateOpenAiKey(key) : null,
      model: !model.trim() ? 'Model is required.' : validateMax(model, 'Model', 80),
    };
    setProblems(p);
    if (firstProblem(p)) return;
    const openai: NonNullable<EngineSettingsUpdate['openai']> = {};
    if (key.trim()) openai.apiKey = key.trim();
    if (model.trim() !== view.openai.model) openai.model = model.trim();
    if (Object.keys(openai).length === 0) return;
    if (await update.save({ openai })) {
      setKey('');
      setReplacing(false);
    }
  };

  return (
    <SettingsForm title="OpenAI" description="The receptionist’s voice runs on OpenAI Realtime with your own API key." onSubmit={() => void submit()} busy={update.busy} engineError={update.error} problem={firstProblem(problems)} saved={update.saved}>
      <SecretField label="OpenAI API key" isSet={view.openai.apiKeySet} value={key} onChange={setKey} replacing={replacing} onReplacing={setReplacing} error={problems.key} hint="From platform.openai.com → API keys. Stored on this PC only." />
      <Field label="Model" error={problems.model}>
        {(p) => (
          <>
            <input {...p} list="model-list" value={model} onChange={(e) => setModel(e.target.value)} spellCheck={false} />
            <datalist id="model-list">
              {MODELS.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </SettingsForm>
  );
}

export function RetentionSection({ view, onSaved }: { view: EngineSettingsView; onSaved: (v: EngineSettingsView) => void }) {
  const [days, setDays] = useState(view.retention.transcriptDays === null ? '' : String(view.retention.transcriptDays));
  const [problem, setProblem] = useState<string | null>(null);
  const update = useSettingsUpdate(onSaved);
  const submit = () => {
    const p = days.trim() ? validateWhole(days, 'Keep transcripts for (days)', 1, 3650) : null;
    setProblem(p);
    if (p) return;
    void update.save({ retention: { transcriptDays: days.trim() ? Number(days) : null } });
  };
  return (
    <SettingsForm title="Retention" description="How long call transcripts are kept. Leave empty to keep them until you delete them." onSubmit={submit} busy={update.busy} engineError={update.error} problem={problem} saved={update.saved}>
      <Field label="Keep transcripts for (days)" error={problem}>
        {(p) => <input {...p} inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} placeholder="Forever" />}
      </Field>
    </SettingsForm>
  );
}

export function CalendarSection() {
  const status = useEngineQuery('calendar/status', {});
  const connect = useMutation();
  const disconnect = useMutation();
  const [authUrl, setAuthUrl] = useState<string | null>(null);
  const s = status.data;
  const { reload } = status;

  // While Google's sign-in page is open, watch for the connection to complete.
  useInterval(() => void reload(), s?.connecting || authUrl ? 3000 : null);
  useEffect(() => {
    if (s?.backend === 'google') setAuthUrl(null);
  }, [s?.backend]);

  const start = async () => {
    const reply = await connect.run('calendar/connect-google', {});
    if (!reply.ok) return;
    setAuthUrl(reply.value.authUrl);
    window.open(reply.value.authUrl, '_blank', 'noopener');
    void reload();
  };

  return (
    <section className="settings-form" aria-labelledby="cal-title">
      <h2 id="cal-title">Google Calendar</h2>
      <p className="muted">Appointments always live on this PC. Connect Google Calendar to mirror them into each provider’s calendar and respect their busy time.</p>
      {!s ? (
        <Loading />
      ) : (
        <>
          <p>
            {s.backend === 'google' ? <Badge tone="ok">Connected ✓</Badge> : <Badge>Not connected</Badge>}
            {s.connecting ? (
              <>
                {' '}
                <Badge tone="info">Waiting for Google sign-in…</Badge>
              </>
            ) : null}
          </p>
          {!s.googleAvailable ? <p className="muted">To connect, set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET for Deskline (a Google OAuth “Desktop app” client), then restart it.</p> : null}
          {s.lastError ? <ErrorNote error={`Last attempt failed: ${s.lastError}`} /> : null}
          {authUrl && s.backend !== 'google' ? (
            <p>
              A Google sign-in page should have opened. If it did not,{' '}
              <a href={authUrl} target="_blank" rel="noreferrer">
                open it here
              </a>
              .
            </p>
          ) : null}
          <div className="form-actions">
            {s.backend === 'google' ? (
              <button
                type="button"
                className="danger"
                disabled={disconnect.busy}
                onClick={async () => {
                  const reply = await disconnect.run('calendar/disconnect-google', {});
                  if (reply.ok) status.setData(reply.value);
                }}
              >
                Disconnect Google Calendar
              </button>
            ) : (
              <button type="button" className="primary" disabled={!s.googleAvailable || connect.busy} onClick={() => void start()}>
                {connect.busy ? 'Opening Google…' : 'Connect Google Calendar'}
              </button>
            )}
          </div>
          <ErrorNote error={connect.error ?? disconnect.error ?? status.error} />
        </>
      )}
    </section>
  );
}
