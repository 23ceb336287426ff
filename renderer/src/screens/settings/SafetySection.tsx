import { useState } from 'react';
import { Field } from '../../components/common';
import type { ClinicKnowledge, UrgentSituation } from '../../contract';
import { validateE164, validateRequired } from '../../format/validate';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/**
 * Emergencies and the clinic's own urgent situations. The safety rules themselves are
 * fixed in the engine; here the clinic sets the emergency number and adds what it treats
 * as urgent, with what to do.
 */
export function SafetySection({ clinic }: { clinic: ClinicKnowledge }) {
  const [emergency, setEmergency] = useState(clinic.safety.emergencyNumber);
  const [alert, setAlert] = useState(clinic.safety.alertNumber);
  const [list, setList] = useState<UrgentSituation[]>(clinic.safety.urgentSituations.map((s) => ({ ...s })));
  const [problem, setProblem] = useState<string | null>(null);
  const update = useClinicUpdate();
  const edit = (i: number, change: Partial<UrgentSituation>) => setList(list.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const submit = () => {
    let p: string | null = /^\d{2,6}$/.test(emergency.trim()) ? null : 'Emergency number must be the short number callers dial, such as 911.';
    if (!p && alert.trim()) p = validateE164(alert, 'Number to text about urgent calls');
    for (const [i, s] of list.entries()) {
      p ??= validateRequired(s.description, `Urgent situation ${i + 1}`, 120);
      if (!p && s.action === 'transfer' && s.transferTo.trim()) p = validateE164(s.transferTo, `Urgent situation ${i + 1}: number`);
    }
    setProblem(p);
    if (p) return;
    void update.save({
      safety: {
        emergencyNumber: emergency.trim(),
        alertNumber: alert.trim().replace(/[\s().-]/g, ''),
        urgentSituations: list.map((s) => ({ description: s.description.trim(), action: s.action, transferTo: s.action === 'transfer' ? s.transferTo.trim().replace(/[\s().-]/g, '') : '' })),
      },
    });
  };
  return (
    <SettingsForm
      title="Emergencies and urgent calls"
      description="A caller who describes a possible emergency is always told to hang up and call the emergency number, and offered a person at once; the receptionist never gives medical advice. Add the situations your clinic treats as urgent: the call is marked urgent and staff hear an alert."
      onSubmit={submit}
      busy={update.busy}
      engineError={update.error}
      problem={problem}
      saved={update.saved}
    >
      <Field label="Emergency number" hint="What callers are told to dial.">
        {(p) => <input {...p} inputMode="numeric" value={emergency} onChange={(e) => setEmergency(e.target.value)} />}
      </Field>
      <Field label="Number to text about urgent calls" hint="The on-call phone: a short text (the situation and the caller’s last four digits) each time a call is marked urgent. Empty for none.">
        {(p) => <input {...p} type="tel" value={alert} placeholder="+15551234567" onChange={(e) => setAlert(e.target.value)} />}
      </Field>
      <fieldset>
        <legend>Urgent situations</legend>
        {list.length === 0 ? <p className="muted">None yet. For example: “Knocked-out tooth”, “Swelling after surgery”.</p> : null}
        {list.map((s, i) => (
          <div key={i} className="list-editor-item">
            <Field label={`Urgent situation ${i + 1}`}>{(p) => <input {...p} value={s.description} onChange={(e) => edit(i, { description: e.target.value })} />}</Field>
            <Field label={`What to do for situation ${i + 1}`}>
              {(p) => (
                <select {...p} value={s.action} onChange={(e) => edit(i, { action: e.target.value as UrgentSituation['action'] })}>
                  <option value="transfer">Transfer the caller now</option>
                  <option value="message">Take an urgent message</option>
                </select>
              )}
            </Field>
            {s.action === 'transfer' ? (
              <Field label={`Transfer situation ${i + 1} to`} hint="Empty: the front desk's transfer number.">
                {(p) => <input {...p} type="tel" value={s.transferTo} placeholder="+15551234567" onChange={(e) => edit(i, { transferTo: e.target.value })} />}
              </Field>
            ) : null}
            <button type="button" className="ghost" onClick={() => setList(list.filter((_, j) => j !== i))} aria-label={`Remove urgent situation ${i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setList([...list, { description: '', action: 'message', transferTo: '' }])}>
          + Add urgent situation
        </button>
      </fieldset>
    </SettingsForm>
  );
}
