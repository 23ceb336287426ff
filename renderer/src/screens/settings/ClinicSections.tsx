import { useState } from 'react';
import { ConfirmDialog, Field } from '../../components/common';
import { fromDraft, HoursEditor, toDraft } from '../../components/HoursEditor';
import type { ClinicKnowledge, ClinicUpdate } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useMutation } from '../../engine/query';
import { formatPlainDate, isValidDate, isValidTimezone, knownTimezones } from '../../format/time';
import { validateMax, validatePhone, validateRequired, validateWhole } from '../../format/validate';
import { firstProblem, SettingsForm, useSavedFlag, type Problems } from './parts';

/** Saves part of the clinic and refreshes everyone's copy of it. */
export function useClinicUpdate() {
  const mutation = useMutation();
  const { reload } = useClinic();
  const [saved, markSaved, clearSaved] = useSavedFlag();
  const save = async (update: ClinicUpdate): Promise<ClinicKnowledge | null> => {
    clearSaved();
    const reply = await mutation.run('clinic/update', update);
    if (!reply.ok) return null;
    markSaved();
    void reload();
    return reply.value;
  };
  return { save, busy: mutation.busy, error: mutation.error, saved };
}

export function ProfileSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [name, setName] = useState(clinic.profile.name === 'the clinic' ? '' : clinic.profile.name);
  const [address, setAddress] = useState(clinic.profile.address);
  const [phone, setPhone] = useState(clinic.profile.phone);
  const [timezone, setTimezone] = useState(clinic.profile.timezone);
  const [problems, setProblems] = useState<Problems>({});
  const update = useClinicUpdate();
  const zones = knownTimezones();

  const submit = () => {
    const p: Problems = {
      name: validateRequired(name, 'Clinic name', 120),
      address: validateMax(address, 'Address', 300),
      phone: phone.trim() ? validatePhone(phone, 'Clinic phone') : null,
      timezone: !timezone.trim() ? 'Time zone is required.' : isValidTimezone(timezone.trim()) ? null : `"${timezone}" is not a known time zone; use a name like America/New_York.`,
    };
    setProblems(p);
    if (firstProblem(p)) return;
    void update.save({ profile: { name: name.trim(), address: address.trim(), phone: phone.trim(), timezone: timezone.trim() } });
  };

  return (
    <SettingsForm title="Clinic profile" description="The receptionist says the clinic’s name when it answers and gives the address and phone when asked." onSubmit={submit} busy={update.busy} engineError={update.error} problem={firstProblem(problems)} saved={update.saved}>
      <Field label="Clinic name" error={problems.name}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />}
      </Field>
      <Field label="Address" error={problems.address}>
        {(p) => <textarea {...p} rows={2} value={address} onChange={(e) => setAddress(e.target.value)} />}
      </Field>
      <Field label="Clinic phone" error={problems.phone} hint="The number patients know; optional.">
        {(p) => <input {...p} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />}
      </Field>
      <Field label="Time zone" error={problems.timezone} hint="Hours and appointments are in this zone, e.g. America/New_York.">
        {(p) => (
          <>
            <input {...p} list="tz-list" value={timezone} onChange={(e) => setTimezone(e.target.value)} spellCheck={false} />
            <datalist id="tz-list">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </SettingsForm>
  );
}

export function HoursSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [draft, setDraft] = useState(() => toDraft(clinic.hours));
  const [problem, setProblem] = useState<string | null>(null);
  const update = useClinicUpdate();
  const submit = () => {
    const result = fromDraft(draft, 'Opening hours');
    setProblem(result.error);
    if (result.hours) void update.save({ hours: result.hours });
  };
  return (
    <SettingsForm title="Opening hours" description="When the clinic is open. Appointments are only offered inside these hours and the provider’s own." onSubmit={submit} busy={update.busy} engineError={update.error} problem={problem} saved={update.saved}>
      <HoursEditor label="Opening hours" value={draft} onChange={setDraft} />
    </SettingsForm>
  );
}

