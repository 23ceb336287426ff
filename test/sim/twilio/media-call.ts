import { performance } from 'node:perf_hooks';
import type { FrameClock } from './frame-clock.js';
import { MediaStream, type ProtocolError, type StreamHooks } from './media-stream.js';
import type { ClearRecord } from './playout.js';
import { API_VERSION, rfc2822, twilioError, type CallStatus, type TwilioErrorBody } from './rest-resources.js';
import type { RestCall } from './rest-server.js';
import type { SignatureMode } from './signing.js';
import { parseTwiml, type ParsedTwiml, type TwimlNode } from './twiml.js';
import { toEngineUrl, type WebhookResult } from './webhook-client.js';
import { dialedNumber, ringAndWhisper, type DialedPhone, type DialRecord } from './dial.js';

/** What a call needs from its simulator. */
export interface SimCallContext {
  accountSid: string;
  authToken: string;
  publicBaseUrl: string;
  engineUrl(): string;
  clock: FrameClock;
  postWebhook(path: string, params: Record<string, string>, signature?: SignatureMode): Promise<WebhookResult>;
  /** A signed POST to an absolute public URL (a REST Url redirect). */
  postPublicUrl(publicUrl: string, params: Record<string, string>): Promise<WebhookResult>;
  /** Phones the test plays, by number: a <Dial> to one of them is carried out. */
  phones: ReadonlyMap<string, DialedPhone>;
  /** Keeps a recording as Twilio does (REST Recordings); returns its RE sid. */
  storeRecording(callSid: string, wav: Buffer): string;
}

export interface VoiceResponse extends ParsedTwiml {
  status: number;
  body: string;
}

export interface Redirect {
  at: number;
  /** rest: Calls/{sid} update; after-connect: the stream ended and Twilio ran the verbs after </Connect>. */
  via: 'rest' | 'after-connect';
  /** The TwiML now in control: given inline, or fetched from `url` (empty until the fetch returns). */
  twiml: string;
  url?: string;
  fetchStatus?: number;
}

export type CallEndStatus = 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

interface Waiter {
  pred: (call: SimCall) => boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

const LIVE: ReadonlySet<CallStatus> = new Set(['queued', 'ringing', 'in-progress']);

/** TwiML that ends the call once it has run: Twilio hangs up after <Hangup/> or <Reject/>. */
function endsCall(verbs: TwimlNode[]): boolean {
  const last = verbs[verbs.length - 1];
  return last?.name === 'Hangup' || last?.name === 'Reject';
}

/** The TwiML after </Connect> in a voice response, as its own document; null when there is none. */
function afterConnect(body: string): string | null {
  const m = /<\/Connect>([\s\S]*)<\/Response>/.exec(body);
  const rest = m?.[1]?.trim();
  return rest ? `<Response>${rest}</Response>` : null;
}

/**
 * One simulated inbound call: the webhook answer, the media stream, and the call state
 * the REST API reports and changes, with waitFor() to observe any of it.
 */
export class SimCall implements RestCall, StreamHooks {
  readonly callSid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  status: CallStatus = 'ringing';
  readonly startedAt = new Date();
  endedAt?: Date;
  /** performance.now() at placeCall, the origin for CallDuration. */
  readonly placedAt = performance.now();
  voiceResponse: VoiceResponse = { status: 0, body: '', parameters: {}, verbs: [] };
  readonly redirects: Redirect[] = [];
  readonly protocolErrors: ProtocolError[] = [];
  hungUpByApi = false;
  /** True when the engine, not the simulator, closed the media socket. */
  engineClosedStream = false;
  /** The engine's answer to the status callback hangup() posted. */
  statusCallback?: WebhookResult;
  recordReceived: boolean;
  /** Keep played audio (played()) and returned marks (marksReturned). Default true; the bench turns it off. */
  recordPlayout = true;
  frameHook?: (seq: number) => Buffer | undefined;
  onFrameSent?: (seq: number, at: number) => void;
  onMedia?: (payload: Buffer, at: number) => void;

