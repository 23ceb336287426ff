import { useMemo, useState } from 'react';
import { EmptyState, ErrorNote, Loading } from '../../components/common';
import { useInterval } from '../../components/hooks';
import type { AppointmentView, ClinicKnowledge, Provider, TestCallDiary, WeeklyHours } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useEngineEvents } from '../../engine/context';
import { useEngineQuery } from '../../engine/query';
import { plural } from '../../format/labels';
import { addDays, formatPlainDate, formatTime, isoWeekday, localDateOf, localMinutesOf, minutesToLabel, startOfWeek, zonedTimeToEpoch } from '../../format/time';
import { AppointmentDialog, CreateAppointmentDialog, type CreateDefaults } from './AppointmentDialogs';

/** A booking from a test call says so wherever it shows. */
const TEST_LABEL: Record<TestCallDiary, string> = { sandbox: 'Test call · sandbox', real_diary: 'Test call' };
const testWords = (diary: TestCallDiary | null) => (diary ? `, ${TEST_LABEL[diary].toLowerCase()}` : '');

const APPOINTMENT_TOOLS = new Set(['book_appointment', 'reschedule_appointment', 'cancel_appointment']);
/** Pixels per minute in the day view: an hour is 72 px. */
const PX_PER_MIN = 1.2;

type View = 'day' | 'week';

