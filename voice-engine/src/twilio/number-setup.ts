import type { EngineConfig } from '../config.js';
import type { PhoneNumberView, PhoneLineStatus } from '../contract-views.js';
import type { Store } from '../store/index.js';
import { TWILIO_NUMBER_KEY } from '../sms/clinic-number.js';
import type { TwilioRestClient } from './rest.js';
import { ensureFallbackFlow, FALLBACK_FLOW_KEY, type FallbackFlowRecord } from './fallback-flow.js';
import { loadKnowledge } from '../clinic/knowledge.js';

/** The number Deskline configured, and how it was set before, so it can be put back. */
export const CONNECTED_NUMBER_KEY = 'telephony.connectedNumber';

interface NumberSettings {
  voiceUrl: string | null;
  voiceFallbackUrl?: string | null;
  voiceFallbackMethod?: string | null;
  voiceMethod: string | null;
  statusCallback: string | null;
  statusCallbackMethod: string | null;
  smsUrl: string | null;
  smsMethod: string | null;
}

interface ConnectedNumber {
  sid: string;
  phoneNumber: string;
  /** Twilio's settings for it before Deskline changed them. */
  previous: NumberSettings;
}

/** Twilio's resource, as the SDK gives it: only what this module reads. */
interface NumberResource extends NumberSettings {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
}

/** Where Twilio must send this PC's calls and texts, from the public URL. */
export function desklineUrls(base: URL): { voiceUrl: string; statusCallback: string; smsUrl: string } {
  return { voiceUrl: new URL('/twilio/voice', base).toString(), statusCallback: new URL('/twilio/status', base).toString(), smsUrl: new URL('/twilio/sms', base).toString() };
}

function pointsHere(n: NumberResource, base: URL | null): boolean {
  if (!base) return false;
  const want = desklineUrls(base);
  return n.voiceUrl === want.voiceUrl && n.smsUrl === want.smsUrl && n.statusCallback === want.statusCallback;
}

function view(n: NumberResource, store: Store, base: URL | null): PhoneNumberView {
  const isConnected = connected(store)?.sid === n.sid;
  const flow = store.settings.get<FallbackFlowRecord>(FALLBACK_FLOW_KEY);
  const fallback = isConnected && flow && n.voiceFallbackUrl === flow.webhookUrl ? { dials: flow.dials } : null;
  return { sid: n.sid, phoneNumber: n.phoneNumber, friendlyName: n.friendlyName, voiceUrl: n.voiceUrl, smsUrl: n.smsUrl, connected: isConnected, pointsHere: pointsHere(n, base), fallback };
}

function connected(store: Store): ConnectedNumber | null {
  return store.settings.get<ConnectedNumber>(CONNECTED_NUMBER_KEY) ?? null;
}

function needClient(rest: () => TwilioRestClient | null): TwilioRestClient {
  const client = rest();
  if (!client) throw new NumberSetupError('Enter the Twilio Account SID and Auth Token first (Settings → Phone).');
  return client;
}

export class NumberSetupError extends Error {}

/**
 * Settings → Phone: the account's numbers, and configuring one to reach this PC through
 * Twilio's REST API (voice URL, status callback and SMS URL, all POST), keeping what was there
 * before so "Disconnect this number" can put it back.
 */
export class NumberSetup {
  constructor(
    private readonly deps: { rest: () => TwilioRestClient | null; store: Store; config: EngineConfig },
  ) {}

  async list(): Promise<PhoneNumberView[]> {
    const numbers = (await needClient(this.deps.rest).incomingPhoneNumbers.list({ limit: 100 })) as unknown as NumberResource[];
    return numbers.map((n) => view(n, this.deps.store, this.deps.config.publicBaseUrl));
  }

