import { DateTime } from 'luxon';
import type { Rig } from './call-rig.js';

export const CLINIC_TZ = 'America/New_York';
const ALL_WEEK = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{ startMin: 9 * 60, endMin: 17 * 60 }]]));

export interface SeededClinic {
  priya: number;
  sam: number;
  botox: number;
  /** Tomorrow in the clinic's zone, YYYY-MM-DD. */
  tomorrow: string;
  at(date: string, time: string): number;
}

async function ok<T>(rig: Rig, name: string, args: unknown): Promise<T> {
  const reply = await rig.handler<T>(name, args);
  if (!reply.ok) throw new Error(`${name} failed: ${reply.error.message}`);
  return reply.value;
}

/**
 * A med spa open every day 9–5 in New York, so "tomorrow at 2 PM" is bookable
 * whatever day the tests run, set up through the staff API as a clinic would.
 */
export async function seedClinic(rig: Rig): Promise<SeededClinic> {
  await ok(rig, 'clinic/update', {
    profile: { name: 'Glow Med Spa', address: '12 Main Street', phone: '+15550001234', timezone: CLINIC_TZ },
    hours: ALL_WEEK,
    rules: { minLeadMinutes: 60, horizonDays: 60, slotStepMinutes: 30 },
    policies: [{ title: 'Cancellation policy', text: 'Please give 24 hours notice.' }],
    faqs: [{ question: 'Is there parking?', answer: 'Yes, free parking behind the building.' }],
  });
  const priya = await ok<{ id: number }>(rig, 'providers/save', { name: 'Priya Shah', hours: ALL_WEEK, calendarId: 'priya@glow.test' });
  const sam = await ok<{ id: number }>(rig, 'providers/save', { name: 'Sam Lee', hours: ALL_WEEK, calendarId: 'sam@glow.test' });
  const botox = await ok<{ id: number }>(rig, 'services/save', { name: 'Botox', durationMin: 30, bufferAfterMin: 10, priceCents: 30000, priceFrom: true, providerIds: [priya.id, sam.id] });
  const tomorrow = DateTime.now().setZone(CLINIC_TZ).plus({ days: 1 }).toISODate()!;
  return {
    priya: priya.id,
    sam: sam.id,
    botox: botox.id,
    tomorrow,
    at: (date, time) => DateTime.fromISO(`${date}T${time}`, { zone: CLINIC_TZ }).toMillis(),
  };
}
