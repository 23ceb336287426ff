// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fromDraft, toDraft } from '../../renderer/src/components/HoursEditor';
import { formatDuration, formatElapsed, localDateOf, minutesToHHMM, parseTimeOfDay, zonedTimeToEpoch } from '../../renderer/src/format/time';
import { describeTool } from '../../renderer/src/format/tools';
import { parsePrice } from '../../renderer/src/screens/settings/CatalogSections';
import { toQuery } from '../../renderer/src/screens/call-log/search';

describe('time helpers', () => {
  it('turns clinic wall-clock times into instants across daylight saving', () => {
    expect(zonedTimeToEpoch('2025-11-25', 14 * 60, 'America/New_York')).toBe(Date.UTC(2025, 10, 25, 19, 0));
    expect(zonedTimeToEpoch('2025-07-01', 9 * 60, 'America/New_York')).toBe(Date.UTC(2025, 6, 1, 13, 0));
    // 2:30 on the spring-forward night does not exist: it lands an hour later, as a clock would.
    expect(zonedTimeToEpoch('2025-03-09', 150, 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 7, 30));
    // 1:30 on the fall-back night happens twice: the first is used.
    expect(zonedTimeToEpoch('2025-11-02', 90, 'America/New_York')).toBe(Date.UTC(2025, 10, 2, 5, 30));
    expect(zonedTimeToEpoch('2025-11-25', 0, 'Asia/Kolkata')).toBe(Date.UTC(2025, 10, 24, 18, 30));
    expect(localDateOf(Date.UTC(2025, 10, 25, 3, 0), 'America/New_York')).toBe('2025-11-24');
  });

  it('reads and writes times of day', () => {
    expect(parseTimeOfDay('9:00')).toBe(540);
    expect(parseTimeOfDay('17:30')).toBe(1050);
    expect(parseTimeOfDay('5:30 pm')).toBe(1050);
    expect(parseTimeOfDay('12 am')).toBe(0);
    expect(parseTimeOfDay('24:00')).toBe(1440);
    expect(parseTimeOfDay('25:00')).toBeNull();
    expect(parseTimeOfDay('nine')).toBeNull();
    expect(minutesToHHMM(540)).toBe('09:00');
    expect(formatElapsed(7)).toBe('0:07');
    expect(formatElapsed(3727)).toBe('1:02:07');
    expect(formatDuration(187)).toBe('3 min 7 s');
    expect(formatDuration(null)).toBe('—');
  });

  it('converts the hours editor to minutes and back, catching overlaps', () => {
    const draft = toDraft({ 1: [{ startMin: 540, endMin: 720 }, { startMin: 780, endMin: 1020 }] });
    expect(draft[1]).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:00' },
    ]);
    expect(draft[7]).toEqual([]);
    expect(fromDraft(draft)).toEqual({ hours: { 1: [{ startMin: 540, endMin: 720 }, { startMin: 780, endMin: 1020 }] }, error: null });
    expect(fromDraft({ ...draft, 1: [{ start: '09:00', end: '13:30' }, { start: '13:00', end: '17:00' }] }).error).toBe('Hours for Monday: the times overlap.');
    expect(fromDraft({ ...draft, 2: [{ start: '', end: '17:00' }] }).error).toBe('Hours for Tuesday: the opening time is missing or not a time.');
    expect(fromDraft({ ...draft, 5: [{ start: '18:00', end: '00:00' }] }).hours?.[5]).toEqual([{ startMin: 1080, endMin: 1440 }]);
  });

  it('parses prices into cents', () => {
    expect(parsePrice('120')).toBe(12000);
    expect(parsePrice('$120.5')).toBe(12050);
    expect(parsePrice('')).toBeNull();
    expect(parsePrice('12,00')).toBeUndefined();
  });

  it('builds search queries with only the filters in use', () => {
    expect(toQuery({ text: '  botox ', caller: '', fromDate: '', toDate: '', outcome: '', needsAction: 'any', channel: 'any', intent: '', summaryFollowUp: 'any', sentiment: '', archived: false }, 'UTC')).toEqual({ text: 'botox' });
    expect(toQuery({ text: '', caller: '4321', fromDate: '2025-01-01', toDate: '2025-01-01', outcome: 'abandoned', needsAction: 'no', channel: 'sms', intent: 'book', summaryFollowUp: 'yes', sentiment: 'negative', archived: true }, 'UTC')).toEqual({
      caller: '4321',
      from: Date.UTC(2025, 0, 1),
      to: Date.UTC(2025, 0, 2),
      outcome: 'abandoned',
      needsAction: false,
      channel: 'sms',
      intent: 'book',
      summaryFollowUp: true,
      sentiment: 'negative',
      archived: true,
    });
  });
});