  /** The current media stream; a call that comes back to the engine after a <Dial> gets a new one. */
  stream: MediaStream;
  readonly streams: MediaStream[] = [];
  /** Each <Dial> to a modelled phone: what the called party heard and pressed, and how it ended. */
  readonly dials: DialRecord[] = [];
  /** What the caller heard from <Say> once off the media stream. */
  readonly heard: string[] = [];
  /** The caller reached a <Record> (a voicemail). */
  reachedVoicemail = false;
  private recordVerb: TwimlNode | undefined;
  /** The TwiML whose verbs after </Connect> follow the current stream. */
  private streamDocument = '';
  private redirectsBeforeStream = 0;
  private bridge: { dial: TwimlNode; record: DialRecord; at: number } | undefined;
  private readonly waiters = new Set<Waiter>();
  private hangupPromise: Promise<void> | undefined;
  private endedAtPerf: number | undefined;

  constructor(
    private readonly ctx: SimCallContext,
    init: { callSid: string; from: string; to: string; recordReceived: boolean },
  ) {
    this.callSid = init.callSid;
    this.accountSid = ctx.accountSid;
    this.from = init.from;
    this.to = init.to;
    this.recordReceived = init.recordReceived;
    this.stream = this.newStream();
  }

  private newStream(): MediaStream {
    const stream: MediaStream = new MediaStream({ accountSid: this.accountSid, callSid: this.callSid }, this.ctx.clock, this, this.protocolErrors, {
      changed: () => this.notify(),
      streamEnded: (byEngine) => this.streamEnded(stream, byEngine),
    });
    this.streams.push(stream);
    return stream;
  }

  get streamSid(): string | undefined {
    return this.stream.streamSid;
  }
  get mediaRejected(): number | undefined {
    return this.stream.rejectedStatus;
  }
  get mediaError(): Error | undefined {
    return this.stream.error;
  }
  get closed(): Promise<{ code: number; reason: string }> {
    return this.stream.closed;
  }
  get received(): Array<{ at: number; msg: any }> {
    return this.stream.received;
  }
  get marksReturned(): Array<{ name: string; at: number }> {
    return this.stream.marksReturned;
  }
  get clears(): ClearRecord[] {
    return this.stream.playout.clears;
  }
  get playedBytes(): number {
    return this.stream.playout.playedBytes;
  }
  /** Engine audio that reached "Twilio" but has not been played to the caller yet. */
  get bufferedBytes(): number {
    return this.stream.playout.bufferedBytes;
  }
  get framesSent(): number {
    return this.stream.framesSent;
  }
  played(): Buffer {
    return this.stream.playout.played();
  }

  /** The parameters Twilio puts on every request about this call. */
  callParams(callStatus: string): Record<string, string> {
    return {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      CallSid: this.callSid,
      CallStatus: callStatus,
      Called: this.to,
      Caller: this.from,
      Direction: 'inbound',
      From: this.from,
      To: this.to,
    };
  }

  /** Records the engine's answer to the voice webhook and what it makes the call do. */
  answered(res: WebhookResult): void {
    this.voiceResponse = { status: res.status, body: res.body, ...parseTwiml(res.body) };
    this.streamDocument = res.body;
    // Twilio plays "an application error has occurred" and hangs up on a failed webhook.
    if (res.status !== 200 || endsCall(this.voiceResponse.verbs)) this.end('completed');
    else this.status = 'in-progress';
    this.notify();
  }

  /** Opens the media socket for the answered <Connect><Stream>. */
  async connectMedia(signature: SignatureMode): Promise<void> {
    const publicUrl = this.voiceResponse.streamUrl;
    if (publicUrl === undefined) throw new Error('voice response has no <Connect><Stream>');
    const actualUrl = toEngineUrl(publicUrl, this.ctx.publicBaseUrl, this.ctx.engineUrl());
    await this.stream.connect(publicUrl, actualUrl, this.ctx.authToken, signature, this.voiceResponse.parameters);
  }

