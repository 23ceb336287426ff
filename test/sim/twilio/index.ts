import { SimPhoneNumbers } from './phone-numbers.js';
import { SimStudio, type FlowStep } from './studio.js';
import { FrameClock } from './frame-clock.js';
import { SimCall, type SimCallContext } from './media-call.js';
import type { SentMessage } from './rest-resources.js';
import { RestServer, type RestRequest } from './rest-server.js';
import { randomSid, type SignatureMode } from './signing.js';
import { postSignedForm, toEngineUrl, type WebhookResult } from './webhook-client.js';

export { SimCall } from './media-call.js';
export type { CallEndStatus, Redirect, VoiceResponse } from './media-call.js';
export type { ProtocolError } from './media-stream.js';
export type { ClearRecord } from './playout.js';
export type { CallStatus, SentMessage } from './rest-resources.js';
export type { RestRequest } from './rest-server.js';
export type { SignatureMode } from './signing.js';
export type { ParsedTwiml, TwimlNode } from './twiml.js';
export type { WebhookResult } from './webhook-client.js';
export type { DialedPhone, DialRecord } from './dial.js';
export type { InboundRecord, InboundText } from './messaging.js';
import { SimMessaging, type InboundRecord, type InboundText } from './messaging.js';
import type { DialedPhone } from './dial.js';

export interface TwilioSimOptions {
  /** 'AC' + 32 hex. */
  accountSid: string;
  /** Signs webhooks and is the password REST basic auth must carry. */
  authToken: string;
  /** The engine's real listener, e.g. 'http://127.0.0.1:41234'; may be set later. */
  engineUrl?: string;
  /** The URL Twilio believes it calls (a tunnel); signatures cover this, bytes go to engineUrl. */
  publicBaseUrl: string;
  /**
   * Spread calls' 20 ms media frames over this many phases of the frame period instead of
   * sending every call's frame in the same instant (see FrameClock). Default 1: aligned.
   */
  clockPhases?: number;
}

export interface PlaceCallOptions {
  from: string;
  to: string;
  /** What the caller says into a fallback flow's voicemail (a WAV); a few seconds of silence unless given. */
  voicemail?: Buffer;
  callSid?: string;
  signature?: SignatureMode;
  /** Open the media socket when the TwiML asks for one. Default true. */
  connectMedia?: boolean;
  mediaSignature?: SignatureMode;
  /** Keep every engine message in call.received. Default true; the bench turns it off. */
  recordReceived?: boolean;
  /**
   * The STIR/SHAKEN verification Twilio adds to the incoming-call webhook (StirVerstat),
   * e.g. 'TN-Validation-Passed-A'; absent when the call carried no attestation.
   */
  stirVerstat?: string;
}

