import type { Store } from '../store/index.js';
import type { TwilioRestClient } from './rest.js';

/** The Studio flow Deskline made for the clinic's number, and the number it dials. */
export const FALLBACK_FLOW_KEY = 'telephony.fallbackFlow';

export interface FallbackFlowRecord {
  sid: string;
  /** The front-desk number the flow rings; null: it takes a voicemail instead. */
  dials: string | null;
  webhookUrl: string;
}

/**
 * What a caller gets when this PC does not answer at all (off, asleep, offline): a short
 * apology, then the front desk's own line, or a voicemail when there is none. It lives at
 * Twilio as a Studio flow (a TwiML Bin cannot be made through the API), so it works with
 * the PC off. Studio's JSON: a trigger, then one widget per step.
 */
export function fallbackDefinition(clinicName: string, dials: string | null): Record<string, unknown> {
  const apology = dials
    ? `Thank you for calling ${clinicName}. Our phone system is not answering right now; connecting you to the front desk.`
    : `Thank you for calling ${clinicName}. Our phone system is not answering right now. Please leave your name, number and a short message after the tone, and we will call you back.`;
  const offset = (y: number) => ({ offset: { x: 0, y } });
  return {
    description: 'Deskline: when the front-desk PC does not answer',
    flags: { allow_concurrent_calls: true },
    initial_state: 'Trigger',
    states: [
      {
        name: 'Trigger',
        type: 'trigger',
        transitions: [{ event: 'incomingMessage' }, { event: 'incomingCall', next: 'apology' }, { event: 'incomingConversationMessage' }, { event: 'incomingRequest' }, { event: 'incomingParent' }],
        properties: offset(0),
      },
      { name: 'apology', type: 'say-play', transitions: [{ event: 'audioComplete', next: dials ? 'front_desk' : 'voicemail' }], properties: { say: apology, voice: 'Polly.Joanna', language: 'en-US', loop: 1, ...offset(200) } },
      ...(dials
        ? [
            {
              name: 'front_desk',
              type: 'connect-call-to',
              // Nobody takes it: the caller can still leave a voicemail.
              transitions: [{ event: 'callCompleted', next: 'voicemail' }, { event: 'hangup' }],
              properties: { noun: 'number', to: dials, caller_id: '{{contact.channel.address}}', timeout: 25, record: false, ...offset(400) },
            },
          ]
        : []),
      {
        name: 'voicemail',
        type: 'record-voicemail',
        transitions: [{ event: 'recordingComplete' }, { event: 'noAudio' }, { event: 'hangup' }],
        properties: { max_length: 120, play_beep: 'true', trim: 'trim-silence', finish_on_key: '#', ...offset(600) },
      },
    ],
  };
}

/** Creates the flow, or brings it in step with the front-desk number; the caller points the number's voice fallback URL at it. */
export async function ensureFallbackFlow(client: TwilioRestClient, store: Store, clinicName: string, dials: string | null): Promise<FallbackFlowRecord> {
  const current = store.settings.get<FallbackFlowRecord>(FALLBACK_FLOW_KEY) ?? null;
  const definition = fallbackDefinition(clinicName, dials);
  const flow = current
    ? await client.studio.v2.flows(current.sid).update({ status: 'published', definition, commitMessage: `Deskline: rings ${dials ?? 'no one (voicemail)'}` })
    : await client.studio.v2.flows.create({ friendlyName: `Deskline fallback for ${clinicName}`, status: 'published', definition });
  const record: FallbackFlowRecord = { sid: flow.sid, dials, webhookUrl: flow.webhookUrl };
  store.settings.set(FALLBACK_FLOW_KEY, record);
  return record;
}