describe('tool calls in plain words', () => {
  const call = (name: string, args: unknown, status: 'running' | 'ok' | 'error' = 'running', result: unknown = null) => describeTool({ name, arguments: args, status, result });

  it('describes each tool while it runs', () => {
    expect(call('check_availability', { service: 'Botox', provider: 'Priya', time: '14:00' }).text).toBe('Checking availability for Botox with Priya at 2:00 PM…');
    expect(call('find_appointments', {}).text).toBe('Looking up the caller’s appointments…');
    expect(call('take_message', { reason: 'Refund question' }).text).toBe('Taking a message: “Refund question”…');
    expect(call('transfer_to_staff', {}).text).toBe('Transferring to the front desk…');
    expect(call('mystery_tool', {}).text).toBe('Running mystery tool…');
    // Raw JSON arguments, as the model sends them, read the same.
    expect(call('check_availability', '{"service":"Facial"}').text).toBe('Checking availability for Facial…');
  });

  it('shows the outcome, using the receptionist’s words where they are for people', () => {
    expect(call('book_appointment', {}, 'ok', { done: true, say: 'Booked: Botox on Tuesday 25 November at 2:00 PM with Priya.' })).toEqual({ tone: 'ok', text: 'Booked: Botox on Tuesday 25 November at 2:00 PM with Priya.' });
    expect(call('check_availability', { service: 'Botox' }, 'ok', { done: true, available: false, slots: [{ slot_id: 'a', when: 'Tuesday at 2 PM with Priya' }, { slot_id: 'b', when: 'Wednesday at 10 AM with Sam' }] }).text).toBe(
      'Offered Tuesday at 2 PM with Priya and Wednesday at 10 AM with Sam.',
    );
    expect(call('check_availability', { service: 'Botox' }, 'ok', { done: true, available: true, slots: [{ when: 'Tuesday at 2 PM' }] }).text).toBe('Botox: Tuesday at 2 PM is free.');
    expect(call('find_appointments', {}, 'ok', { done: true, appointments: [] }).text).toBe('No upcoming appointment found.');
  });

  it('says “Could not …” when a tool failed or did not go through', () => {
    expect(call('book_appointment', { service: 'Botox' }, 'ok', { done: false, reason: 'taken', say: 'Sorry…' })).toEqual({ tone: 'error', text: 'Could not book Botox: that time is no longer free.' });
    expect(call('check_availability', { service: 'Botox' }, 'ok', { done: false, calendar_error: 'unavailable', say: 'x' }).text).toBe(
      'Could not check availability for Botox: the appointment book could not be reached (unavailable).',
    );
    expect(call('transfer_to_staff', {}, 'ok', { done: false, say: 'Nobody can take the call right now. Offer to take a message instead.' }).text).toBe(
      'Could not transfer to the front desk: Nobody can take the call right now. Offer to take a message instead.',
    );
    expect(call('take_message', {}, 'error', { error: 'invalid_arguments', say: 'Sorry?' })).toEqual({ tone: 'error', text: 'Could not take the message: invalid arguments.' });
  });
});
