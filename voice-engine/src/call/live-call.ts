import type { EngineConfig } from '../config.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import { loadKnowledge, type ClinicKnowledge } from '../clinic/knowledge.js';
import { buildInstructions, greetingInstructions } from '../realtime/instructions.js';
import { createResponse, functionCallOutput, truncateItem, type RealtimeSignal } from '../realtime/protocol.js';
import { RealtimeSession, type SessionFailure } from '../realtime/session.js';
import { toSummary, type StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import type { StartInfo, TwilioInbound } from '../twilio/media-protocol.js';
import type { FallbackService } from './fallback.js';
import type { LiveCallState } from '../contract-views.js';
import { AfterReplyAction, type AfterReply } from './after-reply.js';
import { liveState } from './live-state.js';
import { TwilioOutput, type MediaLink } from './twilio-output.js';

export type { MediaLink };
import { settleOutcome } from './outcome.js';
import { runRecordedTools, type ModelToolCall } from './recorded-tools.js';
import { PlaybackTracker, type PlaybackAction } from './playback.js';
import type { TwilioCallControl } from '../twilio/call-control.js';
import type { ToolRegistry } from './tools.js';

export interface CallDeps {
  config: EngineConfig;
  store: Store;
  events: EngineEvents;
  tools: ToolRegistry;
  fallback: FallbackService;
  control: TwilioCallControl;
  log: Logger;
}



type CallState = 'warming' | 'live' | 'fallback' | 'ended';

/**
 * Long enough for a healthy connection from a clinic's broadband, short enough that
 * the caller is moved to the fallback inside two seconds of calling.
 */
const CONNECT_TIMEOUT_MS = 1500;
/** How long a rollover waits for a pause in the conversation before swapping anyway. */
const ROLLOVER_MAX_WAIT_MS = 30_000;
/** Caller audio replayed into a fresh session, so a word begun at the swap is not clipped. */
const REPLAY_FRAMES = 15;
/** If Twilio never confirms the goodbye played, hang up or transfer anyway after this. */
const AFTER_REPLY_MAX_WAIT_MS = 15_000;

/**
 * One phone call from webhook to hang-up: bridges Twilio media to a Realtime session,
 * keeps playback honest on barge-in, commits every transcript line as it completes,
 * runs tools, moves the call to a fresh session before OpenAI's session cap, and sends
 * the caller to the fallback the moment the receptionist cannot carry on.
 */
export class LiveCall {
  private state: CallState = 'warming';
  private session: RealtimeSession | null = null;
  private nextSession: RealtimeSession | null = null;
  private readonly twilio = new TwilioOutput();
  private readonly playback = new PlaybackTracker();
  private readonly pendingTools: ModelToolCall[] = [];
  private responseActive = false;
  private callerSpeaking = false;
  private readonly recentCallerAudio: string[] = [];
  private recentIndex = 0;
  private readonly knowledge: ClinicKnowledge;
  private readonly afterReply = new AfterReplyAction(() => this.playback.isPlaying, (action) => this.actOnCall(action));
  private transferred = false;
  private toolsRunning = false;
  private greeted = false;
  private shownState: LiveCallState = 'greeting';
  private readonly toolMemory = new Map<string, unknown>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    public call: StoredCall,
    private readonly deps: CallDeps,
  ) {
    this.knowledge = loadKnowledge(deps.store);
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get isEnded(): Promise<void> {
    return this.ended;
  }

  get callSid(): string {
    return this.call.callSid;
  }

  /** Opens the Realtime session while Twilio is still setting up the stream. */
  warm(): void {
    this.session = this.openSession({ greet: true });
    this.after(this.deps.config.warmSessionTimeoutMs, () => {
      if (this.state === 'warming') this.failOver('media_stream_missing', new Error('Twilio did not open the media stream within 10 s'));
    });
  }

  attachMedia(link: MediaLink, start: StartInfo): void {
    if (this.state !== 'warming') {
      link.close(1008, 'call is not waiting for media');
      return;
    }
    this.state = 'live';
    this.twilio.attach(link, start.streamSid);
    const updated = this.deps.store.calls.updateStatus(this.call.callSid, 'in-progress', Date.now());
    if (updated) this.deps.events.emit('call.updated', toSummary(updated));
  }

  handleTwilio(message: TwilioInbound): void {
    switch (message.event) {
      case 'media':
        if (this.state !== 'live') return;
        this.session?.appendAudio(message.payload);
        this.recentCallerAudio[this.recentIndex++ % REPLAY_FRAMES] = message.payload;
        return;
      case 'mark':
        this.playback.markPlayed(message.name);
        this.afterReply.audioPlayed();
        if (this.shownState !== 'listening' && !this.playback.isPlaying) this.refreshState();
        return;
      case 'stop':
        this.finish('stream stopped');
        return;
      case 'dtmf':
        this.deps.log.debug(`Call ${this.call.id}: caller pressed a key`);
        return;
      case 'connected':
      case 'start':
        return;
    }
  }

  /** The media socket closed. Without a `stop` first, the caller may still be on the line. */
  mediaClosed(): void {
    this.twilio.detach();
    if (this.state === 'live') this.failOver('media_stream_lost', new Error('Twilio media socket closed without a stop message'));
    else this.finish('media socket closed');
  }

  /** Engine shutdown: release the session without touching the call at Twilio. */
  shutdown(): void {
    this.finish('engine shutting down');
  }

  private openSession(options: { greet: boolean; conversationSoFar?: string }): RealtimeSession {
    const { config, tools } = this.deps;
    const session: RealtimeSession = new RealtimeSession(
      {
        apiKey: config.openai.apiKey ?? '',
        baseUrl: config.openai.baseUrl,
        model: config.openai.model,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        settings: {
          instructions: buildInstructions(this.knowledge, Date.now(), options.conversationSoFar),
          voice: this.knowledge.receptionist.voice,
          tools: tools.definitions(),
        },
      },
      {
        onOpen: () => {
          if (options.greet) session.send(createResponse(greetingInstructions(this.knowledge)));
          if (session === this.nextSession) this.trySwapSession();
        },
        onSignal: (signal) => {
          if (session === this.session) this.onSignal(signal);
          // Lines completed by a session just swapped out are still part of the call.
          else if (signal.kind === 'caller-transcript' || signal.kind === 'assistant-transcript') this.onSignal(signal);
        },
        onFailure: (failure) => this.onSessionFailure(session, failure),
      },
    );
    this.after(config.realtimeSessionLimitMs, () => {
      if (session === this.session) this.beginRollover();
    });
    return session;
  }

  private onSignal(signal: RealtimeSignal): void {
    switch (signal.kind) {
      case 'audio-delta':
        this.apply(this.playback.audioDelta(signal.itemId, signal.payload));
        return;
      case 'audio-done':
        this.playback.audioDone(signal.itemId);
        return;
      case 'speech-started':
        this.callerSpeaking = true;
        this.apply(this.playback.speechStarted());
        return;
      case 'speech-stopped':
        // The model is about to answer; the swap waits for that answer to finish.
        this.callerSpeaking = false;
        return;
      case 'caller-transcript':
        this.commitLine('caller', signal.text, false);
        return;
      case 'assistant-transcript':
        this.commitLine('receptionist', signal.text, this.playback.wasInterrupted(signal.itemId));
        return;
      case 'function-call':
        this.pendingTools.push({ callId: signal.callId, name: signal.name, arguments: signal.arguments });
        return;
      case 'response-started':
        this.responseActive = true;
        this.refreshState();
        return;
      case 'response-done':
        this.responseActive = false;
        this.refreshState();
        if (this.pendingTools.length > 0) {
          void this.runTools(this.pendingTools.splice(0));
          return;
        }
        if (this.afterReply.replyGenerated()) this.after(AFTER_REPLY_MAX_WAIT_MS, () => this.afterReply.fire());
        this.trySwapSession();
        return;
      case 'error':
        this.recordError('openai_error', 'warning', `${signal.code}: ${signal.message}`);
        return;
      case 'session-updated':
        return;
    }
  }

  private apply(actions: PlaybackAction[]): void {
    for (const action of actions) {
      if (action.type === 'truncate') this.session?.send(truncateItem(action.itemId, action.audioEndMs));
      else this.twilio.send(action);
    }
  }

  private commitLine(speaker: 'caller' | 'receptionist', text: string, interrupted: boolean): void {
    const trimmed = text.trim();
    if (!trimmed) return;
    const line = this.deps.store.transcripts.append(this.call.id, speaker, trimmed, Date.now(), interrupted);
    this.deps.events.emit('transcript.line', line);
  }

  private async runTools(calls: ModelToolCall[]): Promise<void> {
    const session = this.session;
    this.toolsRunning = true;
    this.refreshState();
    const outputs = await runRecordedTools(this.deps, this.call.id, calls, () => ({
      callId: this.call.id,
      callSid: this.call.callSid,
      callerNumber: this.call.fromNumber,
      knowledge: this.knowledge,
      now: Date.now(),
      memory: this.toolMemory,
      call: {
        hangUpAfterReply: () => this.afterReply.request({ kind: 'hang-up' }),
        transferAfterReply: (to) => this.afterReply.request({ kind: 'transfer', to }),
      },
    }));
    this.toolsRunning = false;
    this.refreshState();
    // A session swapped out or a call ended meanwhile has nobody to hear the answer.
    if (session !== this.session || !session || this.state === 'ended') return;
    for (const output of outputs) session.send(functionCallOutput(output.callId, output.result));
    session.send(createResponse());
  }

  get activity(): LiveCallState {
    return this.shownState;
  }

  /** Staff moved the call to a person: when the stream stops, the call is not over. */
  markTransferred(): void {
    this.transferred = true;
  }

  private refreshState(): void {
    const next = liveState({ toolsRunning: this.toolsRunning, responseActive: this.responseActive, audioPlaying: this.playback.isPlaying, greeted: this.greeted });
    if (next === 'listening') this.greeted = true;
    if (next === this.shownState || this.state === 'ended') return;
    this.shownState = next;
    this.deps.events.emit('live.state', { callId: this.call.id, state: next });
  }

  /** The goodbye or "putting you through" has been heard: now act on the call. */
  private actOnCall(action: AfterReply): void {
    if (this.state !== 'live') return;
    if (action.kind === 'transfer') this.transferred = true;
    const { control, log } = this.deps;
    const done =
      action.kind === 'hang-up'
        ? control.hangUp(this.call.callSid)
        : control.transfer(this.call.callSid, action.to, 'Connecting you now.');
    void done.catch((err: Error) => {
      this.recordError(action.kind === 'hang-up' ? 'hang_up_failed' : 'transfer_failed', 'error', err.message, err);
      log.error(`Call ${this.call.id}: could not ${action.kind === 'hang-up' ? 'hang up' : 'transfer'}: ${err.message}`);
    });
  }

  private beginRollover(): void {
    if (this.state === 'ended' || this.state === 'fallback' || this.nextSession) return;
    const lines = this.deps.store.transcripts.list(this.call.id);
    const conversation = lines.map((l) => `${l.speaker === 'caller' ? 'Caller' : 'You'}: ${l.text}`).join('\n');
    this.deps.log.info(`Call ${this.call.id}: moving to a fresh Realtime session before the session limit`);
    this.nextSession = this.openSession({ greet: false, conversationSoFar: conversation || '(nothing said yet)' });
    this.after(ROLLOVER_MAX_WAIT_MS, () => this.trySwapSession(true));
  }

  /**
   * Swaps sessions in a pause, when neither side is talking and no tool is running, so
   * no word is cut off on either side of the line.
   */
  private trySwapSession(force = false): void {
    const next = this.nextSession;
    if (!next || !next.isOpen) return;
    if (!force && (this.responseActive || this.callerSpeaking || this.pendingTools.length > 0)) return;
    const old = this.session;
    this.session = next;
    this.nextSession = null;
    this.responseActive = false;
    this.callerSpeaking = false;
    old?.close();
    const count = Math.min(this.recentIndex, REPLAY_FRAMES);
    for (let i = this.recentIndex - count; i < this.recentIndex; i++) next.appendAudio(this.recentCallerAudio[i % REPLAY_FRAMES]!);
  }

  private onSessionFailure(session: RealtimeSession, failure: SessionFailure): void {
    if (session === this.nextSession) {
      this.nextSession = null;
      this.recordError('openai_rollover_failed', 'warning', failure.error.message, failure.error);
      return;
    }
    if (session !== this.session || this.state === 'ended' || this.state === 'fallback') return;
    if (this.nextSession?.isOpen) {
      this.trySwapSession(true);
      return;
    }
    const type = failure.reason === 'dropped' ? 'openai_session_dropped' : 'openai_unreachable';
    this.failOver(type, failure.error);
  }

  private failOver(type: string, error: Error): void {
    if (this.state === 'ended' || this.state === 'fallback') return;
    this.state = 'fallback';
    this.closeSessions();
    void this.deps.fallback.redirect(this.call, { type, message: error.message, error }).finally(() => {
      // Twilio stops the stream itself once the call is redirected; this only tidies up.
      this.twilio.close(1000, 'call moved to fallback');
      this.finish('sent to fallback');
    });
  }

  private recordError(type: string, severity: 'warning' | 'error', message: string, error?: Error): void {
    this.deps.store.systemErrors.record({ type, severity, callId: this.call.id, message, stack: error?.stack ?? null, occurredAt: Date.now() });
    this.deps.log.warn(`Call ${this.call.id}: ${type}: ${message}`);
  }

  private finish(reason: string): void {
    if (this.state === 'ended') return;
    const wasLive = this.state === 'live';
    this.state = 'ended';
    this.closeSessions();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const { store, events } = this.deps;
    if (reason !== 'engine shutting down') settleOutcome(store, this.call.id, { transferred: this.transferred });
    // A transferred call's stream stops too, but the caller is still on the line with staff.
    if (wasLive && reason === 'stream stopped' && !this.transferred) {
      const now = Date.now();
      const updated = store.calls.updateStatus(this.call.callSid, 'completed', now, Math.round((now - this.call.startedAt) / 1000));
      if (updated) events.emit('call.ended', toSummary(updated));
    } else {
      const updated = store.calls.get(this.call.id);
      if (updated) events.emit('call.updated', toSummary(updated));
    }
    this.deps.log.info(`Call ${this.call.id} ended: ${reason}`);
    this.resolveEnded();
  }

  private closeSessions(): void {
    this.session?.close();
    this.nextSession?.close();
    this.session = null;
    this.nextSession = null;
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
