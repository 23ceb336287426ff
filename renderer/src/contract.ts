/**
 * The engine's contract, as types only. This is the one place the renderer reaches into
 * voice-engine/: `import type` keeps every byte of engine runtime out of the bundle.
 */
export type * from '../../voice-engine/src/contract.js';

import type { WeeklyHours } from '../../voice-engine/src/contract.js';

/** ISO weekday, 1 = Monday … 7 = Sunday (the engine's IsoWeekday, which contract.ts does not re-export). */
export type IsoWeekday = keyof WeeklyHours;
/** One opening span in minutes after midnight. */
export type TimeRange = NonNullable<WeeklyHours[IsoWeekday]>[number];
