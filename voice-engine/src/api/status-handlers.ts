import { DateTime } from 'luxon';
import type { GoogleCalendarConfig } from '../calendar/google/google-config.js';
import type { GoogleTokenStore } from '../calendar/google/google-token-store.js';
import { KNOWLEDGE_KEYS, loadKnowledge } from '../clinic/knowledge.js';
import type { EngineConfig } from '../config.js';
import type { ChecklistItem, PhoneLineStatus, StatusView } from '../contract-views.js';
import type { Store } from '../store/index.js';
import { readiness } from './health-handlers.js';
import type { HandlerRegistry } from './registry.js';

const REACHABILITY_TTL_MS = 60_000;
const REACHABILITY_TIMEOUT_MS = 3000;

/**
 * Whether the public URL answers from the outside, checked through the tunnel the way
 * Twilio would reach it, and remembered for a minute so the status bar stays cheap.
 */
function reachabilityChecker(config: EngineConfig): () => boolean | null {
  let last: { url: string; at: number; reachable: boolean | null } | null = null;
  let inFlight = false;
  return () => {
    const url = config.publicBaseUrl?.origin ?? null;
    if (!url) return null;
    const fresh = last && last.url === url && Date.now() - last.at < REACHABILITY_TTL_MS;
    if (!fresh && !inFlight) {
      inFlight = true;
      fetch(`${url}/twilio/health`, { signal: AbortSignal.timeout(REACHABILITY_TIMEOUT_MS) })
        .then((res) => res.ok, () => false)
        .then((reachable) => {
          last = { url, at: Date.now(), reachable };
          inFlight = false;
        });
    }
    return last && last.url === url ? last.reachable : null;
  };
}

export function registerStatusHandlers(
  registry: HandlerRegistry,
  deps: { config: EngineConfig; store: Store; google: { config: GoogleCalendarConfig | null; tokens: GoogleTokenStore }; lastBackupAt: () => number | null; storageProblem: () => string | null; phoneLine?: () => PhoneLineStatus | null },
): void {
  const { config, store, google } = deps;
  const reachable = reachabilityChecker(config);

  registry.register('status/get', (): StatusView => {
    const ready = readiness(config, store);
    let connected = false;
    try {
      connected = google.config !== null && google.tokens.loadRefreshToken() !== null;
    } catch {
      connected = false;
    }
    const tz = loadKnowledge(store).profile.timezone;
    const midnight = DateTime.now().setZone(tz).startOf('day').toMillis();
    return {
      engine: ready.checks.database,
      openai: ready.checks.openai,
      twilio: ready.checks.twilio,
      google: { connected, available: google.config !== null },
      publicUrl: { url: config.publicBaseUrl?.origin ?? null, reachable: reachable() },
      lastBackupAt: deps.lastBackupAt(),
      storageProblem: deps.storageProblem(),
      callsToday: store.calls.startedSince(midnight),
      phoneLine: deps.phoneLine?.() ?? null,
    };
  });

  registry.register('setup/checklist', (): ChecklistItem[] => {
    const s = store.settings;
    const services = store.clinic.services().length;
    const ready = readiness(config, store);
    const url = reachable();
    const line = deps.phoneLine?.() ?? null;
    const tried = store.calls.hasTestCall();
    return [
      { key: 'clinic', label: 'Clinic name and time zone', done: Boolean(s.get(KNOWLEDGE_KEYS.name) && s.get(KNOWLEDGE_KEYS.timezone)), detail: 'Settings → Clinic' },
      { key: 'hours', label: 'Opening hours', done: s.get(KNOWLEDGE_KEYS.hours) !== undefined, detail: 'Settings → Hours' },
      { key: 'service', label: 'At least one service', done: services > 0, detail: services > 0 ? `${services} service(s)` : 'Settings → Services' },
      { key: 'openai', label: 'OpenAI API key', done: ready.checks.openai.ready, detail: ready.checks.openai.reason ?? 'Set' },
      {
        key: 'testCall',
        label: 'Talk to the receptionist from this PC',
        done: tried,
        detail: tried ? 'Done' : 'Live calls → Talk to the receptionist',
        optional: true,
      },
      { key: 'twilio', label: 'Twilio account and auth token', done: ready.checks.twilio.ready, detail: ready.checks.twilio.reason ?? 'Set' },
      {
        key: 'publicUrl',
        label: 'Public URL that Twilio can reach',
        done: ready.checks.publicUrl.ready && url !== false,
        detail: !ready.checks.publicUrl.ready ? 'Settings → Telephony' : url === false ? `${config.publicBaseUrl?.origin} does not answer: check the tunnel` : url === null ? 'Checking…' : 'Answers',
      },
      {
        key: 'number',
        label: 'The clinic’s Twilio number sends its calls here',
        done: line?.pointsHere === true,
        detail: !line ? 'Settings → Phone: pick the number and press “Use this number”' : line.pointsHere ? line.phoneNumber : (line.problem ?? `${line.phoneNumber} no longer points at this PC`),
      },
    ];
  });
}
