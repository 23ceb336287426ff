import { useState } from 'react';
import type { ClinicKnowledge } from '../../contract';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/** Where voicemails live: always on this PC; and, unless the clinic wants a copy kept there, not at Twilio. */
export function VoicemailSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [deleteFromTwilio, setDelete] = useState(clinic.voicemail.deleteFromTwilio);
  const update = useClinicUpdate();
  return (
    <SettingsForm
      title="Voicemails"
      description="Each voicemail is downloaded into Deskline's data folder as soon as Twilio has it, transcribed for the Inbox, and played from here, with no Twilio login."
      onSubmit={() => void update.save({ voicemail: { deleteFromTwilio } })}
      busy={update.busy}
      engineError={update.error}
      problem={null}
      saved={update.saved}
    >
      <label className="checkbox">
        <input type="checkbox" checked={deleteFromTwilio} onChange={(e) => setDelete(e.target.checked)} /> Delete each voicemail from Twilio once it is on this PC (patients' voices do not stay in the cloud)
      </label>
    </SettingsForm>
  );
}
