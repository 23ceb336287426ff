import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fillWording, nextSendingTime } from '../../voice-engine/src/sms/appointment-texts.js';
import { textingSettings } from '../../voice-engine/src/clinic/receptionist-settings.js';
import { TEXTING_DEFAULTS, type ClinicKnowledge } from '../../voice-engine/src/clinic/knowledge.js';

const ZONE = 'America/New_York';
const knowledge = (sendFrom: string, sendUntil: string) => ({ rules: { timezone: ZONE }, texting: { ...TEXTING_DEFAULTS, sendFrom, sendUntil } }) as unknown as ClinicKnowledge;
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

describe('texts the clinic sends', () => {
  it('fills the clinic’s wording; an unknown placeholder stays visible rather than vanishing', () => {
    expect(fillWording('{clinic}: {service} on {date} at {time}.  {oops}', { clinic: 'Glow', service: 'Botox', date: 'Friday 12 December', time: '2:00 PM' })).toBe(
      'Glow: Botox on Friday 12 December at 2:00 PM. {oops}',
    );
  });

  it('sends inside the clinic’s hours at once, and otherwise at the next opening, in the clinic’s zone', () => {
    const k = knowledge('08:00', '21:00');
    expect(nextSendingTime(k, at('2026-12-10T12:00'))).toBe(at('2026-12-10T12:00'));
    expect(nextSendingTime(k, at('2026-12-10T06:30'))).toBe(at('2026-12-10T08:00'));
    // The last minute named is inside the window; the one after it is not.
    expect(nextSendingTime(k, at('2026-12-10T21:00:30'))).toBe(at('2026-12-10T21:00:30'));
    expect(nextSendingTime(k, at('2026-12-10T21:01'))).toBe(at('2026-12-11T08:00'));
    expect(nextSendingTime(k, at('2026-12-10T23:59'))).toBe(at('2026-12-11T08:00'));
    // "Until 23:59" is the whole day: its last minute too.
    expect(nextSendingTime(knowledge('00:00', '23:59'), at('2026-12-10T23:59:30'))).toBe(at('2026-12-10T23:59:30'));
    expect(nextSendingTime(knowledge('07:00', '23:59'), at('2026-12-11T06:59'))).toBe(at('2026-12-11T07:00'));
    // Across the spring-forward night the next opening is still 8 AM local.
    expect(nextSendingTime(k, at('2027-03-13T22:00'))).toBe(at('2027-03-14T08:00'));
  });

  it('settings: placeholders are checked, hours are whole, the window runs forwards', () => {
    expect(textingSettings({ reminderHours: 48, sendFrom: '09:00' }, TEXTING_DEFAULTS)).toMatchObject({ reminderHours: 48, sendFrom: '09:00', sendUntil: '21:00' });
    expect(() => textingSettings({ reminderText: 'See you {when}' }, TEXTING_DEFAULTS)).toThrow(/\{when\} is not a placeholder/);
    expect(() => textingSettings({ reminderHours: 1.5 }, TEXTING_DEFAULTS)).toThrow(/whole number of hours/);
    expect(() => textingSettings({ sendFrom: '22:00' }, TEXTING_DEFAULTS)).toThrow(/before send texts until/);
    expect(() => textingSettings({ secondReminderHours: 24 }, TEXTING_DEFAULTS)).toThrow(/different time/);
  });
});
