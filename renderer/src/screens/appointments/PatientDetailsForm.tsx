import { useState, type FormEvent } from 'react';
import { ErrorNote, Field } from '../../components/common';
import type { AppointmentView } from '../../contract';
import { useMutation } from '../../engine/query';

/** Staff correct what a new patient gave on the phone: the record and this visit's reason. */
export function PatientDetailsForm({ appointment, onDone, onCancel }: { appointment: AppointmentView; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(appointment.patientName);
  const [dob, setDob] = useState(appointment.patientDateOfBirth ?? '');
  const [email, setEmail] = useState(appointment.patientEmail ?? '');
  const [carrier, setCarrier] = useState(appointment.insuranceCarrier ?? '');
  const [member, setMember] = useState(appointment.insuranceMemberId ?? '');
  const [reason, setReason] = useState(appointment.visitReason ?? '');
  const mutation = useMutation();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const reply = await mutation.run('appointments/update-details', {
      id: appointment.id,
      visitReason: reason,
      patient: { name, dateOfBirth: dob, email, insuranceCarrier: carrier, insuranceMemberId: member },
    });
    if (reply.ok) onDone();
  };
  return (
    <form className="form" onSubmit={(e) => void save(e)} noValidate aria-label="Patient details">
      <Field label="Patient name">{(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <div className="form-row">
        <Field label="Date of birth">{(p) => <input {...p} type="date" value={dob} onChange={(e) => setDob(e.target.value)} />}</Field>
        <Field label="Email">{(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}</Field>
      </div>
      <div className="form-row">
        <Field label="Insurance carrier">{(p) => <input {...p} value={carrier} onChange={(e) => setCarrier(e.target.value)} />}</Field>
        <Field label="Member ID">{(p) => <input {...p} value={member} onChange={(e) => setMember(e.target.value)} />}</Field>
      </div>
      <Field label="Reason for the visit">{(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
      <ErrorNote error={mutation.error ? `Not saved: ${mutation.error.message}` : null} />
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          Back
        </button>
        <button type="submit" className="primary" disabled={mutation.busy}>
          {mutation.busy ? 'Saving…' : 'Save details'}
        </button>
      </div>
    </form>
  );
}