  /** Queue caller audio; it goes out in 20 ms frames after anything already queued. */
  say(audio: Buffer): void {
    this.stream.caller.push(audio);
  }

  sayDone(): Promise<void> {
    return this.stream.caller.drained();
  }

  pressDigit(digit: string): void {
    this.stream.pressDigit(digit);
  }

  sendRaw(data: string | Buffer): void {
    this.stream.sendRaw(data);
  }

  /** Resolves once pred holds; re-checked on every tick, engine message and state change. */
  waitFor(pred: (call: SimCall) => boolean, timeoutMs = 5000): Promise<void> {
    if (pred(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`SimCall ${this.callSid}: condition not met within ${timeoutMs} ms (${this.describe()})`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * The caller hangs up: Twilio sends `stop`, closes the socket, then posts the status
   * callback. Idempotent; a second call returns the first one's promise.
   */
  hangup(opts: { status?: CallEndStatus } = {}): Promise<void> {
    this.hangupPromise ??= (async () => {
      await this.stream.stop();
      this.end(opts.status ?? 'completed');
      const ended = this.endedAtPerf ?? performance.now();
      this.statusCallback = await this.ctx.postWebhook('/twilio/status', {
        ...this.callParams(this.status),
        CallDuration: String(Math.floor((ended - this.placedAt) / 1000)),
        CallbackSource: 'call-progress-events',
        SequenceNumber: '0',
        Timestamp: rfc2822(this.endedAt ?? new Date()),
      });
      this.notify();
    })();
    return this.hangupPromise;
  }

  /** POST Calls/{sid}.json, applied as Twilio applies it to an inbound call. */
  applyRestUpdate(fields: Record<string, string>): TwilioErrorBody | undefined {
    const at = performance.now();
    const { Status: status, Twiml: twiml, Url: url } = fields;
    const hangsUp = status === 'completed' || status === 'canceled';
    if (!LIVE.has(this.status)) {
      // Hanging up a finished call is harmless; redirecting one is Twilio's 21220.
      return hangsUp ? undefined : twilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
    }
    if (hangsUp) {
      this.hungUpByApi = true;
      this.end('completed');
      void this.stream.stop();
    } else if (twiml !== undefined) {
      if (!/<Response[\s>/]/.test(twiml)) return twilioError(400, 12100, 'Document parse failure');
      this.redirects.push({ at, via: 'rest', twiml });
      void this.stream.stop();
      if (endsCall(parseTwiml(twiml).verbs)) this.end('completed');
      else this.followDials(twiml);
    } else if (url !== undefined) {
      this.redirectToUrl(at, url);
    }
    this.notify();
    return undefined;
  }

  /** Tear-down on sim.close(): no clean handshakes, nobody left waiting. */
  shutdown(): void {
    this.stream.terminate();
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`SimCall ${this.callSid}: simulator closed while waiting`));
    }
    this.waiters.clear();
  }

  private redirectToUrl(at: number, url: string): void {
    const redirect: Redirect = { at, via: 'rest', twiml: '', url };
    this.redirects.push(redirect);
    void this.stream.stop();
    this.ctx.postPublicUrl(url, this.callParams('in-progress')).then(
      (res) => {
        redirect.fetchStatus = res.status;
        redirect.twiml = res.body;
        if (res.status !== 200 || endsCall(parseTwiml(res.body).verbs)) this.end('completed');
        else this.followDials(res.body);
        this.notify();
      },
      (err: unknown) => {
        redirect.fetchStatus = 0;
        this.protocolErrors.push({ at: performance.now(), reason: `redirect fetch failed: ${String(err)}`, data: url });
        this.end('completed');
        this.notify();
      },
    );
  }

  private end(status: CallStatus): void {
    if (!LIVE.has(this.status)) return;
    this.status = status;
    this.endedAt = new Date();
    this.endedAtPerf = performance.now();
  }