export function RulesSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [lead, setLead] = useState(String(clinic.rules.minLeadMinutes));
  const [horizon, setHorizon] = useState(String(clinic.rules.horizonDays));
  const [step, setStep] = useState(String(clinic.rules.slotStepMinutes));
  const [problems, setProblems] = useState<Problems>({});
  const update = useClinicUpdate();
  const submit = () => {
    const p: Problems = {
      lead: validateWhole(lead, 'Minimum notice (minutes)', 0, 60 * 24 * 30),
      horizon: validateWhole(horizon, 'Booking horizon (days)', 1, 730),
      step: validateWhole(step, 'Slot step (minutes)', 5, 240),
    };
    setProblems(p);
    if (firstProblem(p)) return;
    void update.save({ rules: { minLeadMinutes: Number(lead), horizonDays: Number(horizon), slotStepMinutes: Number(step) } });
  };
  return (
    <SettingsForm title="Booking rules" onSubmit={submit} busy={update.busy} engineError={update.error} problem={firstProblem(problems)} saved={update.saved}>
      <div className="form-row">
        <Field label="Minimum notice (minutes)" error={problems.lead} hint="No booking sooner than this from now.">
          {(p) => <input {...p} inputMode="numeric" value={lead} onChange={(e) => setLead(e.target.value)} />}
        </Field>
        <Field label="Booking horizon (days)" error={problems.horizon} hint="How far ahead callers may book.">
          {(p) => <input {...p} inputMode="numeric" value={horizon} onChange={(e) => setHorizon(e.target.value)} />}
        </Field>
        <Field label="Slot step (minutes)" error={problems.step} hint="Appointments start on these steps.">
          {(p) => <input {...p} inputMode="numeric" value={step} onChange={(e) => setStep(e.target.value)} />}
        </Field>
      </div>
    </SettingsForm>
  );
}

