import { useState } from 'react';
import type { ClinicKnowledge } from '../../contract';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/** How callers prove who they are before the receptionist talks about their appointments. */
export function IdentitySection({ clinic }: { clinic: ClinicKnowledge }) {
  const [trust, setTrust] = useState(clinic.identity.trustUnverifiedCallerId);
  const update = useClinicUpdate();
  return (
    <SettingsForm
      title="Caller identity"
      description="Before reading out, moving or cancelling an appointment, the receptionist needs the patient’s name and date of birth, unless the call comes from the patient’s number and the phone network verified that number (STIR/SHAKEN). A caller who cannot be verified is offered a call back."
      onSubmit={() => void update.save({ identity: { trustUnverifiedCallerId: trust } })}
      busy={update.busy}
      engineError={update.error}
      problem={null}
      saved={update.saved}
    >
      <label className="checkbox">
        <input type="checkbox" checked={trust} onChange={(e) => setTrust(e.target.checked)} /> Also trust caller ID the network did not verify (not
        recommended: caller ID can be faked)
      </label>
    </SettingsForm>
  );
}
