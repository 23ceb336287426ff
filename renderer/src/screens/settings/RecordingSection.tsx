import { useState } from 'react';
import { Field } from '../../components/common';
import type { ClinicKnowledge, RecordingConsent, RecordingSettings } from '../../contract';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/** Shown as the placeholder of the consent line: what the greeting adds when the clinic writes nothing. */
const DEFAULT_LINES: Record<RecordingConsent, string> = {
  announce: 'This call is recorded for quality and training.',
  ask: 'This call may be recorded for quality; just tell me if you would rather it was not.',
};

/** Call recording: off unless the clinic turns it on, always announced, optionally declinable. */
export function RecordingSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [r, setR] = useState<RecordingSettings>(clinic.recording);
  const update = useClinicUpdate();
  const set = <K extends keyof RecordingSettings>(key: K, value: RecordingSettings[K]) => setR({ ...r, [key]: value });
  return (
    <SettingsForm
      title="Call recording"
      description="Both sides of each call are kept on this PC as a stereo WAV (the caller on the left, the receptionist as the caller heard it on the right) and play in call detail. Recordings are deleted with transcripts under Retention. Some states require every party's consent: the greeting always says the call is recorded."
      onSubmit={() => void update.save({ recording: r })}
      busy={update.busy}
      engineError={update.error}
      problem={null}
      saved={update.saved}
    >
      <label className="checkbox">
        <input type="checkbox" checked={r.enabled} onChange={(e) => set('enabled', e.target.checked)} /> Record calls
      </label>
      <Field label="Consent">
        {(p) => (
          <select {...p} value={r.consent} onChange={(e) => set('consent', e.target.value as RecordingConsent)}>
            <option value="announce">Announce it in the greeting</option>
            <option value="ask">Announce it, and stop recording if the caller says no (nothing of the call is kept)</option>
          </select>
        )}
      </Field>
      <Field label="Consent line (added to the greeting)" hint="Leave empty for the wording shown.">
        {(p) => <input {...p} maxLength={300} placeholder={DEFAULT_LINES[r.consent]} value={r.consentLine} onChange={(e) => set('consentLine', e.target.value)} />}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={r.includeInBackups} onChange={(e) => set('includeInBackups', e.target.checked)} /> Include recordings in backups (encrypted when backups are; they take far more space than the database)
      </label>
    </SettingsForm>
  );
}
