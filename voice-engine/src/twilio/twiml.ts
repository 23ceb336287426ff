import twilio from 'twilio';

const { VoiceResponse } = twilio.twiml;

type VoiceResponseBuilder = InstanceType<typeof VoiceResponse>;

/**
 * Twilio drops query strings from stream URLs, so call details travel as <Parameter>s.
 * The fallback follows </Connect>: Twilio plays it if the stream ends without the engine
 * moving the call elsewhere, so even an engine crash leaves nobody in silence.
 */
export function connectStreamTwiml(streamUrl: string, parameters: Record<string, string>, fallback: { transferNumber: string | null; urls: FallbackUrls }): string {
  const response = new VoiceResponse();
  const stream = response.connect().stream({ url: streamUrl });
  for (const [name, value] of Object.entries(parameters)) stream.parameter({ name, value });
  appendFallback(response, fallback.transferNumber, fallback.urls);
  return response.toString();
}

export const APOLOGY = 'We are sorry, our virtual receptionist is having trouble right now.';

export interface FallbackUrls {
  /** Where Twilio posts the finished voicemail recording. */
  voicemailUrl: string;
  /** Where Twilio reports how the transfer went, so an unanswered one becomes a voicemail. */
  dialStatusUrl: string;
}

/** The caller never hears silence: an apology, then a person, or else a voicemail. */
export function fallbackTwiml(transferNumber: string | null, urls: FallbackUrls): string {
  const response = new VoiceResponse();
  appendFallback(response, transferNumber, urls);
  return response.toString();
}

function appendFallback(response: VoiceResponseBuilder, transferNumber: string | null, urls: FallbackUrls): void {
  if (transferNumber) {
    response.say(`${APOLOGY} Let me connect you with our front desk.`);
    response.dial({ action: urls.dialStatusUrl, timeout: 25 }, transferNumber);
  } else {
    appendVoicemail(response, urls.voicemailUrl, `${APOLOGY} Please leave your name, number and a short message after the tone, and the team will call you back.`);
  }
}

/** A transfer; `announcement` only when nobody has told the caller yet (the receptionist's own transfers are announced by the receptionist, once). */
export function transferTwiml(transferNumber: string, dialStatusUrl: string, announcement?: string): string {
  const response = new VoiceResponse();
  if (announcement) response.say(announcement);
  response.dial({ action: dialStatusUrl, timeout: 25 }, transferNumber);
  return response.toString();
}

export function voicemailTwiml(voicemailUrl: string, prompt: string): string {
  const response = new VoiceResponse();
  appendVoicemail(response, voicemailUrl, prompt);
  return response.toString();
}

function appendVoicemail(response: VoiceResponseBuilder, voicemailUrl: string, prompt: string): void {
  response.say(prompt);
  response.record({ action: voicemailUrl, method: 'POST', maxLength: 180, playBeep: true, finishOnKey: '#' });
  response.say('We did not receive a message. Please call again. Goodbye.');
  response.hangup();
}

export function goodbyeTwiml(message: string): string {
  const response = new VoiceResponse();
  response.say(message);
  response.hangup();
  return response.toString();
}

export function emptyTwiml(): string {
  return new VoiceResponse().toString();
}
