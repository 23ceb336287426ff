// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDetail, CallSearchQuery, CallSummary, SmsThreadView } from '../../renderer/src/contract';
import { zonedTimeToEpoch } from '../../renderer/src/format/time';
import { CallLogScreen } from '../../renderer/src/screens/call-log/CallLogScreen';
import { HandlerFailure } from '../../renderer/src/transport/in-memory';
import { callFixture, lineFixture, renderWithEngine, toolFixture, TZ } from './helpers';

afterEach(cleanup);

function ended(id: number, overrides: Partial<CallSummary> = {}): CallSummary {
  return callFixture({ id, status: 'completed', endedAt: Date.now(), durationS: 125, outcome: 'booked', fromMasked: `•••• ${String(id).padStart(4, '0')}`, ...overrides });
}

/** A call store that answers calls/search with keyset paging over `total` calls, newest first. */
function store(total: number) {
  const all = Array.from({ length: total }, (_, i) => ended(total - i));
  return (q: CallSearchQuery) => {
    let rows = all;
    if (q.beforeId !== undefined) rows = rows.filter((c) => c.id < q.beforeId!);
    if (q.text) rows = rows.filter((c) => c.id % 2 === 0);
    const page = rows.slice(0, q.limit ?? 50);
    return { calls: page, nextBeforeId: page.length === (q.limit ?? 50) && rows.length > page.length ? page[page.length - 1]!.id : null };
  };
}

