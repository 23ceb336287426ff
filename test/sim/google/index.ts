export { GoogleCalendarSim, type FailOptions, type RequestMatch } from './google-sim.js';
export { CALENDAR_SCOPE } from './oauth-server.js';
export type { SimEvent } from './calendar-api.js';
export type { SimRequest } from './sim-types.js';
