// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppointmentView } from '../../renderer/src/contract';
import { AppointmentsScreen } from '../../renderer/src/screens/appointments/AppointmentsScreen';
import { HandlerFailure } from '../../renderer/src/transport/in-memory';
import { clinicFixture, renderWithEngine } from './helpers';

/** Tuesday 25 November 2025, 10:00 in New York. */
const NOW = Date.UTC(2025, 10, 25, 15, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function appt(overrides: Partial<AppointmentView> = {}): AppointmentView {
  const start = Date.UTC(2025, 10, 25, 19, 0); // 2:00 PM in New York
  return { id: 1, start, end: start + 30 * 60_000, providerId: 1, providerName: 'Priya Shah', serviceId: 1, serviceName: 'Botox', patientName: 'Jane Doe', patientPhoneMasked: '•••• 1234', status: 'booked', bookedByCallId: 12,
    patientId: 7, patientDateOfBirth: '1990-05-17', patientEmail: null, insuranceCarrier: null, insuranceMemberId: null, visitReason: 'First visit', confirmedAt: null, testCall: null, ...overrides };
}

/** A count that has stopped changing for 200 ms (loads that started before the test's own action have finished). */
async function settledCount(count: () => number): Promise<number> {
  let last = count();
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = count();
    if (now === last) return now;
    last = now;
  }
}

