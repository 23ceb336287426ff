import { loadKnowledge, type ClinicKnowledge } from '../clinic/knowledge.js';
import type { RealtimeSignal } from '../realtime/protocol.js';
import { toSummary, type StoredCall } from '../store/calls.js';
import type { StartInfo, TwilioInbound } from '../twilio/media-protocol.js';
import type { LiveCallState } from '../contract-views.js';
import { AfterReplyAction, type AfterReply } from './after-reply.js';
import { CallExits } from './call-exits.js';
import { ShownLiveState } from './live-state.js';
import { TwilioOutput, type MediaLink } from './twilio-output.js';
import { keepCallRecords, recordCallEnd } from './call-end.js';
import { SupervisorTimer } from './supervisor-timer.js';
import { phoneToolContext } from './recorded-tools.js';
import { ToolTurns } from './tool-turns.js';
import { PlaybackPath } from './playback-path.js';
import { ReplyRequests } from './reply-requests.js';
import { CallSupervisor, keypadFor, limitsFor, type SupervisorAction } from './supervisor.js';
import { commitTranscriptLine } from './transcript-commit.js';
import { supervisorTurn } from './supervisor-prompts.js';
import { SessionRollover } from './rollover.js';
import { CallTimers } from './call-timers.js';
import { AUDIO_SAMPLE_EVERY } from '../metrics/engine-metrics.js';
import { TRANSFER_CAME_BACK } from '../transfer/warm-transfers.js';
import { CallFigures } from './call-figures.js';
import type { CallRecorder } from '../recording/call-recorder.js';
import { recorderForCall } from '../recording/recorder-for-call.js';
import type { CallDeps, ReturningCall } from './call-deps.js';

export type { MediaLink };
export type { CallDeps, ReturningCall } from './call-deps.js';

type CallState = 'warming' | 'live' | 'fallback' | 'ended';

/** If Twilio never confirms the goodbye played, hang up or transfer anyway after this. */
const AFTER_REPLY_MAX_WAIT_MS = 15_000;

/**
 * One phone call from webhook to hang-up: the wiring between Twilio's media stream, the
 * Realtime session, the playback tracker, the tools and the call supervisor. What to wait
 * for and what to do when a wait runs out is the supervisor's; swapping sessions before
 * OpenAI's cap is the rollover's; this class only carries events between them.
 */
export class LiveCall {
  private state: CallState = 'warming';
  private readonly sessions: SessionRollover;
  private readonly twilio: TwilioOutput;
  /** Both sides of the call to a WAV, when the clinic records calls (null otherwise, or once declined). */
  private readonly recorder: CallRecorder | null;
  /** Receptionist audio to the caller, and how much of it they have heard. */
  private readonly audio: PlaybackPath;
  private readonly replies = new ReplyRequests();
  private readonly supervisor: CallSupervisor;
  private readonly tools: ToolTurns;
  private callerSpeaking = false;
  private deltas = 0;
  private readonly knowledge: ClinicKnowledge;
  /** The reply in progress has produced audio (it said something before any tool call). */
  private replySpoke = false;
  private readonly afterReply = new AfterReplyAction(() => this.audio.isPlaying, (action) => this.actOnCall(action));
  private readonly exits: CallExits;
  private transferred = false;
  private readonly shown: ShownLiveState;
  private readonly toolMemory: Map<string, unknown>;
  private readonly figures = new CallFigures();
  private readonly timers = new CallTimers();
  private readonly supervisorTimer: SupervisorTimer;
  private readonly ended: Promise<void>;
  private resolveEnded!: () => void;
  private readonly now: () => number;