export function ClosuresSection({ clinic }: { clinic: ClinicKnowledge }) {
  const { reload } = useClinic();
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [removing, setRemoving] = useState<number | null>(null);
  const add = useMutation();
  const remove = useMutation();
  const [saved, markSaved, clearSaved] = useSavedFlag();

  const submit = async () => {
    clearSaved();
    const p: Problems = {
      start: isValidDate(start) ? null : 'First closed day must be a date.',
      end: end && !isValidDate(end) ? 'Last closed day must be a date.' : end && end < start ? 'The last closed day must not be before the first.' : null,
      reason: validateMax(reason, 'Reason', 200),
    };
    setProblems(p);
    if (firstProblem(p)) return;
    const reply = await add.run('closures/add', { startDate: start, ...(end ? { endDate: end } : {}), ...(reason.trim() ? { reason: reason.trim() } : {}) });
    if (reply.ok) {
      setStart('');
      setEnd('');
      setReason('');
      markSaved();
      void reload();
    }
  };

  const closures = [...clinic.closures].sort((a, b) => a.startDate.localeCompare(b.startDate));
  return (
    <div className="settings-block">
      <SettingsForm title="Closures and holidays" description="Days the clinic is shut. The receptionist tells callers and offers no appointments." onSubmit={() => void submit()} busy={add.busy} engineError={add.error} problem={firstProblem(problems)} saved={saved} saveLabel="Add closure">
        <div className="form-row">
          <Field label="First closed day" error={problems.start}>
            {(p) => <input {...p} type="date" value={start} onChange={(e) => setStart(e.target.value)} />}
          </Field>
          <Field label="Last closed day" error={problems.end} hint="Leave empty for one day.">
            {(p) => <input {...p} type="date" value={end} onChange={(e) => setEnd(e.target.value)} />}
          </Field>
          <Field label="Reason" error={problems.reason}>
            {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. Public holiday" />}
          </Field>
        </div>
      </SettingsForm>
      {closures.length === 0 ? (
        <p className="muted">No closures planned.</p>
      ) : (
        <ul className="plain-list" aria-label="Closures">
          {closures.map((c) => (
            <li key={c.id}>
              <span>
                {formatPlainDate(c.startDate)}
                {c.endDate !== c.startDate ? ` – ${formatPlainDate(c.endDate)}` : ''}
                {c.reason ? ` · ${c.reason}` : ''}
              </span>
              <button type="button" className="ghost" onClick={() => setRemoving(c.id)} aria-label={`Remove closure from ${c.startDate}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {removing !== null ? (
        <ConfirmDialog
          title="Remove this closure?"
          confirmLabel="Remove"
          busy={remove.busy}
          error={remove.error}
          onCancel={() => setRemoving(null)}
          onConfirm={async () => {
            const reply = await remove.run('closures/remove', { id: removing });
            if (reply.ok) {
              setRemoving(null);
              void reload();
            }
          }}
        >
          <p>Callers will be offered appointments on these days again.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

export function PoliciesSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [policies, setPolicies] = useState(clinic.policies.map((p) => ({ ...p })));
  const [faqs, setFaqs] = useState(clinic.faqs.map((f) => ({ question: f.question, answer: f.answer })));
  const [problem, setProblem] = useState<string | null>(null);
  const update = useClinicUpdate();

  const submit = () => {
    let p: string | null = null;
    for (const [i, x] of policies.entries()) p ??= validateRequired(x.title, `Policy ${i + 1} title`, 120) ?? validateRequired(x.text, `Policy ${i + 1} text`, 2000);
    for (const [i, x] of faqs.entries()) p ??= validateRequired(x.question, `FAQ ${i + 1} question`, 300) ?? validateRequired(x.answer, `FAQ ${i + 1} answer`, 2000);
    setProblem(p);
    if (p) return;
    void update.save({ policies: policies.map((x) => ({ title: x.title.trim(), text: x.text.trim() })), faqs: faqs.map((x) => ({ question: x.question.trim(), answer: x.answer.trim() })) });
  };

  return (
    <SettingsForm title="Policies and FAQs" description="What the receptionist may tell callers: cancellation policy, parking, what to bring…" onSubmit={submit} busy={update.busy} engineError={update.error} problem={problem} saved={update.saved}>
      <fieldset>
        <legend>Policies</legend>
        {policies.length === 0 ? <p className="muted">No policies yet.</p> : null}
        {policies.map((x, i) => (
          <div key={i} className="list-editor-item">
            <Field label={`Policy ${i + 1} title`}>{(p) => <input {...p} value={x.title} onChange={(e) => setPolicies(policies.map((y, j) => (j === i ? { ...y, title: e.target.value } : y)))} />}</Field>
            <Field label={`Policy ${i + 1} text`}>{(p) => <textarea {...p} rows={3} value={x.text} onChange={(e) => setPolicies(policies.map((y, j) => (j === i ? { ...y, text: e.target.value } : y)))} />}</Field>
            <button type="button" className="ghost" onClick={() => setPolicies(policies.filter((_, j) => j !== i))} aria-label={`Remove policy ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setPolicies([...policies, { title: '', text: '' }])}>
          + Add policy
        </button>
      </fieldset>
      <fieldset>
        <legend>Frequently asked questions</legend>
        {faqs.length === 0 ? <p className="muted">No FAQs yet.</p> : null}
        {faqs.map((x, i) => (
          <div key={i} className="list-editor-item">
            <Field label={`Question ${i + 1}`}>{(p) => <input {...p} value={x.question} onChange={(e) => setFaqs(faqs.map((y, j) => (j === i ? { ...y, question: e.target.value } : y)))} />}</Field>
            <Field label={`Answer ${i + 1}`}>{(p) => <textarea {...p} rows={3} value={x.answer} onChange={(e) => setFaqs(faqs.map((y, j) => (j === i ? { ...y, answer: e.target.value } : y)))} />}</Field>
            <button type="button" className="ghost" onClick={() => setFaqs(faqs.filter((_, j) => j !== i))} aria-label={`Remove question ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setFaqs([...faqs, { question: '', answer: '' }])}>
          + Add question
        </button>
      </fieldset>
    </SettingsForm>
  );
}

/** OpenAI Realtime voices. */
const VOICES = ['marin', 'cedar', 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'];

export function ReceptionistSection({ clinic }: { clinic: ClinicKnowledge }) {
  const r = clinic.receptionist;
  const [voice, setVoice] = useState(r.voice);
  const [greeting, setGreeting] = useState(r.greeting);
  const [extra, setExtra] = useState(r.extraInstructions);
  const [problems, setProblems] = useState<Problems>({});
  const update = useClinicUpdate();
  const submit = () => {
    const p: Problems = {
      voice: validateRequired(voice, 'Voice', 40),
      greeting: validateMax(greeting, 'Greeting', 500),
      extra: validateMax(extra, 'Extra instructions', 4000),
    };
    setProblems(p);
    if (firstProblem(p)) return;
    void update.save({ receptionist: { voice: voice.trim(), greeting: greeting.trim(), extraInstructions: extra.trim() } });
  };
  return (
    <SettingsForm title="Receptionist" description="How the receptionist sounds and opens each call. Changes apply from the next call." onSubmit={submit} busy={update.busy} engineError={update.error} problem={firstProblem(problems)} saved={update.saved}>
      <Field label="Voice" error={problems.voice}>
        {(p) => (
          <select {...p} value={voice} onChange={(e) => setVoice(e.target.value)}>
            {[...new Set([voice, ...VOICES])].map((v) => (
              <option key={v} value={v}>
                {v[0]?.toUpperCase()}
                {v.slice(1)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Greeting" error={problems.greeting} hint={`${greeting.length}/500 · leave empty for the default greeting with the clinic's name`}>
        {(p) => <textarea {...p} rows={3} value={greeting} placeholder={r.defaultGreeting} onChange={(e) => setGreeting(e.target.value)} />}
      </Field>
      <Field label="Extra instructions" error={problems.extra} hint={`${extra.length}/4000 · e.g. “Always ask new patients how they heard about us.”`}>
        {(p) => <textarea {...p} rows={6} value={extra} onChange={(e) => setExtra(e.target.value)} />}
      </Field>
    </SettingsForm>
  );
}