describe('Call log', () => {
  let onSelect: (id: number | null) => void;
  beforeEach(() => {
    onSelect = vi.fn<(id: number | null) => void>();
  });

  it('says what to do when there are no calls yet', async () => {
    renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': () => ({ calls: [], nextBeforeId: null }) });
    expect(await screen.findByText('No calls yet.')).toBeTruthy();
  });

  it('searches transcripts with `text` and shows the results', async () => {
    const user = userEvent.setup();
    const search = vi.fn((q: CallSearchQuery) => (q.text === 'botox' ? { calls: [ended(77, { fromMasked: '•••• 7777' })], nextBeforeId: null } : { calls: [ended(1)], nextBeforeId: null }));
    const { transport } = renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': search });
    expect(await screen.findByText('•••• 0001')).toBeTruthy();
    await user.type(screen.getByRole('searchbox', { name: 'Search transcripts' }), 'botox');
    expect(await screen.findByText('•••• 7777')).toBeTruthy();
    expect(screen.queryByText('•••• 0001')).toBeNull();
    const last = transport.callsTo('calls/search').at(-1)!;
    expect(last.text).toBe('botox');
    expect(last.beforeId).toBeUndefined();
    // Typing waits for a pause: not one request per letter.
    expect(transport.callsTo('calls/search').length).toBeLessThanOrEqual(3);
  });

  it('marks text threads and filters calls from texts', async () => {
    const user = userEvent.setup();
    const search = vi.fn((q: CallSearchQuery) =>
      q.channel === 'sms' ? { calls: [ended(9, { channel: 'sms', fromMasked: '•••• 0909' })], nextBeforeId: null } : { calls: [ended(1), ended(9, { channel: 'sms', fromMasked: '•••• 0909' })], nextBeforeId: null },
    );
    const { transport } = renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': search });
    const textRow = (await screen.findByText('•••• 0909')).closest('[role="row"]') as HTMLElement;
    expect(within(textRow).getByText('Text')).toBeTruthy();
    const callRow = screen.getByText('•••• 0001').closest('[role="row"]') as HTMLElement;
    expect(within(callRow).queryByText('Text')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Channel'), 'sms');
    await waitFor(() => expect(transport.callsTo('calls/search').at(-1)!.channel).toBe('sms'));
    await waitFor(() => expect(screen.queryByText('•••• 0001')).toBeNull());
  });

  it('sends the filters: dates in the clinic’s zone, outcome, needs action, caller', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': () => ({ calls: [], nextBeforeId: null }) });
    await screen.findByText('No calls yet.');
    fireEvent.change(screen.getByLabelText('From date'), { target: { value: '2025-11-01' } });
    fireEvent.change(screen.getByLabelText('To date'), { target: { value: '2025-11-30' } });
    await user.selectOptions(screen.getByLabelText('Outcome'), 'message_taken');
    await user.selectOptions(screen.getByLabelText('Needs action'), 'yes');
    await user.selectOptions(screen.getByLabelText('Intent'), 'reschedule');
    await user.selectOptions(screen.getByLabelText('Summary says follow up'), 'yes');
    await user.type(screen.getByLabelText(/Caller/), '1234');
    await waitFor(() => expect(transport.callsTo('calls/search').at(-1)!.caller).toBe('1234'));
    const q = transport.callsTo('calls/search').at(-1)!;
    expect(q).toMatchObject({ outcome: 'message_taken', needsAction: true, intent: 'reschedule', summaryFollowUp: true, from: zonedTimeToEpoch('2025-11-01', 0, TZ), to: zonedTimeToEpoch('2025-12-01', 0, TZ) });
    expect(new Date(q.from!).toISOString()).toBe('2025-11-01T04:00:00.000Z');
    expect(await screen.findByText('No calls match these filters.')).toBeTruthy();
  });

  it('exports the filtered view as CSV through a download', async () => {
    const user = userEvent.setup();
    const created: Blob[] = [];
    const createObjectURL = vi.fn((b: Blob) => (created.push(b), 'blob:csv'));
    const revokeObjectURL = vi.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicks: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    const { transport } = renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, {
      'calls/search': () => ({ calls: [ended(1)], nextBeforeId: null }),
      'calls/export-csv': () => ({ filename: 'deskline-calls-2025-11-25.csv', csv: 'id,from\n1,•••• 0001\n' }),
    });
    await screen.findByText('•••• 0001');
    await user.type(screen.getByRole('searchbox', { name: 'Search transcripts' }), 'refund');
    await user.selectOptions(screen.getByLabelText('Outcome'), 'transferred');
    await waitFor(() => expect(transport.callsTo('calls/search').at(-1)!.text).toBe('refund'));
    await user.click(screen.getByRole('button', { name: 'Export the filtered calls as CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const args = transport.callsTo('calls/export-csv');
    expect(args).toEqual([{ text: 'refund', outcome: 'transferred' }]);
    expect(clicks[0]!.download).toBe('deskline-calls-2025-11-25.csv');
    expect(clicks[0]!.href).toBe('blob:csv');
    expect(await created[0]!.text()).toContain('1,•••• 0001');
    click.mockRestore();
  });

  it('renders only the rows in view of 100,000 calls, and pages in more on scroll', async () => {
    const search = store(100_000);
    const { transport, container } = renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': search });
    await screen.findByText('•••• 100000');
    const rows = () => container.querySelectorAll('.table-spacer [role="row"]');
    expect(rows().length).toBeLessThan(60);
    const scroller = container.querySelector('.table-scroll') as HTMLElement;
    expect(scroller.querySelector('.table-spacer')!.getAttribute('style')).toContain(`height: ${200 * 44}px`);
    // Scroll near the end of the first page: the next page is asked for with the keyset.
    scroller.scrollTop = 150 * 44;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(transport.callsTo('calls/search').length).toBe(2));
    expect(transport.callsTo('calls/search')[1]).toMatchObject({ beforeId: 99_801 });
    await waitFor(() => expect(scroller.querySelector('.table-spacer')!.getAttribute('style')).toContain(`height: ${400 * 44}px`));
    expect(rows().length).toBeLessThan(60);
    expect(within(scroller).getByText('•••• 99850')).toBeTruthy();
  });

  it('moves through rows with the keyboard and opens one with Enter', async () => {
    renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': store(30) });
    const first = await screen.findByText('•••• 0030');
    const row = first.closest('[role="row"]') as HTMLElement;
    row.focus();
    fireEvent.keyDown(row, { key: 'ArrowDown' });
    await waitFor(() => expect(document.activeElement?.textContent).toContain('•••• 0029'));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    expect(onSelect).toHaveBeenCalledWith(29);
  });

  it('opens a call: transcript with times, tool calls with results, errors, voicemails; archive and flag', async () => {
    const user = userEvent.setup();
    const summary = ended(12, { needsAction: true });
    const detail: CallDetail = {
      ...summary,
      transcript: [lineFixture(12, 'Do you have anything Tuesday?', { spokenAt: Date.UTC(2025, 10, 25, 19, 0, 5) }), lineFixture(12, 'Let me check.', { speaker: 'receptionist', spokenAt: Date.UTC(2025, 10, 25, 19, 0, 9) })],
      toolCalls: [toolFixture(12, { name: 'take_message', arguments: { reason: 'Call back about a refund', urgency: 'urgent' }, status: 'ok', result: { done: true, say: 'I have passed your message.' } })],
      errors: [{ id: 1, type: 'calendar_unavailable', severity: 'error', callId: 12, message: 'Calendar 503 (unavailable)', stack: 'Error: boom\n  at x', occurredAt: Date.now() }],
      voicemails: [{ id: 3, callId: 12, recordingSid: 'RE1', recordingUrl: 'https://api.twilio.com/rec/RE1', durationS: 42, receivedAt: Date.now(), resolvedAt: null, resolvedBy: null, onThisPc: false, transcript: null, fetchState: 'pending', fetchDetail: null }],
      summary: { state: 'done', summary: 'Jane asked for a refund; a message was taken.', intent: 'message', sentiment: 'negative', satisfaction: 4, followUp: true, followUpReason: 'Call back about the refund', detail: null, updatedAt: Date.now() },
      figures: { tokens: { textIn: 1200, audioIn: 900, cachedTextIn: 200, cachedAudioIn: 0, textOut: 80, audioOut: 700 }, openaiUsd: 0.0971, twilioUsd: 0.0375, costUsd: 0.1346, minutes: 3, replyMs: [420, 610, 380, 1500], bargeIns: 2 },
      recording: { durationMs: 61_200, finished: true },
    };
    const onSummary = vi.fn();
    const { transport } = renderWithEngine(<CallLogScreen selectedId={12} onSelect={onSummary} />, {
      'calls/search': () => ({ calls: [summary], nextBeforeId: null }),
      'calls/get': () => detail,
      'recordings/audio': () => ({ mime: 'audio/wav', base64: 'UklGRg==' }),
      'calls/archive': ({ archived }) => ({ ...summary, archived }),
      'calls/flag': ({ needsAction }) => ({ ...summary, needsAction }),
    });
    const panel = await screen.findByRole('complementary', { name: 'Call from •••• 0012' });
    expect(transport.callsTo('calls/get')).toEqual([{ id: 12 }]);
    const transcript = within(panel).getByRole('log', { name: /Transcript/ });
    expect(within(transcript).getByText('Do you have anything Tuesday?')).toBeTruthy();
    expect(within(transcript).getAllByRole('time')).toBeTruthy();
    // In the clinic's time zone (which loads once the session is active), not the PC's.
    await waitFor(() => expect(transcript.textContent).toMatch(/2:00:05\s?PM/));
    expect(within(panel).getByText('Urgent message taken: “Call back about a refund”.')).toBeTruthy();
    expect(within(panel).getByText(/Calendar 503 \(unavailable\)/)).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'Recording' }).getAttribute('href')).toBe('https://api.twilio.com/rec/RE1');
    expect(within(panel).getByText('2 min 5 s')).toBeTruthy();
    // The call's own recording plays from the engine, asked for by call.
    const recording = within(panel).getByText('Recording', { selector: 'dt' }).nextElementSibling as HTMLElement;
    expect(recording.textContent).toMatch(/^1 min 1 s/);
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:recording-12'), revokeObjectURL: vi.fn() });
    await user.click(within(recording).getByRole('button', { name: 'Play the recording' }));
    await waitFor(() => expect(transport.callsTo('recordings/audio')).toEqual([{ callId: 12 }]));
    expect((await within(recording).findByLabelText(/Call recording/)).getAttribute('src')).toBe('blob:recording-12');
    const cost = within(panel).getByText('Cost and replies').nextElementSibling!;
    expect(cost.textContent).toMatch(/^\$0\.13 \(OpenAI \$0\.097, Twilio \$0\.03\d\) · replies 0\.4 s p50, 1\.5 s p95 · 2 barge-ins$/);
    const recap = within(panel).getByRole('region', { name: 'Summary' });
    expect(within(recap).getByText('Jane asked for a refund; a message was taken.')).toBeTruthy();
    expect(within(recap).getByText('Satisfaction 4/10')).toBeTruthy();
    expect(within(recap).getByText('Follow up: Call back about the refund')).toBeTruthy();

    await user.click(within(panel).getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(transport.callsTo('calls/archive')).toEqual([{ id: 12, archived: true }]));
    expect(await within(panel).findByRole('button', { name: 'Unarchive' })).toBeTruthy();
    // Archived calls leave the default (unarchived) list.
    await waitFor(() => expect(within(screen.getByRole('table', { name: 'Calls' })).queryByText('•••• 0012')).toBeNull());

    await user.click(within(panel).getByRole('button', { name: 'Mark as handled' }));
    await waitFor(() => expect(transport.callsTo('calls/flag')).toEqual([{ id: 12, needsAction: false }]));
  });

  it('shows the engine’s error when a search fails', async () => {
    renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, {
      'calls/search': () => {
        throw new HandlerFailure('BAD_REQUEST', 'Search words must be at least 2 letters');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toBe('Search words must be at least 2 letters');
  });

  it('adds a new call to the top of the unfiltered log as it rings', async () => {
    const { emit } = renderWithEngine(<CallLogScreen selectedId={null} onSelect={onSelect} />, { 'calls/search': store(3) });
    await screen.findByText('•••• 0003');
    emit('call.started', callFixture({ id: 4, status: 'ringing', fromMasked: '•••• 4444' }));
    expect(screen.getByText('•••• 4444')).toBeTruthy();
    emit('call.ended', ended(4, { fromMasked: '•••• 4444', outcome: 'message_taken' }));
    expect(within(screen.getByText('•••• 4444').closest('[role="row"]') as HTMLElement).getByText('Message taken')).toBeTruthy();
  });

  it('a text thread in call detail: its messages, take over, reply by hand, hand back', async () => {
    const user = userEvent.setup();
    const summary = ended(21, { channel: 'sms', fromMasked: '•••• 2121', durationS: null });
    const detail: CallDetail = { ...summary, transcript: [], toolCalls: [], errors: [], voicemails: [], summary: null, figures: null, recording: null };
    let takenOver = false;
    const messages: SmsThreadView['messages'] = [
      { id: 1, direction: 'inbound', author: 'patient', body: 'Is Dr. Shah in Friday?', status: 'received', at: Date.now() },
      { id: 2, direction: 'outbound', author: 'assistant', body: 'Let me check for you.', status: 'delivered', at: Date.now() },
    ];
    const view = () => ({ callId: 21, takenOver, optedOut: false, messages: [...messages] });
    const { transport } = renderWithEngine(<CallLogScreen selectedId={21} onSelect={onSelect} />, {
      'calls/search': () => ({ calls: [summary], nextBeforeId: null }),
      'calls/get': () => detail,
      'sms/thread': () => view(),
      'sms/take-over': () => ((takenOver = true), view()),
      'sms/hand-back': () => ((takenOver = false), view()),
      'sms/reply': ({ body }) => (messages.push({ id: 3, direction: 'outbound', author: 'staff', body, status: 'queued', at: Date.now() }), view()),
    });
    const thread = await screen.findByRole('region', { name: 'Text thread' });
    expect(within(thread).getByText('Is Dr. Shah in Friday?')).toBeTruthy();
    expect(within(thread).getByText(/Receptionist · .* · delivered/)).toBeTruthy();
    expect(within(thread).queryByRole('form', { name: 'Reply by text' })).toBeNull();
    await user.click(within(thread).getByRole('button', { name: 'Take over this thread' }));
    const form = await within(thread).findByRole('form', { name: 'Reply by text' });
    expect(within(thread).getByText(/Staff have this thread/)).toBeTruthy();
    await user.type(within(form).getByLabelText('Reply'), 'Yes, from 9.');
    await user.click(within(form).getByRole('button', { name: 'Send text' }));
    expect(await within(thread).findByText('Yes, from 9.')).toBeTruthy();
    expect(transport.callsTo('sms/reply')).toEqual([{ callId: 21, body: 'Yes, from 9.' }]);
    await user.click(within(thread).getByRole('button', { name: 'Hand back to the receptionist' }));
    await waitFor(() => expect(within(thread).queryByRole('form', { name: 'Reply by text' })).toBeNull());
  });
});