describe('Appointments', () => {
  it('shows the day across providers, asking for the clinic’s day in its zone', async () => {
    const { transport } = renderWithEngine(<AppointmentsScreen />, { 'appointments/list': () => [appt(), appt({ id: 2, providerId: 2, providerName: 'Sam Lee', serviceName: 'Cleaning', patientName: 'Tom Roe' })] });
    const priya = await screen.findByRole('group', { name: /Priya Shah: 1 appointment/ });
    expect(within(priya).getByRole('button', { name: /2:00\sPM Botox for Jane Doe with Priya Shah/ })).toBeTruthy();
    expect(screen.getByRole('group', { name: /Sam Lee: 1 appointment/ })).toBeTruthy();
    // Once the clinic (and its zone) has loaded: its day, New York midnight to midnight.
    await waitFor(() => expect(transport.callsTo('appointments/list').at(-1)).toEqual({ from: Date.UTC(2025, 10, 25, 5, 0), to: Date.UTC(2025, 10, 26, 5, 0) }));
  });

  it('shows the week as providers by days', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<AppointmentsScreen />, { 'appointments/list': () => [appt()] });
    await screen.findByRole('group', { name: /Priya Shah/ });
    await user.click(screen.getByRole('button', { name: 'Week' }));
    const table = await screen.findByRole('table');
    expect(within(table).getAllByRole('columnheader')).toHaveLength(8);
    expect(within(table).getByRole('button', { name: /Botox · Jane Doe/ })).toBeTruthy();
    // Monday 24 to Monday 1 December, New York midnights.
    await waitFor(() => expect(transport.callsTo('appointments/list').at(-1)).toEqual({ from: Date.UTC(2025, 10, 24, 5, 0), to: Date.UTC(2025, 11, 1, 5, 0) }));
  });

  it('books through appointments/create and shows the engine’s refusal clearly', async () => {
    const user = userEvent.setup();
    let taken = true;
    const { transport } = renderWithEngine(<AppointmentsScreen />, {
      'appointments/list': () => [],
      'appointments/create': (a) => {
        if (taken) throw new HandlerFailure('BAD_REQUEST', 'That time is already booked.');
        return appt({ id: 7, start: a.start, end: a.start + 30 * 60_000 });
      },
    });
    await user.click(await screen.findByRole('button', { name: 'New appointment' }));
    const dialog = screen.getByRole('dialog', { name: 'New appointment' });
    await user.selectOptions(within(dialog).getByLabelText('Service'), 'Botox (30 min)');
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'Priya Shah');
    fireEvent.change(within(dialog).getByLabelText('Time'), { target: { value: '14:00' } });
    await user.click(within(dialog).getByRole('button', { name: 'Book appointment' }));
    expect(within(dialog).getByText('Patient name is required.')).toBeTruthy();
    expect(transport.callsTo('appointments/create')).toEqual([]);

    await user.type(within(dialog).getByLabelText('Patient name'), 'Jane Doe');
    await user.type(within(dialog).getByLabelText('Patient phone'), '(555) 123-4567');
    await user.click(within(dialog).getByRole('button', { name: 'Book appointment' }));
    expect(await within(dialog).findByText('Not booked: That time is already booked.')).toBeTruthy();
    expect(transport.callsTo('appointments/create')).toEqual([{ serviceId: 1, providerId: 1, start: Date.UTC(2025, 10, 25, 19, 0), patientName: 'Jane Doe', patientPhone: '5551234567' }]);

    taken = false;
    await user.click(within(dialog).getByRole('button', { name: 'Book appointment' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('only offers providers who do the chosen service', async () => {
    const user = userEvent.setup();
    renderWithEngine(<AppointmentsScreen />, { 'appointments/list': () => [] });
    await user.click(await screen.findByRole('button', { name: 'New appointment' }));
    const dialog = screen.getByRole('dialog');
    await user.selectOptions(within(dialog).getByLabelText('Service'), 'Cleaning (45 min)');
    const options = within(within(dialog).getByLabelText('Provider')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Sam Lee']);
  });

  it('moves and cancels an appointment', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<AppointmentsScreen />, {
      'appointments/list': () => [appt()],
      'appointments/move': (a) => appt({ start: a.start }),
      'appointments/cancel': () => undefined,
    });
    await user.click(await screen.findByRole('button', { name: /Botox for Jane Doe/ }));
    let dialog = screen.getByRole('dialog', { name: 'Botox — Jane Doe' });
    expect(within(dialog).getByText('By the receptionist on call #12')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Move…' }));
    fireEvent.change(within(dialog).getByLabelText('New time'), { target: { value: '15:30' } });
    await user.selectOptions(within(dialog).getByLabelText('Provider'), 'Sam Lee');
    await user.click(within(dialog).getByRole('button', { name: 'Move appointment' }));
    await waitFor(() => expect(transport.callsTo('appointments/move')).toEqual([{ id: 1, start: Date.UTC(2025, 10, 25, 20, 30), providerId: 2 }]));

    await user.click(await screen.findByRole('button', { name: /Botox for Jane Doe/ }));
    dialog = screen.getByRole('dialog', { name: 'Botox — Jane Doe' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment…' }));
    dialog = screen.getByRole('dialog', { name: 'Cancel this appointment?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel appointment' }));
    await waitFor(() => expect(transport.callsTo('appointments/cancel')).toEqual([{ id: 1 }]));
  });

  it('shows a new patient’s intake on the appointment, and staff correct it', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<AppointmentsScreen />, {
      'appointments/list': () => [appt({ insuranceCarrier: 'Blue Shield', insuranceMemberId: 'XJ4471' })],
      'appointments/update-details': (a) => appt({ patientEmail: a.patient?.email ?? null }),
    });
    await user.click(await screen.findByRole('button', { name: /Botox for Jane Doe/ }));
    const dialog = screen.getByRole('dialog', { name: 'Botox — Jane Doe' });
    expect(within(dialog).getByText('1990-05-17')).toBeTruthy();
    expect(within(dialog).getByText('First visit')).toBeTruthy();
    expect(within(dialog).getByText(/Blue Shield · XJ4471/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Edit details…' }));
    await user.type(within(dialog).getByLabelText('Email'), 'jane@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Save details' }));
    await waitFor(() =>
      expect(transport.callsTo('appointments/update-details')).toEqual([
        { id: 1, visitReason: 'First visit', patient: { name: 'Jane Doe', dateOfBirth: '1990-05-17', email: 'jane@example.com', insuranceCarrier: 'Blue Shield', insuranceMemberId: 'XJ4471' } },
      ]),
    );
  });

  it('refreshes when the receptionist books on the phone', async () => {
    const { emit, transport } = renderWithEngine(<AppointmentsScreen />, { 'appointments/list': () => [] });
    await screen.findByRole('group', { name: /Priya Shah/ });
    // The first loads are over (the clinic's zone may arrive just after the screen): counted from here.
    const before = await settledCount(() => transport.callsTo('appointments/list').length);
    emit('tool.called', { id: 1, callId: 3, name: 'book_appointment', arguments: {}, result: { done: true }, status: 'ok', startedAt: NOW, finishedAt: NOW });
    await waitFor(() => expect(transport.callsTo('appointments/list').length).toBe(before + 1));
  });

  it('says what to do when there are no providers', async () => {
    renderWithEngine(<AppointmentsScreen />, { 'appointments/list': () => [] }, clinicFixture({ providers: [], services: [] }));
    expect(await screen.findByText('No providers yet.')).toBeTruthy();
  });
});