  /**
   * `knowledge`: the clinic as the webhook that answered the call read it (its mode included).
   * `returning`: the call is back from a transfer nobody took; the conversation carries on.
   */
  constructor(
    public call: StoredCall,
    private readonly deps: CallDeps,
    knowledge?: ClinicKnowledge,
    private readonly returning?: ReturningCall,
  ) {
    this.now = deps.now ?? Date.now;
    this.toolMemory = new Map(returning?.memory);
    if (returning) this.toolMemory.set(TRANSFER_CAME_BACK, true);
    this.knowledge = knowledge ?? loadKnowledge(deps.store);
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.shown = new ShownLiveState((state) => deps.events.emit('live.state', { callId: call.id, state }));
    this.recorder = recorderForCall({ dataDir: deps.config.dataDir, store: deps.store, now: this.now, failed: (err) => this.recordError('recording_failed', 'error', err.message, err) }, call.id, this.knowledge, this.toolMemory);
    this.twilio = new TwilioOutput(this.recorder);
    this.audio = new PlaybackPath(this.twilio, (truncate) => this.sessions.send(truncate), () => this.playbackMoved());
    this.tools = new ToolTurns(deps, call.id, {
      session: () => this.sessions.current,
      withReceptionist: () => this.state === 'live' || this.state === 'warming',
      callerSpeaking: () => this.callerSpeaking,
      context: () => phoneToolContext(this.call, this.knowledge, this.toolMemory, this.afterReply, this.recorder),
      busyChanged: (busy) => {
        if (busy) this.supervisor.toolsStarted(this.now());
        else this.supervisor.toolsFinished(this.now());
        this.refreshState();
        this.supervisorTimer.arm();
      },
      // A goodbye or "putting you through" already spoken is not asked for again.
      announced: (replySpoke) => this.afterReply.announcedBy(replySpoke) && (this.timers.after(AFTER_REPLY_MAX_WAIT_MS, () => this.afterReply.fire()), true),
      requestReply: () => this.requestReply({ type: 'response.create' }),
      trySwap: () => this.sessions.trySwap(false),
      failed: (err) => {
        this.recordError('tool_run_failed', 'error', err.message, err);
        this.run(this.supervisor.cannotCarryOn('tool_failed', err.message));
      },
    });
    this.supervisor = new CallSupervisor(this.now(), limitsFor(this.knowledge.receptionist, deps.config.warmSessionTimeoutMs), keypadFor(this.knowledge.receptionist));
    this.supervisorTimer = new SupervisorTimer(this.supervisor, this.now, (actions) => this.run(actions));
    this.exits = new CallExits(call, deps, this.twilio, {
      leaveReceptionist: () => this.leaveReceptionist(),
      finish: (reason) => this.finish(reason),
      markTransferred: () => this.markTransferred(),
      memory: () => this.toolMemory,
      recordError: (type, severity, message, error) => this.recordError(type, severity, message, error),
    });
    this.sessions = new SessionRollover(
      { config: deps.config, tools: deps.tools, knowledge: this.knowledge, store: deps.store, callId: call.id, log: deps.log },
      {
        ready: () => this.run(this.supervisor.sessionConfirmed(this.now())),
        audio: (itemId, payload) => this.onModelAudio(itemId, payload),
        signal: (signal) => this.onSignal(signal),
        lateLine: (signal) => this.onSignal(signal),
        failed: (reason, error) => this.run(this.supervisor.cannotCarryOn(reason, error.message)),
        swapped: () => this.replies.reset(),
        // A reply owed (the caller just stopped, the response is not yet created) belongs to this session.
        quiet: () => !this.replies.isActive && !this.callerSpeaking && !this.supervisor.replyOwed,
        toolsBusy: () => this.tools.busy,
        recordWarning: (type, message, error) => this.recordError(type, 'warning', message, error),
      },
    );
  }

  get isEnded(): Promise<void> {
    return this.ended;
  }

  get callSid(): string {
    return this.call.callSid;
  }

  get activity(): LiveCallState {
    return this.shown.current;
  }

  /** What the receptionist's tools know on this call, for a transfer that may come back. */
  get memory(): Map<string, unknown> {
    return this.toolMemory;
  }

  /** Opens the Realtime session while Twilio is still setting up the stream; a returning call's carries the conversation so far. */
  warm(): void {
    this.sessions.open(this.returning ? this.deps.store.transcripts.list(this.call.id) : null);
    this.supervisorTimer.arm();
  }

  /** Joins Twilio's media stream to this call; false when the call is not waiting for one. */
  attachMedia(link: MediaLink, start: StartInfo): boolean {
    if (this.state !== 'warming') return false;
    this.state = 'live';
    const now = this.now();
    this.recorder?.start();
    this.twilio.attach(link, start.streamSid);
    this.audio.streamStarted(now);
    this.supervisor.mediaStarted(now);
    const updated = this.deps.store.calls.updateStatus(this.call.callSid, 'in-progress', Date.now());
    if (updated) this.deps.events.emit('call.updated', toSummary(updated));
    return true;
  }

