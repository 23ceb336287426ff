import { useState } from 'react';
import type { ClinicKnowledge, IntakeSettings } from '../../contract';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/** What the receptionist asks a new patient before booking, beyond name, date of birth and a callback number. */
export function IntakeSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [intake, setIntake] = useState<IntakeSettings>(clinic.intake);
  const update = useClinicUpdate();
  const box = (key: keyof IntakeSettings, label: string) => (
    <label className="checkbox">
      <input type="checkbox" checked={intake[key]} onChange={(e) => setIntake({ ...intake, [key]: e.target.checked })} /> {label}
    </label>
  );
  return (
    <SettingsForm
      title="New patients"
      description="Before booking a new patient the receptionist always asks for their full name, date of birth and a number to call back (confirming the one they call from). Also ask for:"
      onSubmit={() => void update.save({ intake })}
      busy={update.busy}
      engineError={update.error}
      problem={null}
      saved={update.saved}
    >
      {box('email', 'Email address')}
      {box('insurance', 'Insurance carrier and member ID')}
      {box('reason', 'Reason for the visit')}
    </SettingsForm>
  );
}
