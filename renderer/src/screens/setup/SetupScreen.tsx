import { useState, type ReactNode } from 'react';
import { Badge, ErrorNote, Field, Loading } from '../../components/common';
import { fromDraft, HoursEditor, toDraft } from '../../components/HoursEditor';
import { SecretField } from '../../components/SecretField';
import type { ChecklistItem, ClinicKnowledge, EngineSettingsView } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useEngineQuery, useMutation } from '../../engine/query';
import { isValidTimezone, knownTimezones } from '../../format/time';
import { normalizePhone, validateE164, validateHttpsUrl, validateOpenAiKey, validateRequired, validateTwilioSid, validateTwilioToken, validateWhole } from '../../format/validate';
import { firstProblem, type Problems } from '../settings/parts';
import { PhoneNumberSection } from '../settings/PhoneNumberSection';
import { TestCallPanel } from '../../test-call/TestCallPanel';

const STEPS = [
  { id: 'clinic', label: 'Clinic', keys: ['clinic'] },
  { id: 'hours', label: 'Hours', keys: ['hours'] },
  { id: 'service', label: 'First service', keys: ['service'] },
  { id: 'openai', label: 'OpenAI', keys: ['openai'] },
  { id: 'try', label: 'Try it', keys: ['testCall'] },
  { id: 'twilio', label: 'Phone line', keys: ['twilio', 'publicUrl', 'number'] },
  { id: 'done', label: 'Check', keys: [] },
] as const;

type StepId = (typeof STEPS)[number]['id'];

function firstUndone(items: ChecklistItem[] | undefined): number {
  if (!items) return 0;
  // The test call is offered on the way, never waited for.
  const i = STEPS.findIndex((s) => s.keys.some((k) => items.some((item) => item.key === k && !item.done && !item.optional)));
  return i === -1 ? STEPS.length - 1 : i;
}

/**
 * First run: a short path through what Deskline needs to answer calls, ending with the
 * checklist of what is configured and reachable. Every step can be skipped and redone
 * later in Settings.
 */
export function SetupScreen({ onFinish }: { onFinish: () => void }) {
  const checklist = useEngineQuery('setup/checklist', {});
  const { clinic, reload: reloadClinic } = useClinic();
  const settings = useEngineQuery('settings/get', {});
  const [step, setStep] = useState<number | null>(null);
  const current = step ?? firstUndone(checklist.data);
  const id: StepId = STEPS[current]!.id;

  const next = () => {
    void checklist.reload();
    void reloadClinic();
    setStep(Math.min(current + 1, STEPS.length - 1));
  };

  if (!checklist.data && !checklist.error) return <Loading label="Checking what is set up…" />;

  return (
    <section className="screen setup" aria-labelledby="setup-title">
      <header className="screen-header">
        <h1 id="setup-title">Set up Deskline</h1>
        <p className="screen-sub">A few minutes now, and the receptionist can answer the clinic’s calls.</p>
        <div className="screen-actions">
          <button type="button" className="ghost" onClick={onFinish}>
            Finish later
          </button>
        </div>
      </header>
      <ol className="steps" aria-label="Setup steps">
        {STEPS.map((s, i) => {
          const done = s.keys.length > 0 && s.keys.every((k) => checklist.data?.some((item) => item.key === k && item.done));
          return (
            <li key={s.id}>
              <button type="button" aria-current={i === current ? 'step' : undefined} onClick={() => setStep(i)} className={done ? 'step-done' : ''}>
                <span className="step-n">{done ? '✓' : i + 1}</span> {s.label}
              </button>
            </li>
          );
        })}
      </ol>
      <ErrorNote error={checklist.error} />
      <div className="setup-body">
        {id === 'clinic' ? (
          clinic ? <ClinicStep clinic={clinic} onDone={next} /> : <Loading />
        ) : id === 'hours' ? (
          clinic ? <HoursStep clinic={clinic} onDone={next} /> : <Loading />
        ) : id === 'service' ? (
          clinic ? <ServiceStep clinic={clinic} onDone={next} /> : <Loading />
        ) : id === 'openai' ? (
          settings.data ? <OpenAiStep view={settings.data} onDone={(v) => (settings.setData(v), next())} /> : <Loading />
        ) : id === 'try' ? (
          <TryStep onDone={next} />
        ) : id === 'twilio' ? (
          settings.data ? <TwilioStep view={settings.data} onDone={(v) => (settings.setData(v), next())} onSaved={(v) => settings.setData(v)} /> : <Loading />
        ) : (
          <ChecklistStep items={checklist.data ?? []} onRefresh={() => void checklist.reload()} onFinish={onFinish} onGoTo={(k) => setStep(STEPS.findIndex((s) => (s.keys as readonly string[]).includes(k)))} />
        )}
        {id !== 'done' ? (
          <p className="skip">
            <button type="button" className="link" onClick={() => setStep(current + 1)}>
              Skip this step
            </button>
          </p>
        ) : null}
      </div>
    </section>
  );
}