  /** Points the number at this PC; returns it and, field by field, what changed. */
  async connect(sid: string): Promise<{ number: PhoneNumberView; changed: Array<{ field: string; before: string | null; after: string }> }> {
    const base = this.deps.config.publicBaseUrl;
    if (!base) throw new NumberSetupError('Set the public URL first (Settings → Phone): Twilio needs an https address that reaches this PC.');
    const client = needClient(this.deps.rest);
    const current = (await client.incomingPhoneNumbers(sid).fetch()) as unknown as NumberResource;
    const urls = desklineUrls(base);
    const before = connected(this.deps.store);
    // Reconnecting (a new tunnel address) keeps the settings from before Deskline, not its own old ones.
    const previous: NumberSettings = before?.sid === sid ? before.previous : pick(current);
    // Calls still reach a person when this PC does not answer: the fallback flow is set in the same update.
    const flow = await this.ensureFallback(client);
    const updated = (await client.incomingPhoneNumbers(sid).update({
      voiceUrl: urls.voiceUrl, voiceMethod: 'POST', statusCallback: urls.statusCallback, statusCallbackMethod: 'POST', smsUrl: urls.smsUrl, smsMethod: 'POST',
      voiceFallbackUrl: flow.webhookUrl, voiceFallbackMethod: 'POST',
    })) as unknown as NumberResource;
    this.deps.store.settings.set(CONNECTED_NUMBER_KEY, { sid, phoneNumber: current.phoneNumber, previous } satisfies ConnectedNumber);
    this.deps.store.settings.set(TWILIO_NUMBER_KEY, current.phoneNumber);
    const changed = (['voiceUrl', 'voiceMethod', 'statusCallback', 'statusCallbackMethod', 'smsUrl', 'smsMethod', 'voiceFallbackUrl'] as const)
      .filter((f) => current[f] !== updated[f])
      .map((field) => ({ field, before: current[field] ?? null, after: String(updated[field]) }));
    return { number: view(updated, this.deps.store, base), changed };
  }

  /** Puts the number back as it was before Deskline, and forgets it. */
  async disconnect(): Promise<PhoneNumberView> {
    const c = connected(this.deps.store);
    if (!c) throw new NumberSetupError('No number is connected to this PC.');
    const p = c.previous;
    const restored = (await needClient(this.deps.rest).incomingPhoneNumbers(c.sid).update({
      voiceUrl: p.voiceUrl ?? '', voiceMethod: p.voiceMethod ?? 'POST', voiceFallbackUrl: p.voiceFallbackUrl ?? '', voiceFallbackMethod: p.voiceFallbackMethod ?? 'POST', statusCallback: p.statusCallback ?? '', statusCallbackMethod: p.statusCallbackMethod ?? 'POST', smsUrl: p.smsUrl ?? '', smsMethod: p.smsMethod ?? 'POST',
    })) as unknown as NumberResource;
    this.deps.store.settings.set(CONNECTED_NUMBER_KEY, null);
    return view(restored, this.deps.store, this.deps.config.publicBaseUrl);
  }

  private ensureFallback(client: TwilioRestClient): Promise<FallbackFlowRecord> {
    return ensureFallbackFlow(client, this.deps.store, loadKnowledge(this.deps.store).profile.name, this.deps.config.transferNumber ?? null);
  }

  /** Whether the connected number still sends calls to this PC's public URL (the status bar). */
  async check(): Promise<PhoneLineStatus | null> {
    const c = connected(this.deps.store);
    const client = this.deps.rest();
    if (!c || !client) return null;
    try {
      // The front-desk number changed since the fallback was made: it rings the new one.
      if ((this.deps.store.settings.get<FallbackFlowRecord>(FALLBACK_FLOW_KEY)?.dials ?? null) !== (this.deps.config.transferNumber ?? null)) await this.ensureFallback(client);
      const n = (await client.incomingPhoneNumbers(c.sid).fetch()) as unknown as NumberResource;
      const here = pointsHere(n, this.deps.config.publicBaseUrl);
      return { phoneNumber: c.phoneNumber, pointsHere: here, problem: here ? null : `Twilio sends ${c.phoneNumber}'s calls to ${n.voiceUrl ?? 'nowhere'}, not this PC: update it in Settings → Phone.` };
    } catch (err) {
      return { phoneNumber: c.phoneNumber, pointsHere: false, problem: `Could not read ${c.phoneNumber}'s settings from Twilio: ${(err as Error).message}` };
    }
  }
}

function pick(n: NumberSettings): NumberSettings {
  return { voiceUrl: n.voiceUrl ?? null, voiceFallbackUrl: n.voiceFallbackUrl ?? null, voiceFallbackMethod: n.voiceFallbackMethod ?? null, voiceMethod: n.voiceMethod ?? null, statusCallback: n.statusCallback ?? null, statusCallbackMethod: n.statusCallbackMethod ?? null, smsUrl: n.smsUrl ?? null, smsMethod: n.smsMethod ?? null };
}
