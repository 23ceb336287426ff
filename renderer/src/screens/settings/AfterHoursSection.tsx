import { useState } from 'react';
import { Field } from '../../components/common';
import type { AfterHoursSettings, ClinicKnowledge } from '../../contract';
import { validateE164 } from '../../format/validate';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/** What happens to calls outside opening hours and on closures. */
export function AfterHoursSection({ clinic }: { clinic: ClinicKnowledge }) {
  const a = clinic.afterHours;
  const [mode, setMode] = useState<AfterHoursSettings['mode']>(a.mode);
  const [greeting, setGreeting] = useState(a.greeting);
  const [transferTo, setTransferTo] = useState(a.transferTo);
  const [problem, setProblem] = useState<string | null>(null);
  const update = useClinicUpdate();
  const submit = () => {
    const number = transferTo.trim().replace(/[\s().-]/g, '');
    const p = mode === 'transfer' ? validateE164(number, 'After-hours number') : number ? validateE164(number, 'After-hours number') : null;
    setProblem(p);
    if (p) return;
    void update.save({ afterHours: { mode, greeting: greeting.trim(), transferTo: number } });
  };
  return (
    <SettingsForm
      title="After hours"
      description={`Outside opening hours and on closures. Right now the clinic is ${clinic.openNow ? 'open' : 'closed'}.`}
      onSubmit={submit}
      busy={update.busy}
      engineError={update.error}
      problem={problem}
      saved={update.saved}
    >
      <Field label="After hours, the receptionist">
        {(p) => (
          <select {...p} value={mode} onChange={(e) => setMode(e.target.value as AfterHoursSettings['mode'])}>
            <option value="normal">Books and takes messages as usual</option>
            <option value="messages">Takes messages only</option>
            <option value="transfer">Transfers to an after-hours number or answering service</option>
          </select>
        )}
      </Field>
      {mode === 'transfer' ? (
        <Field label="After-hours number" hint="International form, such as +15551234567.">
          {(p) => <input {...p} type="tel" value={transferTo} onChange={(e) => setTransferTo(e.target.value)} />}
        </Field>
      ) : null}
      <Field label="After-hours greeting" hint={`Empty: “${a.defaultGreeting}”`}>
        {(p) => <textarea {...p} rows={2} value={greeting} onChange={(e) => setGreeting(e.target.value)} />}
      </Field>
    </SettingsForm>
  );
}