export function AppointmentsScreen() {
  const { clinic, timezone: tz } = useClinic();
  const today = localDateOf(Date.now(), tz);
  const [view, setView] = useState<View>('day');
  const [date, setDate] = useState(today);
  const [providerFilter, setProviderFilter] = useState<number | 'all'>('all');
  const [showCancelled, setShowCancelled] = useState(false);
  const [creating, setCreating] = useState<CreateDefaults | null>(null);
  const [open, setOpen] = useState<AppointmentView | null>(null);

  const firstDay = view === 'day' ? date : startOfWeek(date);
  const days = view === 'day' ? [firstDay] : Array.from({ length: 7 }, (_, i) => addDays(firstDay, i));
  const range = { from: zonedTimeToEpoch(firstDay, 0, tz), to: zonedTimeToEpoch(addDays(firstDay, days.length), 0, tz) };
  const list = useEngineQuery('appointments/list', range, { enabled: clinic !== undefined });
  const { reload } = list;

  // Bookings made on the phone show up without a refresh.
  useEngineEvents((e) => {
    if (e.event === 'tool.called' && e.payload.status === 'ok' && APPOINTMENT_TOOLS.has(e.payload.name)) void reload();
  });
  useInterval(() => void reload(), 60_000);

  const providers = (clinic?.providers ?? []).filter((p) => providerFilter === 'all' || p.id === providerFilter);
  const appointments = (list.data ?? []).filter((a) => showCancelled || a.status === 'booked');

  const step = (n: number) => setDate(addDays(date, n * (view === 'day' ? 1 : 7)));
  const title = view === 'day' ? formatPlainDate(date, true) : `Week of ${formatPlainDate(firstDay)}`;

  if (!clinic) return <Loading label="Loading the diary…" />;

  return (
    <section className="screen appointments" aria-labelledby="appt-title">
      <header className="screen-header">
        <h1 id="appt-title">Appointments</h1>
        <p className="screen-sub">
          {title} · {plural(appointments.length, 'appointment')}
        </p>
        <div className="screen-actions">
          <button type="button" className="primary" onClick={() => setCreating({ date, ...(providerFilter !== 'all' ? { providerId: providerFilter } : {}) })}>
            New appointment
          </button>
        </div>
      </header>
      <div className="toolbar" role="toolbar" aria-label="Diary view">
        <div className="segmented" role="group" aria-label="View">
          <button type="button" aria-pressed={view === 'day'} onClick={() => setView('day')}>
            Day
          </button>
          <button type="button" aria-pressed={view === 'week'} onClick={() => setView('week')}>
            Week
          </button>
        </div>
        <button type="button" onClick={() => step(-1)} aria-label={view === 'day' ? 'Previous day' : 'Previous week'}>
          ←
        </button>
        <button type="button" onClick={() => setDate(today)} disabled={date === today}>
          Today
        </button>
        <button type="button" onClick={() => step(1)} aria-label={view === 'day' ? 'Next day' : 'Next week'}>
          →
        </button>
        <input type="date" aria-label="Go to date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        <select aria-label="Provider" value={providerFilter} onChange={(e) => setProviderFilter(e.target.value === 'all' ? 'all' : Number(e.target.value))}>
          <option value="all">All providers</option>
          {clinic.providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <label className="inline-field checkbox">
          <input type="checkbox" checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />
          Show cancelled
        </label>
      </div>
      <ErrorNote error={list.error} />
      <p className="muted appt-note" aria-live="polite">
        {list.data && appointments.length === 0 && clinic.providers.length > 0 ? `Nothing booked ${view === 'day' ? 'this day' : 'this week'}. Choose a free time, or “New appointment”, to book one.` : '\u00a0'}
      </p>
      {clinic.providers.length === 0 ? (
        <EmptyState title="No providers yet.">Add the people who see patients, and their working hours, in Settings → Providers. Their diaries appear here.</EmptyState>
      ) : view === 'day' ? (
        <DayView clinic={clinic} date={date} providers={providers} appointments={appointments} onOpen={setOpen} onCreate={setCreating} />
      ) : (
        <WeekView clinic={clinic} days={days} providers={providers} appointments={appointments} onOpen={setOpen} onCreate={setCreating} />
      )}
      {creating ? (
        <CreateAppointmentDialog
          clinic={clinic}
          defaults={creating}
          onClose={() => setCreating(null)}
          onSaved={(a) => {
            setCreating(null);
            setDate(localDateOf(a.start, tz));
            void reload();
          }}
        />
      ) : null}
      {open ? (
        <AppointmentDialog
          clinic={clinic}
          appointment={open}
          onClose={() => setOpen(null)}
          onChanged={() => {
            setOpen(null);
            void reload();
          }}
        />
      ) : null}
    </section>
  );
}

interface ViewProps {
  clinic: ClinicKnowledge;
  providers: Provider[];
  appointments: AppointmentView[];
  onOpen: (a: AppointmentView) => void;
  onCreate: (d: CreateDefaults) => void;
}

function closedOn(clinic: ClinicKnowledge, date: string): string | null {
  const closure = clinic.closures.find((c) => c.startDate <= date && date <= c.endDate);
  if (closure) return closure.reason || 'Closed';
  const hours = clinic.hours[isoWeekday(date)];
  return hours && hours.length > 0 ? null : 'Closed';
}

function hoursOn(hours: WeeklyHours, date: string) {
  return hours[isoWeekday(date)] ?? [];
}

function DayView({ clinic, date, providers, appointments, onOpen, onCreate }: ViewProps & { date: string }) {
  const tz = clinic.profile.timezone;
  const step = clinic.rules.slotStepMinutes || 15;
  // Show the whole working day, and anything booked outside it.
  const bounds = useMemo(() => {
    let start = 8 * 60;
    let end = 18 * 60;
    const ranges = [...hoursOn(clinic.hours, date), ...providers.flatMap((p) => hoursOn(p.hours, date))];
    if (ranges.length > 0) {
      start = Math.min(...ranges.map((r) => r.startMin));
      end = Math.max(...ranges.map((r) => r.endMin));
    }
    for (const a of appointments) {
      start = Math.min(start, localMinutesOf(a.start, tz));
      end = Math.max(end, localMinutesOf(a.end, tz) || 1440);
    }
    return { start: Math.floor(start / 60) * 60, end: Math.min(1440, Math.ceil(end / 60) * 60) };
  }, [clinic, date, providers, appointments, tz]);
  const hours: number[] = [];
  for (let m = bounds.start; m < bounds.end; m += 60) hours.push(m);
  const height = (bounds.end - bounds.start) * PX_PER_MIN;
  const closed = closedOn(clinic, date);

  return (
    <div className="day-view" role="region" aria-label={`Diary for ${formatPlainDate(date, true)}`}>
      {closed ? <p className="closed-note">{closed === 'Closed' ? 'The clinic is closed this day.' : `Closed: ${closed}`}</p> : null}
      <div className="day-grid" style={{ gridTemplateColumns: `4.5rem repeat(${providers.length}, minmax(10rem, 1fr))` }}>
        <div className="day-corner" />
        {providers.map((p) => (
          <div key={p.id} className="day-provider" role="columnheader">
            {p.name}
          </div>
        ))}
        <div className="day-axis" style={{ height }} aria-hidden="true">
          {hours.map((m) => (
            <span key={m} style={{ top: (m - bounds.start) * PX_PER_MIN }}>
              {minutesToLabel(m)}
            </span>
          ))}
        </div>
        {providers.map((p) => {
          const own = appointments.filter((a) => a.providerId === p.id && localDateOf(a.start, tz) === date);
          const working = hoursOn(p.hours, date);
          return (
            <div
              key={p.id}
              className="day-column"
              style={{ height }}
              onClick={(e) => {
                if (e.target !== e.currentTarget) return;
                const y = e.nativeEvent.offsetY;
                const minutes = bounds.start + Math.floor(y / PX_PER_MIN / step) * step;
                onCreate({ date, minutes, providerId: p.id });
              }}
              aria-label={`${p.name}: ${own.length === 0 ? 'nothing booked' : plural(own.length, 'appointment')}`}
              role="group"
            >
              {working.map((r) => (
                <div key={r.startMin} className="working" style={{ top: (r.startMin - bounds.start) * PX_PER_MIN, height: (r.endMin - r.startMin) * PX_PER_MIN }} aria-hidden="true" />
              ))}
              {hours.map((m) => (
                <div key={m} className="hour-line" style={{ top: (m - bounds.start) * PX_PER_MIN }} aria-hidden="true" />
              ))}
              {own.map((a) => {
                const top = (localMinutesOf(a.start, tz) - bounds.start) * PX_PER_MIN;
                const h = Math.max(22, ((a.end - a.start) / 60_000) * PX_PER_MIN - 2);
                return (
                  <button
                    key={a.id}
                    type="button"
                    className={`appt${a.status === 'cancelled' ? ' cancelled' : ''}${a.testCall ? ' test' : ''}`}
                    style={{ top, height: h }}
                    onClick={() => onOpen(a)}
                    aria-label={`${formatTime(a.start, tz)} ${a.serviceName} for ${a.patientName} with ${p.name}${a.status === 'cancelled' ? ', cancelled' : a.confirmedAt ? ', confirmed' : ''}${testWords(a.testCall)}`}
                  >
                    <span className="appt-time">{formatTime(a.start, tz)}</span>
                    {a.confirmedAt && a.status !== 'cancelled' ? <span className="appt-confirmed" title="Confirmed by the patient"> ✓</span> : null} <span className="appt-service">{a.serviceName}</span> <span className="appt-patient">{a.patientName}</span>
                    {a.testCall ? <span className="appt-test"> · {TEST_LABEL[a.testCall]}</span> : null}
                  </button>
                );
              })}
              <button type="button" className="visually-hidden focus-reveal" onClick={() => onCreate({ date, providerId: p.id })}>
                Book with {p.name}
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}

function WeekView({ clinic, days, providers, appointments, onOpen, onCreate }: ViewProps & { days: string[] }) {
  const tz = clinic.profile.timezone;
  return (
    <div className="week-view" role="region" aria-label="Week diary">
      <table className="week-table">
        <thead>
          <tr>
            <th scope="col">Provider</th>
            {days.map((d) => (
              <th key={d} scope="col" className={closedOn(clinic, d) ? 'closed' : ''}>
                {formatPlainDate(d)}
                {closedOn(clinic, d) ? <span className="muted small"> · closed</span> : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              {days.map((d) => {
                const own = appointments.filter((a) => a.providerId === p.id && localDateOf(a.start, tz) === d).sort((a, b) => a.start - b.start);
                return (
                  <td key={d} className={hoursOn(p.hours, d).length === 0 ? 'off' : ''}>
                    <ul className="week-cell">
                      {own.map((a) => (
                        <li key={a.id}>
                          <button type="button" className={`appt-chip${a.status === 'cancelled' ? ' cancelled' : ''}${a.testCall ? ' test' : ''}`} onClick={() => onOpen(a)}>
                            <span className="appt-time">{formatTime(a.start, tz)}</span> {a.serviceName} · {a.patientName}
                            {a.testCall ? ` · ${TEST_LABEL[a.testCall]}` : ''}
                          </button>
                        </li>
                      ))}
                    </ul>
                    <button type="button" className="ghost add-chip" onClick={() => onCreate({ date: d, providerId: p.id })} aria-label={`Book with ${p.name} on ${formatPlainDate(d)}`}>
                      +
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
