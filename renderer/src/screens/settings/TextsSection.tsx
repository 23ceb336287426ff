import { useState } from 'react';
import { Field } from '../../components/common';
import type { ClinicKnowledge, TextingSettings } from '../../contract';
import { validateWhole } from '../../format/validate';
import { useClinicUpdate } from './ClinicSections';
import { firstProblem, SettingsForm, type Problems } from './parts';

const PLACEHOLDERS = 'Placeholders: {clinic}, {clinic_phone}, {first_name}, {service}, {provider}, {date}, {time}.';

/** The texts Deskline sends on its own: confirmations, reminders, missed-call texts, and when. */
export function TextsSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [t, setT] = useState<TextingSettings>(clinic.texting);
  const [reminder, setReminder] = useState(String(clinic.texting.reminderHours));
  const [second, setSecond] = useState(String(clinic.texting.secondReminderHours));
  const [problems, setProblems] = useState<Problems>({});
  const update = useClinicUpdate();
  const set = <K extends keyof TextingSettings>(key: K, value: TextingSettings[K]) => setT({ ...t, [key]: value });
  const submit = () => {
    const p: Problems = {
      reminder: validateWhole(reminder, 'Reminder (hours before, 0 for none)', 0, 336),
      second: validateWhole(second, 'Second reminder (hours before, 0 for none)', 0, 336),
      window: t.sendFrom < t.sendUntil ? null : 'Send texts from must be before send texts until.',
    };
    setProblems(p);
    if (firstProblem(p)) return;
    void update.save({ texting: { ...t, reminderHours: Number(reminder), secondReminderHours: Number(second) } });
  };
  const wording = (key: 'bookedText' | 'movedText' | 'cancelledText' | 'reminderText' | 'missedCallText', label: string) => (
    <Field label={label} hint={PLACEHOLDERS}>
      {(p) => <textarea {...p} rows={2} maxLength={480} value={t[key]} onChange={(e) => set(key, e.target.value)} />}
    </Field>
  );
  return (
    <SettingsForm
      title="Texts to patients"
      description="Texts go from the clinic's Twilio number, never to a number that replied STOP. Reminders and missed-call texts wait for the sending hours; a reminder due while this PC was off goes out when it starts, if the appointment is still ahead."
      onSubmit={submit}
      busy={update.busy}
      engineError={update.error}
      problem={firstProblem(problems)}
      saved={update.saved}
    >
      <label className="checkbox">
        <input type="checkbox" checked={t.confirmations} onChange={(e) => set('confirmations', e.target.checked)} /> Text a confirmation after each booking, move and cancellation
      </label>
      {wording('bookedText', 'Booked')}
      {wording('movedText', 'Moved')}
      {wording('cancelledText', 'Cancelled')}
      <div className="form-row">
        <Field label="Reminder (hours before, 0 for none)" error={problems.reminder}>
          {(p) => <input {...p} inputMode="numeric" value={reminder} onChange={(e) => setReminder(e.target.value)} />}
        </Field>
        <Field label="Second reminder (hours before, 0 for none)" error={problems.second}>
          {(p) => <input {...p} inputMode="numeric" value={second} onChange={(e) => setSecond(e.target.value)} />}
        </Field>
      </div>
      {wording('reminderText', 'Reminder')}
      <div className="form-row">
        <Field label="Send texts from" error={problems.window} hint="Clinic time">
          {(p) => <input {...p} type="time" value={t.sendFrom} onChange={(e) => set('sendFrom', e.target.value)} />}
        </Field>
        <Field label="Send texts until" hint="Clinic time">
          {(p) => <input {...p} type="time" value={t.sendUntil} onChange={(e) => set('sendUntil', e.target.value)} />}
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={t.missedCallTextBack} onChange={(e) => set('missedCallTextBack', e.target.checked)} /> After a call that ended in the voicemail or before the caller was helped, text them once
      </label>
      {wording('missedCallText', 'Missed-call text')}
    </SettingsForm>
  );
}