function StepForm({ title, intro, children, onSubmit, busy, problem, engineError }: { title: string; intro: string; children: ReactNode; onSubmit: () => void; busy: boolean; problem: string | null; engineError: { message: string } | null }) {
  return (
    <form
      className="settings-form"
      aria-label={title}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2>{title}</h2>
      <p className="muted">{intro}</p>
      {children}
      <div className="form-actions">
        <ErrorNote error={problem} />
        <ErrorNote error={engineError ? `Not saved: ${engineError.message}` : null} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save and continue'}
        </button>
      </div>
    </form>
  );
}

function ClinicStep({ clinic, onDone }: { clinic: ClinicKnowledge; onDone: () => void }) {
  const [name, setName] = useState(clinic.profile.name === 'the clinic' ? '' : clinic.profile.name);
  const [tz, setTz] = useState(clinic.profile.timezone || Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [problems, setProblems] = useState<Problems>({});
  const m = useMutation();
  const submit = async () => {
    const p: Problems = { name: validateRequired(name, 'Clinic name', 120), tz: isValidTimezone(tz.trim()) ? null : `"${tz}" is not a known time zone; use a name like America/New_York.` };
    setProblems(p);
    if (firstProblem(p)) return;
    const reply = await m.run('clinic/update', { profile: { ...clinic.profile, name: name.trim(), timezone: tz.trim() } });
    if (reply.ok) onDone();
  };
  return (
    <StepForm title="Your clinic" intro="The receptionist answers with this name. Appointments and hours are in this time zone." onSubmit={() => void submit()} busy={m.busy} problem={firstProblem(problems)} engineError={m.error}>
      <Field label="Clinic name" error={problems.name}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoFocus />}
      </Field>
      <Field label="Time zone" error={problems.tz}>
        {(p) => (
          <>
            <input {...p} list="setup-tz" value={tz} onChange={(e) => setTz(e.target.value)} spellCheck={false} />
            <datalist id="setup-tz">
              {knownTimezones().map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </StepForm>
  );
}

function HoursStep({ clinic, onDone }: { clinic: ClinicKnowledge; onDone: () => void }) {
  const [draft, setDraft] = useState(() => toDraft(clinic.hours));
  const [problem, setProblem] = useState<string | null>(null);
  const m = useMutation();
  const submit = async () => {
    const r = fromDraft(draft, 'Opening hours');
    setProblem(r.error);
    if (!r.hours) return;
    const reply = await m.run('clinic/update', { hours: r.hours });
    if (reply.ok) onDone();
  };
  return (
    <StepForm title="Opening hours" intro="Callers are only offered appointments when the clinic is open. Add a second span for a lunch break." onSubmit={() => void submit()} busy={m.busy} problem={problem} engineError={m.error}>
      <HoursEditor label="Opening hours" value={draft} onChange={setDraft} />
    </StepForm>
  );
}

function ServiceStep({ clinic, onDone }: { clinic: ClinicKnowledge; onDone: () => void }) {
  const [name, setName] = useState('');
  const [duration, setDuration] = useState('30');
  const [providerName, setProviderName] = useState('');
  const [providerId, setProviderId] = useState<number | 'new'>(clinic.providers[0]?.id ?? 'new');
  const [problems, setProblems] = useState<Problems>({});
  const m = useMutation();
  const submit = async () => {
    const p: Problems = {
      name: validateRequired(name, 'Service name', 120),
      duration: validateWhole(duration, 'Duration (minutes)', 5, 600),
      provider: providerId === 'new' ? validateRequired(providerName, 'Who provides it', 120) : null,
    };
    setProblems(p);
    if (firstProblem(p)) return;
    let pid = providerId;
    if (pid === 'new') {
      // The first provider works the clinic's hours; Settings can refine them.
      const made = await m.run('providers/save', { name: providerName.trim(), hours: clinic.hours, calendarId: null });
      if (!made.ok) return;
      pid = made.value.id;
      setProviderId(pid);
    }
    const reply = await m.run('services/save', { name: name.trim(), durationMin: Number(duration), bufferAfterMin: 0, priceCents: null, priceFrom: false, providerIds: [pid] });
    if (reply.ok) onDone();
  };
  return (
    <StepForm title="Your first service" intro="Something callers can book. Add the rest, with prices, in Settings → Services." onSubmit={() => void submit()} busy={m.busy} problem={firstProblem(problems)} engineError={m.error}>
      <Field label="Service name" error={problems.name}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Initial consultation" autoFocus />}
      </Field>
      <Field label="Duration (minutes)" error={problems.duration}>
        {(p) => <input {...p} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />}
      </Field>
      {clinic.providers.length > 0 ? (
        <Field label="Who provides it">
          {(p) => (
            <select {...p} value={providerId} onChange={(e) => setProviderId(e.target.value === 'new' ? 'new' : Number(e.target.value))}>
              {clinic.providers.map((pr) => (
                <option key={pr.id} value={pr.id}>
                  {pr.name}
                </option>
              ))}
              <option value="new">Someone new…</option>
            </select>
          )}
        </Field>
      ) : null}
      {providerId === 'new' ? (
        <Field label={clinic.providers.length > 0 ? 'New provider’s name' : 'Who provides it'} error={problems.provider} hint="They work the clinic’s opening hours until you change them.">
          {(p) => <input {...p} value={providerName} onChange={(e) => setProviderName(e.target.value)} placeholder="e.g. Dr. Priya Shah" />}
        </Field>
      ) : null}
    </StepForm>
  );
}

function OpenAiStep({ view, onDone }: { view: EngineSettingsView; onDone: (v: EngineSettingsView) => void }) {
  const [key, setKey] = useState('');
  const [replacing, setReplacing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const m = useMutation();
  const submit = async () => {
    if (view.openai.apiKeySet && !replacing) return onDone(view);
    const p = validateOpenAiKey(key);
    setProblem(p);
    if (p) return;
    const reply = await m.run('settings/update', { openai: { apiKey: key.trim() } });
    if (reply.ok) {
      setKey('');
      onDone(reply.value);
    }
  };
  return (
    <StepForm title="OpenAI API key" intro="The receptionist’s voice runs on OpenAI Realtime, billed to your own OpenAI account. Create a key at platform.openai.com → API keys." onSubmit={() => void submit()} busy={m.busy} problem={problem} engineError={m.error}>
      <SecretField label="OpenAI API key" isSet={view.openai.apiKeySet} value={key} onChange={setKey} replacing={replacing} onReplacing={setReplacing} error={problem} />
    </StepForm>
  );
}

/** Before the clinic's number is pointed here: the receptionist, heard from this PC's microphone. */
function TryStep({ onDone }: { onDone: () => void }) {
  return (
    <div className="settings-form" aria-labelledby="try-title">
      <h2 id="try-title">Talk to the receptionist</h2>
      <p className="muted">
        Hear it before any patient does: talk to it from this PC’s microphone, as a caller would. Ask about opening hours, or book an appointment. The call shows on Live calls and in the call log, marked as a test, and is left out of the clinic’s figures.
      </p>
      <TestCallPanel />
      <div className="form-actions">
        <button type="button" className="primary" onClick={onDone}>
          Continue to the phone line
        </button>
      </div>
    </div>
  );
}

function TwilioStep({ view, onDone, onSaved }: { view: EngineSettingsView; onDone: (v: EngineSettingsView) => void; onSaved: (v: EngineSettingsView) => void }) {
  const t = view.telephony;
  const [sid, setSid] = useState(t.twilioAccountSid ?? '');
  const [token, setToken] = useState('');
  const [replacing, setReplacing] = useState(false);
  const [number, setNumber] = useState(t.twilioNumber ?? '');
  const [url, setUrl] = useState(t.publicBaseUrl ?? '');
  const [problems, setProblems] = useState<Problems>({});
  const m = useMutation();
  const needToken = !t.twilioAuthTokenSet || replacing;
  const submit = async () => {
    const p: Problems = {
      sid: validateTwilioSid(sid),
      token: needToken ? validateTwilioToken(token) : null,
      number: validateE164(number, 'Twilio phone number'),
      url: validateHttpsUrl(url, 'Public URL'),
    };
    setProblems(p);
    if (firstProblem(p)) return;
    const reply = await m.run('settings/update', {
      telephony: { twilioAccountSid: sid.trim(), ...(token.trim() ? { twilioAuthToken: token.trim() } : {}), twilioNumber: normalizePhone(number), publicBaseUrl: url.trim().replace(/\/$/, '') },
    });
    if (reply.ok) {
      setToken('');
      // With the account known, the number is picked below; the step is done once it points here.
      if (credentialsSet) onDone(reply.value);
      else onSaved(reply.value);
    }
  };
  const credentialsSet = Boolean(t.twilioAccountSid && t.twilioAuthTokenSet);
  return (
    <>
    <StepForm
      title="Phone line"
      intro="From the Twilio console: your Account SID and Auth Token, the clinic’s Twilio number, and the https address of your tunnel to this PC (e.g. cloudflared tunnel --url http://localhost:8080)."
      onSubmit={() => void submit()}
      busy={m.busy}
      problem={firstProblem(problems)}
      engineError={m.error}
    >
      <Field label="Account SID" error={problems.sid}>
        {(p) => <input {...p} value={sid} onChange={(e) => setSid(e.target.value)} spellCheck={false} autoComplete="off" />}
      </Field>
      <SecretField label="Auth token" isSet={t.twilioAuthTokenSet} value={token} onChange={setToken} replacing={replacing} onReplacing={setReplacing} error={problems.token} />
      <Field label="Twilio phone number" error={problems.number} hint="e.g. +15551234567">
        {(p) => <input {...p} type="tel" value={number} onChange={(e) => setNumber(e.target.value)} />}
      </Field>
      <Field label="Public URL" error={problems.url} hint="The https address of your tunnel or port-forward to this PC. Twilio sends the clinic’s calls there.">
        {(p) => <input {...p} type="url" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} />}
      </Field>
    </StepForm>
    {credentialsSet ? <PhoneNumberSection /> : null}
    </>
  );
}

function ChecklistStep({ items, onRefresh, onFinish, onGoTo }: { items: ChecklistItem[]; onRefresh: () => void; onFinish: () => void; onGoTo: (key: ChecklistItem['key']) => void }) {
  const status = useEngineQuery('status/get', {});
  const missing = items.filter((i) => !i.done && !i.optional);
  const remaining = missing.length;
  const url = status.data?.publicUrl;
  return (
    <div className="settings-form">
      <h2>{remaining === 0 ? 'Deskline is ready to answer calls' : `${remaining} thing${remaining === 1 ? '' : 's'} left to set up`}</h2>
      <p role="status">
        {remaining === 0
          ? 'Calls to the clinic’s number now reach the receptionist on this PC.'
          : `Still missing for live calls: ${missing.map((i) => i.label.charAt(0).toLowerCase() + i.label.slice(1)).join('; ')}. Until then, calls to the clinic are not answered by Deskline.`}
      </p>
      <ul className="checklist" aria-label="Setup checklist">
        {items.map((item) => (
          <li key={item.key} className={item.done ? 'done' : 'todo'}>
            <span className="check-mark" aria-hidden="true">
              {item.done ? '✓' : '○'}
            </span>
            <span>
              <strong>{item.label}</strong> <span className="visually-hidden">{item.done ? '(done)' : '(not done)'}</span>
              {item.detail ? <span className="muted"> — {item.detail}</span> : null}
            </span>
            {!item.done ? (
              <button type="button" className="link" onClick={() => onGoTo(item.key)}>
                Set up
              </button>
            ) : null}
          </li>
        ))}
        {url?.url ? (
          <li className={url.reachable ? 'done' : 'todo'}>
            <span className="check-mark" aria-hidden="true">
              {url.reachable ? '✓' : '○'}
            </span>
            <span>
              <strong>Public URL answers</strong> <Badge tone={url.reachable ? 'ok' : url.reachable === null ? 'neutral' : 'danger'}>{url.reachable ? 'reachable' : url.reachable === null ? 'not checked yet' : 'not reachable'}</Badge>
              <span className="muted"> — {url.url}</span>
            </span>
          </li>
        ) : null}
      </ul>
      <div className="form-actions">
        <button
          type="button"
          onClick={() => {
            onRefresh();
            void status.reload();
          }}
        >
          Check again
        </button>
        <button type="button" className="primary" onClick={onFinish}>
          {remaining === 0 ? 'Open the dashboard' : 'Open the dashboard anyway'}
        </button>
      </div>
    </div>
  );
}
