// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { formatPlainDate } from '../../renderer/src/format/time';
import { LiveCallsScreen } from '../../renderer/src/screens/live-calls/LiveCallsScreen';
import { HandlerFailure } from '../../renderer/src/transport/in-memory';
import { callFixture, liveFixture, lineFixture, renderWithEngine, toolFixture } from './helpers';

afterEach(cleanup);

describe('Live calls', () => {
  it('says what to expect when no call is active', async () => {
    renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [] });
    expect(await screen.findByText('No calls right now.')).toBeTruthy();
    expect(await screen.findByText(/Calls to Bright Smile Clinic appear here the moment they ring\./)).toBeTruthy();
  });

  it('shows one card per call with the caller, masked number and state', async () => {
    renderWithEngine(<LiveCallsScreen />, {
      'live/list': () => [liveFixture({ id: 1, fromMasked: '•••• 4321' }, { callerName: 'Jane Doe', state: 'speaking' }), liveFixture({ id: 2, fromMasked: '•••• 9876' }, { state: 'tool' })],
    });
    const jane = await screen.findByTestId('live-card-1');
    expect(within(jane).getByRole('heading', { name: 'Jane Doe' })).toBeTruthy();
    expect(within(jane).getByText('•••• 4321')).toBeTruthy();
    expect(within(jane).getByText('Speaking')).toBeTruthy();
    const other = screen.getByTestId('live-card-2');
    expect(within(other).getByRole('heading', { name: 'Unknown caller' })).toBeTruthy();
    expect(within(other).getByText('Tool running')).toBeTruthy();
    // Answered 64 s ago: the timer reads 1:04 or so.
    expect(within(jane).getByRole('timer').textContent).toMatch(/^1:0\d$/);
  });

  it('puts an urgent call first, marked with its situation, and moves a call up when it becomes urgent', async () => {
    const now = Date.now();
    const { emit } = renderWithEngine(<LiveCallsScreen />, {
      'live/list': () => [liveFixture({ id: 1, startedAt: now - 90_000 }), liveFixture({ id: 2, startedAt: now - 30_000, urgent: 'Knocked-out tooth' })],
    });
    await screen.findByTestId('live-card-2');
    const order = () => screen.getAllByRole('article').map((a) => a.getAttribute('data-testid'));
    expect(order()).toEqual(['live-card-2', 'live-card-1']);
    expect(within(screen.getByTestId('live-card-2')).getByText('Urgent: Knocked-out tooth')).toBeTruthy();
    emit('call.updated', callFixture({ id: 1, startedAt: now - 90_000, urgent: 'emergency' }));
    await waitFor(() => expect(order()).toEqual(['live-card-1', 'live-card-2']));
    expect(within(screen.getByTestId('live-card-1')).getByText('Possible emergency')).toBeTruthy();
  });

  it('puts a transcript.line into the card of its own call', async () => {
    const { emit } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [liveFixture({ id: 1 }), liveFixture({ id: 2 })] });
    const first = await screen.findByTestId('live-card-1');
    const second = screen.getByTestId('live-card-2');
    emit('transcript.line', lineFixture(2, 'I would like to book Botox please', { speaker: 'caller' }));
    emit('transcript.line', lineFixture(2, 'Of course. Which day suits you?', { speaker: 'receptionist' }));
    expect(within(second).getByText('I would like to book Botox please')).toBeTruthy();
    expect(within(second).getByText('Of course. Which day suits you?')).toBeTruthy();
    expect(within(first).queryByText('I would like to book Botox please')).toBeNull();
    // Speakers are labelled.
    const lines = within(second).getAllByTestId('transcript-line');
    expect(lines.map((l) => l.textContent)).toEqual(['CallerI would like to book Botox please', 'ReceptionistOf course. Which day suits you?']);
  });

  it('ignores a repeated line and keeps lines in spoken order', async () => {
    const { emit } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [liveFixture({ id: 1 })] });
    const card = await screen.findByTestId('live-card-1');
    const later = lineFixture(1, 'second', { spokenAt: 2000 });
    emit('transcript.line', later);
    emit('transcript.line', lineFixture(1, 'first', { spokenAt: 1000 }));
    emit('transcript.line', later);
    expect(within(card).getAllByTestId('transcript-line').map((l) => l.textContent)).toEqual(['Callerfirst', 'Callersecond']);
  });

  it('describes tool calls in plain words as they run, finish and fail', async () => {
    const { emit } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [liveFixture({ id: 7 })] });
    const card = await screen.findByTestId('live-card-7');
    const check = toolFixture(7, { name: 'check_availability', arguments: { service: 'Botox', date: '2025-11-25' }, status: 'running' });
    // Dates follow the PC's locale: "Tue 25 Nov" or "Tue, Nov 25".
    const tue = formatPlainDate('2025-11-25');
    expect(tue).toMatch(/Tue.*25|25.*Tue/);
    emit('tool.called', check);
    expect(within(card).getByTestId('live-activity').textContent).toBe(`Checking availability for Botox on ${tue}…`);

    const book = toolFixture(7, { name: 'book_appointment', arguments: { slot_id: '1@2025-11-25T14:00', service: 'Botox', patient_name: 'Jane Doe' }, status: 'running', startedAt: Date.now() + 1 });
    emit('tool.called', book);
    expect(within(card).getByTestId('live-activity').textContent).toBe(`Booking Botox for Jane Doe on ${tue} at 2:00 PM…`);
    emit('tool.called', { ...book, status: 'ok', finishedAt: Date.now(), result: { done: true, appointment_id: 9, say: 'Booked: Botox on Tuesday 25 November at 2:00 PM with Priya.' } });
    expect(within(card).getByTestId('live-activity').textContent).toBe('Booked: Botox on Tuesday 25 November at 2:00 PM with Priya.');
    // The running check is still in the transcript, described the same way.
    expect(within(card).getByText(`Checking availability for Botox on ${tue}…`)).toBeTruthy();

    const cancel = toolFixture(7, { name: 'cancel_appointment', arguments: { appointment_id: 9 }, status: 'error', startedAt: Date.now() + 2, result: { error: 'tool_failed', message: 'database is locked' } });
    emit('tool.called', cancel);
    expect(within(card).getByTestId('live-activity').textContent).toBe('Could not cancel the appointment: database is locked.');
  });

  it('follows live.state, call.started and call.ended', async () => {
    const { emit } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [] });
    await screen.findByText('No calls right now.');
    const call = callFixture({ id: 42, status: 'ringing', fromMasked: '•••• 5555' });
    emit('call.started', call);
    const card = screen.getByTestId('live-card-42');
    expect(within(card).getByText('Greeting')).toBeTruthy();
    emit('live.state', { callId: 42, state: 'tool' });
    expect(within(card).getByText('Tool running')).toBeTruthy();
    emit('call.ended', { ...call, status: 'completed', endedAt: Date.now(), durationS: 95, outcome: 'booked' });
    expect(within(card).getByText('Call ended')).toBeTruthy();
    expect(within(card).getByRole('timer').textContent).toBe('1:35');
    expect((within(card).getByRole('button', { name: 'Transfer to front desk' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('fetches the board again when an event names a call it has not seen', async () => {
    let views = [liveFixture({ id: 1 })];
    const { emit, transport } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => views });
    await screen.findByTestId('live-card-1');
    views = [...views, liveFixture({ id: 2 }, { callerName: 'Late Larry' })];
    emit('transcript.line', lineFixture(2, 'hello?'));
    expect(await screen.findByRole('heading', { name: 'Late Larry' })).toBeTruthy();
    expect(transport.callsTo('live/list').length).toBe(2);
  });

  it('transfers to the front desk, with the override number when one is typed', async () => {
    const user = userEvent.setup();
    const view = liveFixture({ id: 3, callSid: 'CA-three' });
    const { transport } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [view], 'live/transfer': () => undefined });
    const card = await screen.findByTestId('live-card-3');
    await user.click(within(card).getByRole('button', { name: 'Transfer to front desk' }));
    await waitFor(() => expect(transport.callsTo('live/transfer')).toEqual([{ callSid: 'CA-three' }]));
    expect(await within(card).findByText('Transferring to the front desk…')).toBeTruthy();

    await user.type(within(card).getByLabelText('Transfer to another number (optional)'), '+1 (555) 010-9999');
    await user.click(within(card).getByRole('button', { name: 'Transfer to front desk' }));
    await waitFor(() => expect(transport.callsTo('live/transfer')[1]).toEqual({ callSid: 'CA-three', to: '+15550109999' }));
  });

  it('refuses an override that is not a phone number, and shows engine errors', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<LiveCallsScreen />, {
      'live/list': () => [liveFixture({ id: 3 })],
      'live/transfer': () => {
        throw new HandlerFailure('BAD_REQUEST', 'No front-desk number is set');
      },
    });
    const card = await screen.findByTestId('live-card-3');
    await user.type(within(card).getByLabelText('Transfer to another number (optional)'), 'abc');
    await user.click(within(card).getByRole('button', { name: 'Transfer to front desk' }));
    expect(within(card).getByRole('alert').textContent).toBe('Transfer number must be in international format, e.g. +15551234567.');
    expect(transport.callsTo('live/transfer')).toEqual([]);
    await user.clear(within(card).getByLabelText('Transfer to another number (optional)'));
    await user.click(within(card).getByRole('button', { name: 'Transfer to front desk' }));
    expect(await within(card).findByText('Could not transfer: No front-desk number is set')).toBeTruthy();
  });

  it('hangs up only after confirming', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [liveFixture({ id: 5, callSid: 'CA-five' })], 'live/hang-up': () => undefined });
    const card = await screen.findByTestId('live-card-5');
    await user.click(within(card).getByRole('button', { name: 'Hang up' }));
    const dialog = screen.getByRole('dialog', { name: 'Hang up this call?' });
    await user.click(within(dialog).getByRole('button', { name: 'Keep' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(transport.callsTo('live/hang-up')).toEqual([]);
    await user.click(within(card).getByRole('button', { name: 'Hang up' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Hang up' }));
    await waitFor(() => expect(transport.callsTo('live/hang-up')).toEqual([{ callSid: 'CA-five' }]));
  });

  it('flags a call for follow-up', async () => {
    const user = userEvent.setup();
    const view = liveFixture({ id: 8 });
    const { transport } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [view], 'calls/flag': ({ id, needsAction }) => ({ ...view.call, id, needsAction }) });
    const card = await screen.findByTestId('live-card-8');
    await user.click(within(card).getByRole('button', { name: 'Flag for follow-up' }));
    await waitFor(() => expect(transport.callsTo('calls/flag')).toEqual([{ id: 8, needsAction: true }]));
    expect(await within(card).findByText('Follow up')).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Unflag' })).toBeTruthy();
  });

  it('keeps the transcript where the reader scrolled to, and offers a jump to the newest line', async () => {
    const { emit } = renderWithEngine(<LiveCallsScreen />, { 'live/list': () => [liveFixture({ id: 1 })] });
    const card = await screen.findByTestId('live-card-1');
    const log = within(card).getByRole('log');
    // jsdom has no layout: give the box a size so "scrolled up" means something.
    Object.defineProperty(log, 'clientHeight', { configurable: true, value: 200 });
    Object.defineProperty(log, 'scrollHeight', { configurable: true, value: 1000 });
    log.scrollTop = 100;
    fireEvent.scroll(log);
    emit('transcript.line', lineFixture(1, 'new words'));
    expect(log.scrollTop).toBe(100);
    const jump = within(card).getByRole('button', { name: 'Scroll to the newest line' });
    fireEvent.click(jump);
    expect(log.scrollTop).toBe(1000);
  });
});