interface RestWaiter {
  check(r: RestRequest): void;
  fail(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A stand-in for Twilio that speaks its wire protocols to the engine under test: signed
 * voice and status webhooks, Media Streams over WebSocket at real-time pace, and the REST
 * API subset the engine calls back through the twilio SDK.
 */
export class TwilioSim {
  engineUrl: string | undefined;
  readonly calls: SimCall[] = [];
  readonly messages: SentMessage[] = [];
  /** The one clock pacing every call's media; its burst/skip counters show event-loop stalls. */
  readonly clock: FrameClock;
  private readonly rest: RestServer;
  private readonly callsBySid = new Map<string, SimCall>();
  private readonly phones = new Map<string, DialedPhone>();
  /** Recordings Twilio holds (voicemails), by RE sid; the engine downloads and may delete them. */
  readonly recordings = new Map<string, Buffer>();
  readonly recordingInfo = new Map<string, { callSid: string; dateCreated: Date; durationS: number }>();
  /** The account's phone numbers (IncomingPhoneNumbers): add one with phoneNumbers.add(). */
  readonly phoneNumbers = new SimPhoneNumbers();
  /** Studio flows the account has (the fallback Deskline creates lives here). */
  readonly studio: SimStudio;
  /** Texts in both directions: inbound webhooks, opt-outs, delivery reports. */
  readonly messaging: SimMessaging;
  private readonly restWaiters = new Set<RestWaiter>();
  private closing = false;

  /** Calls whose number's primary URL did not answer and went through its Studio fallback flow, by call sid. */
  readonly fallbackRuns = new Map<string, FlowStep[]>();

  private constructor(readonly opts: TwilioSimOptions) {
    this.studio = new SimStudio(opts.accountSid);
    this.engineUrl = opts.engineUrl;
    this.clock = new FrameClock(opts.clockPhases);
    this.messaging = new SimMessaging({
      accountSid: opts.accountSid,
      postWebhook: (path, params) => this.postWebhook(path, params),
      postPublicUrl: (url, params) =>
        postSignedForm({ publicUrl: url, actualUrl: toEngineUrl(url, this.opts.publicBaseUrl, this.requireEngineUrl()) }, this.opts.authToken, params),
    });
    this.rest = new RestServer({
      accountSid: opts.accountSid,
      authToken: opts.authToken,
      findCall: (sid) => this.callsBySid.get(sid),
      allCalls: () => this.calls,
      recordMessage: (m) => this.messages.push(m),
      refuseMessage: (to) => this.messaging.refuse(to),
      recordings: this.recordings,
      recordingInfo: this.recordingInfo,
      phoneNumbers: this.phoneNumbers,
      studio: this.studio,
      messageCreated: (m, statusCallback) => this.messaging.created(m, statusCallback),
      onRequest: (r) => {
        for (const w of [...this.restWaiters]) w.check(r);
      },
    });
  }

  /** A patient texts the clinic. */
  sendSms(text: InboundText): Promise<InboundRecord> {
    return this.messaging.receive(text);
  }

  static async start(opts: TwilioSimOptions): Promise<TwilioSim> {
    const sim = new TwilioSim(opts);
    await sim.rest.start();
    return sim;
  }

  get restBaseUrl(): string {
    return this.rest.baseUrl;
  }

  get restRequests(): RestRequest[] {
    return this.rest.requests;
  }

  /** Milliseconds added before every REST response. */
  get restLatencyMs(): number {
    return this.rest.latencyMs;
  }
  set restLatencyMs(ms: number) {
    this.rest.latencyMs = ms;
  }

  /** The next `count` REST requests get `status` with a Twilio error body instead of their answer. */
  failNextRest(status: number, count = 1): void {
    this.rest.failNext(status, count);
  }

  /** Resolves with the first REST request (already received or still to come) matching pred. */
  waitForRest(pred: (r: RestRequest) => boolean, timeoutMs = 5000): Promise<RestRequest> {
    const seen = this.rest.requests.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: RestWaiter = {
        check: (r) => {
          if (!pred(r)) return;
          this.restWaiters.delete(waiter);
          clearTimeout(waiter.timer);
          resolve(r);
        },
        fail: (err) => {
          this.restWaiters.delete(waiter);
          clearTimeout(waiter.timer);
          reject(err);
        },
        timer: setTimeout(() => {
          const seenPaths = this.rest.requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
          waiter.fail(new Error(`no matching REST request within ${timeoutMs} ms (received: ${seenPaths})`));
        }, timeoutMs),
      };
      this.restWaiters.add(waiter);
    });
  }

  /** Plays the phone at `number`: a <Dial> to it rings, and is answered (or not) as told. */
  phone(number: string, behaviour: DialedPhone): void {
    this.phones.set(number, behaviour);
  }

  call(callSid: string): SimCall | undefined {
    return this.callsBySid.get(callSid);
  }

