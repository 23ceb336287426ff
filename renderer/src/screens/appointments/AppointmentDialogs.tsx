import { useState, type FormEvent } from 'react';
import { ConfirmDialog, Dialog, ErrorNote, Field } from '../../components/common';
import type { AppointmentView, ClinicKnowledge } from '../../contract';
import { useMutation } from '../../engine/query';
import { formatDateTime, isValidDate, localDateOf, localMinutesOf, minutesToHHMM, parseTimeOfDay, zonedTimeToEpoch } from '../../format/time';
import { normalizePhone, validatePhone, validateRequired } from '../../format/validate';
import { PatientDetailsForm } from './PatientDetailsForm';

export interface CreateDefaults {
  date: string;
  minutes?: number;
  providerId?: number;
}

type Errors = Partial<Record<'service' | 'provider' | 'date' | 'time' | 'name' | 'phone', string | null>>;

function checkWhen(date: string, time: string): Errors {
  return {
    date: isValidDate(date) ? null : 'Pick a date.',
    time: parseTimeOfDay(time) === null ? 'Pick a time, e.g. 14:30.' : null,
  };
}

const hasErrors = (e: Errors) => Object.values(e).some(Boolean);

export function CreateAppointmentDialog({ clinic, defaults, onClose, onSaved }: { clinic: ClinicKnowledge; defaults: CreateDefaults; onClose: () => void; onSaved: (a: AppointmentView) => void }) {
  const tz = clinic.profile.timezone;
  const firstService = clinic.services.find((s) => defaults.providerId === undefined || s.providerIds.includes(defaults.providerId)) ?? clinic.services[0];
  const [serviceId, setServiceId] = useState<number | ''>(firstService?.id ?? '');
  const [providerId, setProviderId] = useState<number | ''>(defaults.providerId ?? firstService?.providerIds[0] ?? '');
  const [date, setDate] = useState(defaults.date);
  const [time, setTime] = useState(defaults.minutes !== undefined ? minutesToHHMM(defaults.minutes) : '09:00');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const mutation = useMutation();

  const service = clinic.services.find((s) => s.id === serviceId);
  const providers = clinic.providers.filter((p) => !service || service.providerIds.includes(p.id));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const next: Errors = {
      service: serviceId === '' ? 'Choose a service.' : null,
      provider: providerId === '' || !providers.some((p) => p.id === providerId) ? `Choose who provides ${service?.name ?? 'the service'}.` : null,
      ...checkWhen(date, time),
      name: validateRequired(name, 'Patient name', 120),
      phone: validatePhone(phone, 'Patient phone'),
    };
    setErrors(next);
    if (hasErrors(next) || serviceId === '' || providerId === '') return;
    const start = zonedTimeToEpoch(date, parseTimeOfDay(time)!, tz);
    const reply = await mutation.run('appointments/create', { serviceId, providerId, start, patientName: name.trim(), patientPhone: normalizePhone(phone) });
    if (reply.ok) onSaved(reply.value);
  };

  return (
    <Dialog title="New appointment" onClose={onClose}>
      {clinic.services.length === 0 || clinic.providers.length === 0 ? (
        <p>Add a service and a provider in Settings before booking appointments here.</p>
      ) : (
        <form className="form" onSubmit={(e) => void submit(e)} noValidate>
          <Field label="Service" error={errors.service}>
            {(p) => (
              <select
                {...p}
                value={serviceId}
                onChange={(e) => {
                  const id = Number(e.target.value);
                  setServiceId(id);
                  const s = clinic.services.find((x) => x.id === id);
                  if (s && providerId !== '' && !s.providerIds.includes(providerId)) setProviderId(s.providerIds[0] ?? '');
                }}
              >
                {clinic.services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.durationMin} min)
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Provider" error={errors.provider}>
            {(p) => (
              <select {...p} value={providerId} onChange={(e) => setProviderId(Number(e.target.value))}>
                {providerId === '' ? <option value="">Choose…</option> : null}
                {providers.map((pr) => (
                  <option key={pr.id} value={pr.id}>
                    {pr.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="form-row">
            <Field label="Date" error={errors.date}>
              {(p) => <input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
            </Field>
            <Field label="Time" error={errors.time} hint={`Clinic time (${tz})`}>
              {(p) => <input {...p} type="time" step={(clinic.rules.slotStepMinutes || 15) * 60} value={time} onChange={(e) => setTime(e.target.value)} />}
            </Field>
          </div>
          <Field label="Patient name" error={errors.name}>
            {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />}
          </Field>
          <Field label="Patient phone" error={errors.phone}>
            {(p) => <input {...p} type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" />}
          </Field>
          <ErrorNote error={mutation.error ? `Not booked: ${mutation.error.message}` : null} />
          <div className="form-actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={mutation.busy}>
              {mutation.busy ? 'Booking…' : 'Book appointment'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

export function AppointmentDialog({ clinic, appointment, onClose, onChanged }: { clinic: ClinicKnowledge; appointment: AppointmentView; onClose: () => void; onChanged: () => void }) {
  const tz = clinic.profile.timezone;
  const [mode, setMode] = useState<'view' | 'move' | 'cancel' | 'details'>('view');
  const [date, setDate] = useState(localDateOf(appointment.start, tz));
  const [time, setTime] = useState(minutesToHHMM(localMinutesOf(appointment.start, tz)));
  const [providerId, setProviderId] = useState(appointment.providerId);
  const [errors, setErrors] = useState<Errors>({});
  const mutation = useMutation();
  const service = clinic.services.find((s) => s.id === appointment.serviceId);
  const providers = clinic.providers.filter((p) => !service || service.providerIds.includes(p.id));

  const move = async (e: FormEvent) => {
    e.preventDefault();
    const next = checkWhen(date, time);
    setErrors(next);
    if (hasErrors(next)) return;
    const start = zonedTimeToEpoch(date, parseTimeOfDay(time)!, tz);
    const reply = await mutation.run('appointments/move', { id: appointment.id, start, ...(providerId !== appointment.providerId ? { providerId } : {}) });
    if (reply.ok) onChanged();
  };

  const cancel = async () => {
    const reply = await mutation.run('appointments/cancel', { id: appointment.id });
    if (reply.ok) onChanged();
  };

  if (mode === 'cancel') {
    return (
      <ConfirmDialog title="Cancel this appointment?" confirmLabel="Cancel appointment" onConfirm={() => void cancel()} onCancel={() => setMode('view')} busy={mutation.busy} error={mutation.error}>
        <p>
          {appointment.serviceName} for {appointment.patientName} with {appointment.providerName}, {formatDateTime(appointment.start, tz)}. The time becomes free for other callers.
        </p>
      </ConfirmDialog>
    );
  }

  return (
    <Dialog title={`${appointment.serviceName} — ${appointment.patientName}`} onClose={onClose}>
      <dl className="facts">
        <div>
          <dt>When</dt>
          <dd>
            {formatDateTime(appointment.start, tz)} – {formatDateTime(appointment.end, tz).split(', ').pop()}
          </dd>
        </div>
        <div>
          <dt>Provider</dt>
          <dd>{appointment.providerName}</dd>
        </div>
        <div>
          <dt>Patient</dt>
          <dd>
            {appointment.patientName} · {appointment.patientPhoneMasked}
            {appointment.testCall ? ` · booked in a test call${appointment.testCall === 'sandbox' ? ' (sandbox: not in the clinic’s diary)' : ''}` : ''}
          </dd>
        </div>
        <div>
          <dt>Date of birth</dt>
          <dd>{appointment.patientDateOfBirth ?? '—'}</dd>
        </div>
        {appointment.patientEmail ? (
          <div>
            <dt>Email</dt>
            <dd>{appointment.patientEmail}</dd>
          </div>
        ) : null}
        {appointment.insuranceCarrier || appointment.insuranceMemberId ? (
          <div>
            <dt>Insurance</dt>
            <dd>
              {appointment.insuranceCarrier ?? '—'} · {appointment.insuranceMemberId ?? '—'}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Reason for the visit</dt>
          <dd>{appointment.visitReason ?? '—'}</dd>
        </div>
        <div>
          <dt>Confirmed</dt>
          <dd>{appointment.confirmedAt ? `By the patient, by text, ${formatDateTime(appointment.confirmedAt, tz)}` : 'Not yet'}</dd>
        </div>
        <div>
          <dt>Booked</dt>
          <dd>{appointment.bookedByCallId ? `By the receptionist on call #${appointment.bookedByCallId}` : 'By staff'}</dd>
        </div>
        {appointment.status === 'cancelled' ? (
          <div>
            <dt>Status</dt>
            <dd>Cancelled</dd>
          </div>
        ) : null}
      </dl>
      {appointment.status === 'booked' && mode === 'view' ? (
        <div className="form-actions">
          <button type="button" onClick={() => setMode('move')}>
            Move…
          </button>
          <button type="button" onClick={() => setMode('details')}>
            Edit details…
          </button>
          <button type="button" className="danger" onClick={() => setMode('cancel')}>
            Cancel appointment…
          </button>
        </div>
      ) : null}
      {mode === 'details' ? <PatientDetailsForm appointment={appointment} onDone={onChanged} onCancel={() => setMode('view')} /> : null}
      {mode === 'move' ? (
        <form className="form" onSubmit={(e) => void move(e)} noValidate aria-label="Move appointment">
          <div className="form-row">
            <Field label="New date" error={errors.date}>
              {(p) => <input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
            </Field>
            <Field label="New time" error={errors.time} hint={`Clinic time (${tz})`}>
              {(p) => <input {...p} type="time" step={(clinic.rules.slotStepMinutes || 15) * 60} value={time} onChange={(e) => setTime(e.target.value)} />}
            </Field>
          </div>
          <Field label="Provider">
            {(p) => (
              <select {...p} value={providerId} onChange={(e) => setProviderId(Number(e.target.value))}>
                {providers.map((pr) => (
                  <option key={pr.id} value={pr.id}>
                    {pr.name}
                  </option>
                ))}
                {providers.some((pr) => pr.id === appointment.providerId) ? null : <option value={appointment.providerId}>{appointment.providerName}</option>}
              </select>
            )}
          </Field>
          <ErrorNote error={mutation.error ? `Not moved: ${mutation.error.message}` : null} />
          <div className="form-actions">
            <button type="button" onClick={() => setMode('view')}>
              Back
            </button>
            <button type="submit" className="primary" disabled={mutation.busy}>
              {mutation.busy ? 'Moving…' : 'Move appointment'}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