  handleTwilio(message: TwilioInbound): void {
    switch (message.event) {
      case 'media':
        if (this.state !== 'live') return;
        this.supervisor.mediaFrame(this.now());
        this.sessions.appendAudio(message.payload);
        this.recorder?.callerAudio(message.payload, message.timestamp);
        return;
      case 'mark':
        this.audio.markPlayed(message.name, this.now());
        this.afterReply.audioPlayed();
        return;
      case 'stop':
        this.finish('stream stopped');
        return;
      case 'dtmf':
        this.deps.store.supervision.recordKey(this.call.id, message.digit, Date.now());
        this.run(this.supervisor.digit(message.digit));
        return;
      case 'connected':
      case 'start':
        return;
    }
  }

  /**
   * The media socket closed. Without a `stop` first, Twilio has left <Connect> and is
   * playing the fallback that follows it in the TwiML; the call is recorded as such.
   */
  mediaClosed(): void {
    this.twilio.detach();
    this.exits.streamClosed();
    if (this.state === 'live') {
      this.deps.fallback.prepare(this.call, { type: 'media_stream_lost', message: 'Twilio media socket closed without a stop message' });
      this.finish('media stream lost');
    } else if (this.state !== 'fallback') {
      this.finish('media socket closed');
    }
  }

  /** Twilio's status callback says the call is over: nothing more to wait for. */
  endedAtTwilio(status: string): void {
    this.run(this.supervisor.twilioEnded(status));
  }

  /** Engine shutdown: release the session without touching the call at Twilio. */
  shutdown(): void {
    this.finish('engine shutting down');
  }

  /** Staff moved the call to a person: when the stream stops, the call is not over. */
  markTransferred(): void {
    this.transferred = true;
    this.deps.store.supervision.markHandedOff(this.call.id, Date.now());
  }

  private onModelAudio(itemId: string, payload: string): void {
    const now = this.now();
    this.replySpoke = true;
    this.figures.replyAudio(now);
    const timed = this.deps.metrics && ++this.deltas % AUDIO_SAMPLE_EVERY === 0 ? performance.now() : 0;
    this.supervisor.responseProgress(now);
    this.audio.audioDelta(itemId, payload, now);
    if (timed) this.deps.metrics!.audioForward.observe({ direction: 'openai_to_caller' }, (performance.now() - timed) / 1000);
  }

  private onSignal(signal: RealtimeSignal): void {
    const now = this.now();
    switch (signal.kind) {
      case 'speech-started':
        this.callerSpeaking = true;
        if (this.audio.isPlaying) this.figures.bargeIn();
        this.supervisor.callerSpeechStarted(now);
        this.audio.speechStarted(now);
        return;
      case 'speech-stopped':
        this.callerSpeaking = false;
        this.figures.callerStopped(now);
        this.supervisor.callerSpeechStopped(now);
        this.supervisorTimer.arm();
        return;
      case 'caller-transcript':
        this.commitLine('caller', signal.text, false);
        return;
      case 'assistant-transcript':
        this.commitLine('receptionist', signal.text, this.audio.wasInterrupted(signal.itemId));
        return;
      case 'function-call':
        this.tools.add({ callId: signal.callId, name: signal.name, arguments: signal.arguments });
        return;
      case 'response-started':
        this.replySpoke = false;
        this.replies.started();
        this.supervisor.responseStarted(now);
        this.refreshState();
        return;
      case 'response-done':
        this.onResponseDone(signal, now);
        return;
      case 'error':
        // A refused response.create means one is already running; its response.done follows.
        if (signal.code !== 'conversation_already_has_active_response') this.recordError('openai_error', 'warning', `${signal.code}: ${signal.message}`);
        return;
      case 'audio-done':
        this.audio.audioDone(signal.itemId);
        return;
      case 'session-updated':
        return;
    }
  }

  private onResponseDone(signal: Extract<RealtimeSignal, { kind: 'response-done' }>, now: number): void {
    const failed = signal.status !== 'completed';
    if (signal.usage) this.figures.addUsage(signal.usage);
    const actions = this.supervisor.responseDone(
      now,
      failed ? { status: signal.status, reason: signal.reason, errorType: signal.errorType, errorCode: signal.errorCode } : null,
    );
    const next = this.replies.done();
    this.audio.flush();
    this.refreshState();
    // Tools the caller talked over (a cancelled reply) are answered as not run.
    if (!this.tools.replyDone(signal.status === 'cancelled', this.replySpoke) && this.afterReply.replyGenerated()) {
      this.timers.after(AFTER_REPLY_MAX_WAIT_MS, () => this.afterReply.fire());
    }
    if (next) this.sendReply(next);
    this.run(actions);
    this.sessions.trySwap(false);
  }