  /**
   * An inbound call: the signed voice webhook, then (if the TwiML connects a stream) the
   * media socket with connected and start sent. Resolves when media is flowing, the upgrade
   * was refused (call.mediaRejected), or there is no stream to open.
   */
  async placeCall(o: PlaceCallOptions): Promise<SimCall> {
    const callSid = o.callSid ?? randomSid('CA');
    const call = new SimCall(this.callContext(), { callSid, from: o.from, to: o.to, recordReceived: o.recordReceived ?? true });
    this.calls.push(call);
    this.callsBySid.set(callSid, call);
    const params = call.callParams('ringing');
    if (o.stirVerstat) params.StirVerstat = o.stirVerstat;
    const res = await this.postWebhook('/twilio/voice', params, o.signature ?? 'valid').catch(() => ({ status: 0, body: '' }));
    // The primary URL did not answer (the PC is off): Twilio uses the number's fallback URL.
    const fallback = res.status === 0 || res.status >= 500 ? [...this.phoneNumbers.numbers.values()].find((n) => n.phoneNumber === o.to)?.voiceFallbackUrl : undefined;
    const flow = fallback ? this.studio.flowAt(fallback) : undefined;
    if (flow) {
      const steps = this.studio.runCall(flow);
      this.fallbackRuns.set(callSid, steps);
      // The caller left a voicemail in the flow: Twilio keeps it, as for a <Record>.
      if (steps.some((st) => st.type === 'record-voicemail')) this.keepRecording(callSid, o.voicemail ?? silentWav(3));
      call.status = 'completed';
      call.stream.markAbsent('the fallback flow took the call');
      return call;
    }
    call.answered(res);
    if (this.closing) {
      call.stream.markAbsent('simulator closed');
    } else if (call.voiceResponse.streamUrl === undefined) {
      call.stream.markAbsent('no <Connect><Stream> in the voice response');
    } else if (o.connectMedia === false) {
      call.stream.markAbsent('connectMedia: false');
    } else {
      await call.connectMedia(o.mediaSignature ?? 'valid');
    }
    return call;
  }

  /** Keeps a recording as Twilio does (REST Recordings); returns its RE sid. */
  keepRecording(callSid: string, wav: Buffer): string {
    const sid = randomSid('RE');
    this.recordings.set(sid, wav);
    this.recordingInfo.set(sid, { callSid, dateCreated: new Date(), durationS: Math.max(1, Math.round((wav.length - 44) / 16000)) });
    return sid;
  }

  /** A signed form POST to publicBaseUrl + path, delivered to the engine. */
  postWebhook(path: string, params: Record<string, string>, signature: SignatureMode = 'valid'): Promise<WebhookResult> {
    return postSignedForm(
      { publicUrl: this.opts.publicBaseUrl + path, actualUrl: this.requireEngineUrl() + path },
      this.opts.authToken,
      params,
      signature,
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    this.clock.stop();
    for (const call of this.calls) call.shutdown();
    for (const w of [...this.restWaiters]) w.fail(new Error('TwilioSim closed while waiting for a REST request'));
    await this.rest.close();
  }

  private callContext(): SimCallContext {
    return {
      accountSid: this.opts.accountSid,
      authToken: this.opts.authToken,
      publicBaseUrl: this.opts.publicBaseUrl,
      engineUrl: () => this.requireEngineUrl(),
      clock: this.clock,
      postWebhook: (path, params, signature) => this.postWebhook(path, params, signature),
      phones: this.phones,
      storeRecording: (callSid, wav) => this.keepRecording(callSid, wav),
      postPublicUrl: (publicUrl, params) =>
        postSignedForm(
          { publicUrl, actualUrl: toEngineUrl(publicUrl, this.opts.publicBaseUrl, this.requireEngineUrl()) },
          this.opts.authToken,
          params,
        ),
    };
  }

  private requireEngineUrl(): string {
    if (!this.engineUrl) throw new Error('TwilioSim: engineUrl is not set');
    return this.engineUrl.replace(/\/+$/, '');
  }
}

/** A WAV of `seconds` of 8 kHz 16-bit silence. */
function silentWav(seconds: number): Buffer {
  const data = Buffer.alloc(seconds * 16000);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}