  /**
   * The stream ended without Twilio's `stop` (the engine closed it, or the connection
   * dropped): Twilio leaves <Connect> and runs the verbs after it; with none, it hangs up.
   */
  private streamEnded(stream: MediaStream, byEngine: boolean): void {
    if (stream !== this.stream) return;
    if (byEngine) this.engineClosedStream = true;
    if (this.redirects.length > this.redirectsBeforeStream || !LIVE.has(this.status)) return;
    const rest = afterConnect(this.streamDocument);
    if (rest === null) return this.end('completed');
    this.redirects.push({ at: performance.now(), via: 'after-connect', twiml: rest });
    if (endsCall(parseTwiml(rest).verbs)) this.end('completed');
    else this.followDials(rest);
  }

  /**
   * Carries out TwiML that dials a phone the test plays (TwilioSim.phone). TwiML dialling
   * anyone else is only recorded, as it always was: nobody is there to answer.
   */
  private followDials(twiml: string): void {
    const dials = parseTwiml(twiml).verbs.filter((v) => v.name === 'Dial');
    if (!dials.some((d) => this.ctx.phones.has(dialedNumber(d).number))) return;
    this.runDocument(twiml, 0).catch((err: unknown) => this.refuse(`running TwiML failed: ${String(err)}`, twiml));
  }

  private refuse(reason: string, data: string): void {
    this.protocolErrors.push({ at: performance.now(), reason, data });
    this.notify();
  }

  /** Twilio's verbs for a caller off the media stream, as far as the engine uses them. */
  private async runDocument(body: string, depth: number): Promise<void> {
    if (depth > 10) return this.refuse('more than 10 TwiML documents in a row', body);
    for (const verb of parseTwiml(body).verbs) {
      if (!LIVE.has(this.status)) return;
      switch (verb.name) {
        case 'Say':
          this.heard.push(verb.text);
          break;
        case 'Dial': {
          const phone = this.ctx.phones.get(dialedNumber(verb).number);
          if (!phone) return;
          const record = await ringAndWhisper(verb, phone, {
            accountSid: this.accountSid,
            parentSid: this.callSid,
            from: this.from,
            post: (url, params) => this.ctx.postPublicUrl(url, params),
            refuse: (reason, data) => this.refuse(reason, data),
          });
          this.dials.push(record);
          this.notify();
          // Connected: the action is posted when the conversation ends (staffHangsUp).
          if (record.bridged) {
            this.bridge = { dial: verb, record, at: performance.now() };
            return;
          }
          if (!verb.attrs.action) break;
          return this.dialAction(verb, record, depth);
        }
        case 'Connect':
          return this.openStream(body);
        case 'Record':
          this.reachedVoicemail = true;
          this.recordVerb = verb;
          this.notify();
          return;
        case 'Hangup':
        case 'Reject':
          this.end('completed');
          this.notify();
          return;
        case 'Redirect': {
          const res = await this.ctx.postPublicUrl(verb.text, this.callParams('in-progress'));
          return this.runDocument(res.body, depth + 1);
        }
        default:
          break;
      }
    }
    // Twilio hangs up at the end of a document.
    this.end('completed');
    this.notify();
  }

  private async dialAction(dial: TwimlNode, record: DialRecord, depth: number, durationS?: number): Promise<void> {
    const res = await this.ctx.postPublicUrl(dial.attrs.action!, {
      ...this.callParams('in-progress'),
      DialCallSid: record.childSid,
      DialCallStatus: record.dialCallStatus ?? 'completed',
      ...(durationS !== undefined ? { DialCallDuration: String(durationS) } : {}),
    });
    record.actionResponse = res;
    this.notify();
    if (res.status !== 200) {
      this.refuse(`<Dial action> answered HTTP ${res.status} (Twilio error 11200)`, dial.attrs.action!);
      this.end('completed');
      return;
    }
    return this.runDocument(res.body, depth + 1);
  }

