import type { ClinicKnowledge } from '../clinic/knowledge.js';
import { localDate, localMinutes, parseLocalDateTime } from '../scheduling/clinic-time.js';
import type { Provider, Service, Slot } from '../scheduling/types.js';

export function str(args: Record<string, unknown>, key: string): string {
  const value = args[key];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
}

const loose = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/** The model says "a botox appointment" for "Botox": match on words, exact name first. */
export function findService(knowledge: ClinicKnowledge, name: string): Service | undefined {
  const wanted = loose(name);
  if (!wanted) return undefined;
  return (
    knowledge.services.find((s) => loose(s.name) === wanted) ??
    knowledge.services.find((s) => wanted.includes(loose(s.name)) || loose(s.name).includes(wanted))
  );
}

/** "Dr. Priya", "priya" and "Priya Shah" all mean Priya Shah. */
export function findProvider(providers: Provider[], name: string): Provider | undefined {
  const words = loose(name).split(' ').filter((w) => w.length > 1 && w !== 'dr');
  return providers.find((p) => {
    const own = loose(p.name).split(' ');
    return words.length > 0 && words.every((w) => own.includes(w));
  });
}

/**
 * Slots travel through the model as "providerId@YYYY-MM-DDTHH:mm" in clinic time:
 * readable in transcripts, and re-checked in full before anything is booked.
 */
export function encodeSlotId(slot: Pick<Slot, 'providerId' | 'start'>, tz: string): string {
  return `${slot.providerId}@${localDate(slot.start, tz)}T${clockTime(slot.start, tz)}`;
}

/** HH:mm in clinic time, as the tools take and give times. */
export function clockTime(instant: number, tz: string): string {
  const minutes = localMinutes(instant, tz);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function decodeSlotId(id: string, tz: string): Pick<Slot, 'providerId' | 'start'> | null {
  const match = /^(\d+)@(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})$/.exec(id.trim());
  if (!match) return null;
  const start = parseLocalDateTime(match[2]!, tz);
  return start === null ? null : { providerId: Number(match[1]), start };
}
