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
  /** Where Twilio reports how the transfer went, so an unanswered one comes back or becomes a voicemail. */
  dialStatusUrl: string;
  /** What the front desk hears on answering a transfer (`?call=` the caller's CallSid). */
  whisperUrl: string;
  /** Where the front desk's key press (or staying on the line) is reported. */
  whisperAnswerUrl: string;
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

/** The caller's CallSid on a transfer URL: the whisper runs on the front desk's own call leg. */
export function forCall(url: string, callSid: string): string {
  return `${url}?call=${encodeURIComponent(callSid)}`;
}

/**
 * A warm transfer: the front desk's phone rings, and on answering hears the whisper (the
 * <Number url>) before the caller is put through; the caller hears ringing meanwhile.
 */
export function warmTransferTwiml(transferNumber: string, callSid: string, urls: FallbackUrls, announcement?: string): string {
  const response = new VoiceResponse();
  if (announcement) response.say(announcement);
  response.dial({ action: urls.dialStatusUrl, timeout: 20 }).number({ url: forCall(urls.whisperUrl, callSid), method: 'POST' }, transferNumber);
  return response.toString();
}

/** The key a person at the front desk presses to take a whispered call, and the one that sends it back. */
export const ACCEPT_KEY = '1';
export const DECLINE_KEY = '2';
const WHISPER_WAIT_S = 8;

/**
 * What the front desk hears before the caller is connected. With `pressKey` a voicemail
 * box that answers the desk's phone never takes the caller: nobody presses 1, the leg hangs
 * up, and the caller comes back to the receptionist. Without it, staying on the line
 * through the whisper takes the call (the <Redirect> reports it).
 */
export function whisperTwiml(sentence: string, pressKey: boolean, answerUrl: string): string {
  const response = new VoiceResponse();
  if (!pressKey) {
    response.say(`${sentence} Connecting you now.`);
    response.redirect({ method: 'POST' }, answerUrl);
    return response.toString();
  }
  response
    .gather({ numDigits: 1, timeout: WHISPER_WAIT_S, action: answerUrl, method: 'POST', actionOnEmptyResult: false })
    .say(`${sentence} Press ${ACCEPT_KEY} to take the call, or ${DECLINE_KEY} to send it back to the receptionist.`);
  response.say('No key pressed. The call goes back to the receptionist.');
  response.hangup();
  return response.toString();
}

/** The front desk's answer to the whisper: an empty document puts the caller through. */
export function whisperAnsweredTwiml(accepted: boolean): string {
  const response = new VoiceResponse();
  if (!accepted) {
    response.say('The call goes back to the receptionist, who will take a message.');
    response.hangup();
  }
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