  /** Audio started or stopped playing. */
  private playbackMoved(): void {
    this.supervisor.playbackChanged(this.now(), this.audio.isPlaying);
    this.refreshState();
    this.supervisorTimer.arm();
  }

  private commitLine(speaker: 'caller' | 'receptionist', text: string, interrupted: boolean): void {
    commitTranscriptLine(this.deps, { callId: this.call.id, speaker, text, interrupted }, (err) => this.recordError('transcript_write_failed', 'error', err.message, err));
  }

  /**
   * Asks for a reply now, or once the one in progress is done. A waiting request starts
   * its clock when it is sent; until then the reply in progress is watched for stalls.
   */
  private requestReply(event: Parameters<ReplyRequests['request']>[0]): void {
    const now = this.replies.request(event);
    if (now) this.sendReply(now);
  }

  private sendReply(event: Parameters<ReplyRequests['request']>[0]): void {
    this.sessions.send(event);
    this.supervisor.replyRequested(this.now());
    this.supervisorTimer.arm();
  }

  /** Carries out what the supervisor decided. */
  private run(actions: SupervisorAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'speak': {
          const turn = supervisorTurn(action.purpose, this.knowledge, this.deps.config.transferNumber, this.returning);
          if (turn.endReason) this.deps.store.supervision.recordEndReason(this.call.id, turn.endReason, Date.now());
          if (turn.after) this.afterReply.request(turn.after);
          this.requestReply(turn.reply);
          break;
        }
        case 'retry-reply':
          this.recordError('openai_reply_retried', 'warning', action.detail);
          this.requestReply({ type: 'response.create' });
          break;
        case 'fallback':
          this.exits.failOver(action.reason, new Error(action.detail), this.state === 'live');
          break;
        case 'transfer':
          this.exits.handOff(action.reason);
          break;
        case 'hang-up':
          this.deps.store.supervision.recordEndReason(this.call.id, action.reason, Date.now());
          this.afterReply.request({ kind: 'hang-up' });
          this.afterReply.fire();
          break;
        case 'end':
          this.deps.store.supervision.recordEndReason(this.call.id, action.reason, Date.now());
          this.recordError(action.reason, 'warning', action.detail);
          if (action.hangUp) this.exits.hangUp();
          this.finish(action.reason);
          break;
      }
    }
    this.supervisorTimer.arm();
  }

  private refreshState(): void {
    this.shown.update(this.tools.isRunning, this.replies.isActive, this.audio.isPlaying, this.state === 'ended');
  }

  /** A reply announcing a hang-up or transfer has been heard. */
  private actOnCall(action: AfterReply): void {
    if (this.state !== 'live') return;
    // The call is leaving the receptionist: nothing more to wait for on it.
    this.supervisor.stop();
    this.exits.afterReply(action);
  }

  /** Takes the call off the receptionist; false when it already left. */
  private leaveReceptionist(): boolean {
    if (this.state === 'ended' || this.state === 'fallback') return false;
    this.state = 'fallback';
    this.supervisor.stop();
    this.sessions.closeAll();
    return true;
  }

  private recordError(type: string, severity: 'warning' | 'error' | 'critical', message: string, error?: Error): void {
    this.deps.store.systemErrors.record({ type, severity, callId: this.call.id, message, stack: error?.stack ?? null, occurredAt: Date.now() });
    this.deps.log.warn(`Call ${this.call.id}: ${type}: ${message}`);
  }

  private finish(reason: string): void {
    if (this.state === 'ended') return;
    const wasLive = this.state === 'live';
    this.state = 'ended';
    this.supervisor.stop();
    this.supervisorTimer.stop();
    this.sessions.closeAll();
    this.timers.clear();
    recordCallEnd(this.deps, this.call, { reason, wasLive, transferred: this.transferred });
    keepCallRecords(this.deps, this.call, this.figures, this.knowledge.pricing, (type, message, err) => this.recordError(type, 'warning', message, err));
    this.recorder?.finish().catch(() => undefined);
    this.deps.log.info(`Call ${this.call.id} ended: ${reason}`);
    this.resolveEnded();
  }
}