  /**
   * The caller, at the <Record>, leaves a message and hangs up: Twilio keeps the recording
   * (REST Recordings) and posts the <Record action> with its sid, URL and duration.
   */
  async leaveVoicemail(wav: Buffer, durationS: number): Promise<WebhookResult> {
    const verb = this.recordVerb;
    if (!verb?.attrs.action) throw new Error(`SimCall ${this.callSid}: not at a <Record> with an action`);
    const sid = this.ctx.storeRecording(this.callSid, wav);
    const res = await this.ctx.postPublicUrl(verb.attrs.action, {
      ...this.callParams('completed'),
      RecordingSid: sid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${this.accountSid}/Recordings/${sid}`,
      RecordingDuration: String(durationS),
      Digits: 'hangup',
    });
    this.end('completed');
    this.notify();
    return res;
  }

  /** The person the caller was put through to hangs up: Twilio posts the <Dial action> and runs its answer. */
  async staffHangsUp(): Promise<void> {
    const bridge = this.bridge;
    if (!bridge) throw new Error(`SimCall ${this.callSid}: not connected to anyone`);
    this.bridge = undefined;
    if (bridge.dial.attrs.action) await this.dialAction(bridge.dial, bridge.record, 0, Math.round((performance.now() - bridge.at) / 1000));
  }

  /** A new media stream for a <Connect><Stream> after the first (the call back with the engine). */
  private async openStream(body: string): Promise<void> {
    const parsed = parseTwiml(body);
    if (parsed.streamUrl === undefined) return this.refuse('<Connect> without a <Stream url>', body);
    this.streamDocument = body;
    this.redirectsBeforeStream = this.redirects.length;
    this.stream = this.newStream();
    this.notify();
    const actualUrl = toEngineUrl(parsed.streamUrl, this.ctx.publicBaseUrl, this.ctx.engineUrl());
    await this.stream.connect(parsed.streamUrl, actualUrl, this.ctx.authToken, 'valid', parsed.parameters);
    this.notify();
  }

  /** The stream goes quiet: the socket stays open but carries no frames. */
  goQuiet(): void {
    this.stream.goQuiet();
  }

  /** The media connection drops without `stop` or a close frame. */
  dropStream(): void {
    this.stream.dropConnection();
  }

  /**
   * A second media WebSocket for this live call (a retried or forged stream). Resolves
   * with how it ended; the engine must refuse it without touching the real stream.
   */
  async openSecondStream(): Promise<{ closed: Promise<{ code: number; reason: string }>; framesSent: () => number }> {
    const publicUrl = this.voiceResponse.streamUrl;
    if (publicUrl === undefined) throw new Error('voice response has no <Connect><Stream>');
    const second: MediaStream = new MediaStream({ accountSid: this.accountSid, callSid: this.callSid }, this.ctx.clock, this, [], {
      changed: () => this.notify(),
      streamEnded: () => {},
    });
    const actualUrl = toEngineUrl(publicUrl, this.ctx.publicBaseUrl, this.ctx.engineUrl());
    await second.connect(publicUrl, actualUrl, this.ctx.authToken, 'valid', this.voiceResponse.parameters);
    return { closed: second.closed, framesSent: () => second.framesSent };
  }

  private notify(): void {
    if (this.waiters.size === 0) return;
    for (const w of this.waiters) {
      let met: boolean;
      try {
        met = w.pred(this);
      } catch (err) {
        // A throwing predicate must fail its own waitFor, not crash a socket handler.
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      if (!met) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve();
    }
  }

  private describe(): string {
    return (
      `status=${this.status} received=${this.received.length} played=${this.playedBytes}B ` +
      `buffered=${this.bufferedBytes}B marks=${this.marksReturned.length} clears=${this.clears.length} ` +
      `redirects=${this.redirects.length} dials=${this.dials.length} streams=${this.streams.length} protocolErrors=${this.protocolErrors.length}`
    );
  }
}
