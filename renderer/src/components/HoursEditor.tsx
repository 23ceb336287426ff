import type { IsoWeekday, WeeklyHours } from '../contract';
import { minutesToHHMM, parseTimeOfDay, WEEKDAYS } from '../format/time';

export interface DraftRange {
  start: string;
  end: string;
}

/** Hours as the form holds them: "09:00"-style strings per ISO weekday. */
export type HoursDraft = Record<IsoWeekday, DraftRange[]>;

export function toDraft(hours: WeeklyHours | undefined): HoursDraft {
  const draft = {} as HoursDraft;
  for (const { iso } of WEEKDAYS) draft[iso] = (hours?.[iso] ?? []).map((r) => ({ start: minutesToHHMM(r.startMin), end: minutesToHHMM(r.endMin) }));
  return draft;
}

/**
 * The draft as the engine wants it (minutes after midnight, 1 = Monday), or the first
 * problem in words a receptionist would understand.
 */
export function fromDraft(draft: HoursDraft, what = 'Hours'): { hours: WeeklyHours; error: null } | { hours: null; error: string } {
  const hours: WeeklyHours = {};
  for (const { iso, long } of WEEKDAYS) {
    const ranges = [];
    for (const r of draft[iso]) {
      const start = parseTimeOfDay(r.start);
      const end = r.end.trim() === '00:00' || r.end.trim() === '24:00' ? 1440 : parseTimeOfDay(r.end);
      if (start === null) return { hours: null, error: `${what} for ${long}: the opening time is missing or not a time.` };
      if (end === null) return { hours: null, error: `${what} for ${long}: the closing time is missing or not a time.` };
      if (end <= start) return { hours: null, error: `${what} for ${long}: closing time must be after opening time.` };
      ranges.push({ startMin: start, endMin: end });
    }
    ranges.sort((a, b) => a.startMin - b.startMin);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i]!.startMin < ranges[i - 1]!.endMin) return { hours: null, error: `${what} for ${long}: the times overlap.` };
    }
    if (ranges.length > 0) hours[iso] = ranges;
  }
  return { hours, error: null };
}

/** A week of opening times: each day closed, or open in one or more spans (e.g. a lunch break). */
export function HoursEditor({ value, onChange, label }: { value: HoursDraft; onChange: (next: HoursDraft) => void; label: string }) {
  const setDay = (iso: IsoWeekday, ranges: DraftRange[]) => onChange({ ...value, [iso]: ranges });
  return (
    <fieldset className="hours-editor">
      <legend>{label}</legend>
      {WEEKDAYS.map(({ iso, long }) => {
        const ranges = value[iso];
        const open = ranges.length > 0;
        return (
          <div key={iso} className="hours-day">
            <label className="checkbox hours-open">
              <input
                type="checkbox"
                checked={open}
                onChange={(e) => setDay(iso, e.target.checked ? [{ start: '09:00', end: '17:00' }] : [])}
                aria-label={`Open on ${long}`}
              />
              <span className="hours-dayname">{long}</span>
            </label>
            {open ? (
              <div className="hours-ranges">
                {ranges.map((r, i) => (
                  <span key={i} className="hours-range">
                    <input type="time" aria-label={`${long} opens at`} value={r.start} onChange={(e) => setDay(iso, ranges.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))} />
                    <span aria-hidden="true">–</span>
                    <input type="time" aria-label={`${long} closes at`} value={r.end} onChange={(e) => setDay(iso, ranges.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))} />
                    {ranges.length > 1 ? (
                      <button type="button" className="ghost" aria-label={`Remove ${long} span ${i + 1}`} onClick={() => setDay(iso, ranges.filter((_, j) => j !== i))}>
                        ×
                      </button>
                    ) : null}
                  </span>
                ))}
                <button
                  type="button"
                  className="ghost small"
                  aria-label={`Add another span on ${long}`}
                  onClick={() => setDay(iso, [...ranges, { start: ranges[ranges.length - 1]?.end ?? '13:00', end: '17:00' }])}
                >
                  + span
                </button>
              </div>
            ) : (
              <span className="muted">Closed</span>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
