import { useState } from 'react';
import { Field } from '../../components/common';
import type { ClinicKnowledge, TransferConnect } from '../../contract';
import { validateWhole } from '../../format/validate';
import { useClinicUpdate } from './ClinicSections';
import { firstProblem, SettingsForm, type Problems } from './parts';

const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

/** When the receptionist checks on a silent caller, how long a call may last, and the keypad way out. */
export function CallHandlingSection({ clinic }: { clinic: ClinicKnowledge }) {
  const r = clinic.receptionist;
  const [idlePrompt, setIdlePrompt] = useState(String(r.idlePromptS));
  const [idleHangUp, setIdleHangUp] = useState(String(r.idleHangUpS));
  const [maxCall, setMaxCall] = useState(String(r.maxCallMinutes));
  const [key, setKey] = useState(r.transferKey);
  const [connect, setConnect] = useState<TransferConnect>(clinic.transfers.connect);
  const [problems, setProblems] = useState<Problems>({});
  const update = useClinicUpdate();
  const submit = () => {
    const p: Problems = {
      idlePrompt: validateWhole(idlePrompt, 'Ask if the caller is still there after (seconds)', 5, 120),
      idleHangUp: validateWhole(idleHangUp, 'End a silent call after a further (seconds)', 5, 120),
      maxCall: validateWhole(maxCall, 'Longest call (minutes)', 2, 240),
    };
    setProblems(p);
    if (firstProblem(p)) return;
    void update.save({
      receptionist: { idlePromptS: Number(idlePrompt), idleHangUpS: Number(idleHangUp), maxCallMinutes: Number(maxCall), transferKey: key },
      transfers: { connect },
    });
  };
  return (
    <SettingsForm
      title="Call handling"
      description="What the receptionist does when a caller goes quiet, a call runs long, or a caller is put through to the front desk. Changes apply from the next call."
      onSubmit={submit}
      busy={update.busy}
      engineError={update.error}
      problem={firstProblem(problems)}
      saved={update.saved}
    >
      <div className="form-row">
        <Field label="Ask if the caller is still there after (seconds)" error={problems.idlePrompt} hint="Silence from the caller on their turn.">
          {(p) => <input {...p} inputMode="numeric" value={idlePrompt} onChange={(e) => setIdlePrompt(e.target.value)} />}
        </Field>
        <Field label="End a silent call after a further (seconds)" error={problems.idleHangUp} hint="The receptionist says goodbye first.">
          {(p) => <input {...p} inputMode="numeric" value={idleHangUp} onChange={(e) => setIdleHangUp(e.target.value)} />}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Longest call (minutes)" error={problems.maxCall} hint="Then a polite wrap-up and the front desk (or goodbye).">
          {(p) => <input {...p} inputMode="numeric" value={maxCall} onChange={(e) => setMaxCall(e.target.value)} />}
        </Field>
        <Field label="Key for the front desk" hint="Pressed at any time, it transfers the caller (or takes a voicemail when no transfer number is set).">
          {(p) => (
            <select {...p} value={key} onChange={(e) => setKey(e.target.value)}>
              <option value="">None</option>
              {KEYS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field
          label="The front desk takes a transfer by"
          hint="On answering, the desk first hears who is calling and why. If nobody takes the call, the receptionist apologises and takes a message."
        >
          {(p) => (
            <select {...p} value={connect} onChange={(e) => setConnect(e.target.value as TransferConnect)}>
              <option value="press-key">Pressing 1 (recommended: the desk phone's own voicemail never takes the caller)</option>
              <option value="stay-on-line">Staying on the line</option>
            </select>
          )}
        </Field>
      </div>
    </SettingsForm>
  );
}
