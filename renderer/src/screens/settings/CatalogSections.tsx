import { useState } from 'react';
import { ConfirmDialog, Dialog, EmptyState, Field } from '../../components/common';
import { fromDraft, HoursEditor, toDraft } from '../../components/HoursEditor';
import type { ClinicKnowledge, Provider, Service } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useMutation } from '../../engine/query';
import { formatPrice } from '../../format/labels';
import { validateMax, validateRequired, validateWhole } from '../../format/validate';
import { firstProblem, SettingsForm, type Problems } from './parts';

/** "120", "120.50", "" → cents, or undefined when it is not an amount. */
export function parsePrice(text: string): number | null | undefined {
  const t = text.trim().replace(/^[^\d]+/, '');
  if (t === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return undefined;
  return Math.round(Number(t) * 100);
}

export function ServicesSection({ clinic }: { clinic: ClinicKnowledge }) {
  const { reload } = useClinic();
  const [editing, setEditing] = useState<Service | 'new' | null>(null);
  const [retiring, setRetiring] = useState<Service | null>(null);
  const retire = useMutation();
  const providerName = (id: number) => clinic.providers.find((p) => p.id === id)?.name ?? `#${id}`;

  return (
    <div className="settings-block">
      <div className="block-header">
        <h2>Services</h2>
        <button type="button" className="primary" onClick={() => setEditing('new')} disabled={clinic.providers.length === 0}>
          Add service
        </button>
      </div>
      {clinic.providers.length === 0 ? <p className="muted">Add a provider first: every service needs someone who offers it.</p> : null}
      {clinic.services.length === 0 ? (
        <EmptyState title="No services yet.">Add what callers can book, with how long it takes and who offers it. The receptionist only offers these.</EmptyState>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Length</th>
              <th scope="col">Price</th>
              <th scope="col">Offered by</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clinic.services.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>
                  {s.durationMin} min{s.bufferAfterMin ? ` + ${s.bufferAfterMin} min after` : ''}
                </td>
                <td>{formatPrice(s.priceCents, s.priceFrom)}</td>
                <td>{s.providerIds.map(providerName).join(', ')}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => setEditing(s)} aria-label={`Edit ${s.name}`}>
                    Edit
                  </button>
                  <button type="button" className="ghost" onClick={() => setRetiring(s)} aria-label={`Retire ${s.name}`}>
                    Retire
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <ServiceDialog
          clinic={clinic}
          service={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      ) : null}
      {retiring ? (
        <ConfirmDialog
          title={`Retire ${retiring.name}?`}
          confirmLabel="Retire service"
          busy={retire.busy}
          error={retire.error}
          onCancel={() => setRetiring(null)}
          onConfirm={async () => {
            const reply = await retire.run('services/retire', { id: retiring.id });
            if (reply.ok) {
              setRetiring(null);
              void reload();
            }
          }}
        >
          <p>Callers can no longer book it. Appointments already booked stay in the diary.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function ServiceDialog({ clinic, service, onClose, onSaved }: { clinic: ClinicKnowledge; service: Service | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(service?.name ?? '');
  const [duration, setDuration] = useState(String(service?.durationMin ?? 30));
  const [buffer, setBuffer] = useState(String(service?.bufferAfterMin ?? 0));
  const [price, setPrice] = useState(service?.priceCents != null ? (service.priceCents / 100).toFixed(service.priceCents % 100 ? 2 : 0) : '');
  const [priceFrom, setPriceFrom] = useState(service?.priceFrom ?? false);
  const [providerIds, setProviderIds] = useState<number[]>(service?.providerIds ?? clinic.providers.map((p) => p.id));
  const [problems, setProblems] = useState<Problems>({});
  const save = useMutation();

  const submit = async () => {
    const cents = parsePrice(price);
    const p: Problems = {
      name: validateRequired(name, 'Service name', 120),
      duration: validateWhole(duration, 'Duration (minutes)', 5, 600),
      buffer: validateWhole(buffer, 'Buffer after (minutes)', 0, 240),
      price: cents === undefined ? 'Price must be an amount like 120 or 120.50, or empty.' : null,
      providers: providerIds.length === 0 ? 'Choose at least one provider for the service.' : null,
    };
    setProblems(p);
    if (firstProblem(p) || cents === undefined) return;
    const reply = await save.run('services/save', {
      ...(service ? { id: service.id } : {}),
      name: name.trim(),
      durationMin: Number(duration),
      bufferAfterMin: Number(buffer),
      priceCents: cents,
      priceFrom: cents !== null && priceFrom,
      providerIds,
    });
    if (reply.ok) onSaved();
  };

  return (
    <Dialog title={service ? `Edit ${service.name}` : 'Add a service'} onClose={onClose}>
      <SettingsForm title="Service" onSubmit={() => void submit()} busy={save.busy} engineError={save.error} problem={firstProblem(problems)} saved={false}>
        <Field label="Service name" error={problems.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Botox consultation" />}
        </Field>
        <div className="form-row">
          <Field label="Duration (minutes)" error={problems.duration}>
            {(p) => <input {...p} inputMode="numeric" value={duration} onChange={(e) => setDuration(e.target.value)} />}
          </Field>
          <Field label="Buffer after (minutes)" error={problems.buffer} hint="Clean-up time before the next patient.">
            {(p) => <input {...p} inputMode="numeric" value={buffer} onChange={(e) => setBuffer(e.target.value)} />}
          </Field>
        </div>
        <div className="form-row">
          <Field label="Price" error={problems.price} hint="Leave empty if the price is on request.">
            {(p) => <input {...p} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />}
          </Field>
          <label className="checkbox inline-field">
            <input type="checkbox" checked={priceFrom} onChange={(e) => setPriceFrom(e.target.checked)} />
            This is a starting price (“from …”)
          </label>
        </div>
        <fieldset className={problems.providers ? 'field-invalid' : ''}>
          <legend>Offered by</legend>
          {clinic.providers.map((pr) => (
            <label key={pr.id} className="checkbox">
              <input
                type="checkbox"
                checked={providerIds.includes(pr.id)}
                onChange={(e) => setProviderIds(e.target.checked ? [...providerIds, pr.id] : providerIds.filter((x) => x !== pr.id))}
              />
              {pr.name}
            </label>
          ))}
          {problems.providers ? (
            <small className="field-error" role="alert">
              {problems.providers}
            </small>
          ) : null}
        </fieldset>
      </SettingsForm>
    </Dialog>
  );
}

export function ProvidersSection({ clinic }: { clinic: ClinicKnowledge }) {
  const { reload } = useClinic();
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);
  const [retiring, setRetiring] = useState<Provider | null>(null);
  const retire = useMutation();

  return (
    <div className="settings-block">
      <div className="block-header">
        <h2>Providers</h2>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          Add provider
        </button>
      </div>
      {clinic.providers.length === 0 ? (
        <EmptyState title="No providers yet.">Add each person who sees patients, with their working hours. Callers are only offered times when someone is working.</EmptyState>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Working days</th>
              <th scope="col">Google calendar</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {clinic.providers.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{describeDays(p)}</td>
                <td>{p.calendarId ?? <span className="muted">—</span>}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
                    Edit
                  </button>
                  <button type="button" className="ghost" onClick={() => setRetiring(p)} aria-label={`Retire ${p.name}`}>
                    Retire
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <ProviderDialog
          clinic={clinic}
          provider={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
          }}
        />
      ) : null}
      {retiring ? (
        <ConfirmDialog
          title={`Retire ${retiring.name}?`}
          confirmLabel="Retire provider"
          busy={retire.busy}
          error={retire.error}
          onCancel={() => setRetiring(null)}
          onConfirm={async () => {
            const reply = await retire.run('providers/retire', { id: retiring.id });
            if (reply.ok) {
              setRetiring(null);
              void reload();
            }
          }}
        >
          <p>{retiring.name} will no longer be offered to callers. Appointments already booked stay in the diary.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

const DAY_SHORT = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function describeDays(p: Provider): string {
  const days = Object.entries(p.hours)
    .filter(([, r]) => r && r.length > 0)
    .map(([d]) => DAY_SHORT[Number(d)])
    .join(', ');
  return days || 'No working hours';
}

function ProviderDialog({ clinic, provider, onClose, onSaved }: { clinic: ClinicKnowledge; provider: Provider | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(provider?.name ?? '');
  const [hours, setHours] = useState(() => toDraft(provider?.hours ?? clinic.hours));
  const [calendarId, setCalendarId] = useState(provider?.calendarId ?? '');
  const [problems, setProblems] = useState<Problems>({});
  const save = useMutation();

  const submit = async () => {
    const h = fromDraft(hours, 'Working hours');
    const p: Problems = { name: validateRequired(name, 'Provider name', 120), hours: h.error, calendar: validateMax(calendarId, 'Google calendar id', 300) };
    setProblems(p);
    if (firstProblem(p) || !h.hours) return;
    const reply = await save.run('providers/save', { ...(provider ? { id: provider.id } : {}), name: name.trim(), hours: h.hours, calendarId: calendarId.trim() || null });
    if (reply.ok) onSaved();
  };

  return (
    <Dialog title={provider ? `Edit ${provider.name}` : 'Add a provider'} onClose={onClose}>
      <SettingsForm title="Provider" onSubmit={() => void submit()} busy={save.busy} engineError={save.error} problem={firstProblem(problems)} saved={false}>
        <Field label="Provider name" error={problems.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Dr. Priya Shah" />}
        </Field>
        <HoursEditor label="Working hours" value={hours} onChange={setHours} />
        <Field label="Google calendar id" error={problems.calendar} hint="Only when Google Calendar is connected, e.g. priya@clinic.com.">
          {(p) => <input {...p} value={calendarId} onChange={(e) => setCalendarId(e.target.value)} spellCheck={false} />}
        </Field>
      </SettingsForm>
    </Dialog>
  );
}
