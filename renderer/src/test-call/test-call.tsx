import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { TestCallDiary } from '../contract';
import { useEngine, useEngineEvents } from '../engine/context';
import { CAPTURE_PROCESSOR } from './capture-name';
import { bytesToBase64 } from './mulaw';
import { ReceptionistSpeaker } from './receptionist-speaker';
import workletUrl from './mic-capture.worklet.ts?worker&url';

export type TestCallState =
  | { phase: 'idle' }
  | { phase: 'starting'; diary: TestCallDiary }
  | { phase: 'on-call'; diary: TestCallDiary; callId: number }
  | { phase: 'ended'; reason: string }
  | { phase: 'failed'; message: string };

interface TestCallControls {
  state: TestCallState;
  start(diary: TestCallDiary): Promise<void>;
  hangUp(): Promise<void>;
}

const TestCallContext = createContext<TestCallControls | null>(null);

/** What the browser said about the microphone, in words for the front desk. */
function microphoneProblem(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'The microphone was not allowed. Allow it for Deskline, then try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found on this PC. Plug one in (or a headset), then try again.';
  if (name === 'NotReadableError') return 'The microphone is busy in another program. Close it there, then try again.';
  return `The microphone could not be opened${err instanceof Error && err.message ? `: ${err.message}` : '.'}`;
}

interface Audio {
  ctx: AudioContext;
  stream: MediaStream;
  speaker: ReceptionistSpeaker;
  capture: AudioWorkletNode | null;
}

/**
 * "Talk to the receptionist": one test call at a time from this dashboard, kept while staff
 * move between screens. The microphone goes to the engine as 8 kHz μ-law over the dashboard's
 * own connection; the receptionist's audio comes back the same way (contract: testcall/*).
 */
export function TestCallProvider({ children }: { children: ReactNode }) {
  const engine = useEngine();
  const [state, setState] = useState<TestCallState>({ phase: 'idle' });
  const audio = useRef<Audio | null>(null);
  const callId = useRef<number | null>(null);
  const live = useRef(false);

  const teardown = useCallback(() => {
    live.current = false;
    callId.current = null;
    const a = audio.current;
    audio.current = null;
    if (!a) return;
    a.speaker.close();
    a.capture?.port.close();
    a.capture?.disconnect();
    for (const track of a.stream.getTracks()) track.stop();
    a.ctx.close().catch(() => undefined);
  }, []);

  useEffect(() => teardown, [teardown]);

  // Talking is using the dashboard: the screen must not lock mid-call (the idle lock is judged by the engine).
  const onCall = state.phase === 'on-call';
  useEffect(() => {
    if (!onCall) return;
    const timer = setInterval(() => engine.call('session/activity', {}).catch(() => undefined), 60_000);
    return () => clearInterval(timer);
  }, [onCall, engine]);

  useEngineEvents((e) => {
    const a = audio.current;
    if (!a || !live.current || !e.event.startsWith('testcall.')) return;
    const payload = e.payload as { callId: number };
    if (callId.current !== null && payload.callId !== callId.current) return;
    if (e.event === 'testcall.audio') a.speaker.play(e.payload.payload);
    else if (e.event === 'testcall.mark') a.speaker.mark(e.payload.name);
    else if (e.event === 'testcall.clear') a.speaker.clear();
    else if (e.event === 'testcall.ended') {
      teardown();
      setState({ phase: 'ended', reason: e.payload.reason });
    }
  });

  const begin = useCallback(
    async (diary: TestCallDiary) => {
      if (live.current) return;
      live.current = true;
      setState({ phase: 'starting', diary });
      // Created in the click, so the browser lets it play.
      const ctx = new AudioContext();
      let stream: MediaStream;
      try {
        await ctx.resume();
        stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
      } catch (err) {
        live.current = false;
        ctx.close().catch(() => undefined);
        setState({ phase: 'failed', message: microphoneProblem(err) });
        return;
      }
      const speaker = new ReceptionistSpeaker(ctx, (name) => {
        const id = callId.current;
        if (id !== null) engine.call('testcall/mark', { callId: id, name }).catch(() => undefined);
      });
      audio.current = { ctx, stream, speaker, capture: null };
      try {
        await ctx.audioWorklet.addModule(workletUrl);
      } catch (err) {
        teardown();
        setState({ phase: 'failed', message: `The browser could not start the microphone's converter: ${(err as Error).message}` });
        return;
      }
      const reply = await engine.call('testcall/start', { diary });
      if (!reply.ok) {
        teardown();
        setState({ phase: 'failed', message: reply.error.message });
        return;
      }
      if (!live.current) {
        // Hung up (or unmounted) while the engine was starting it.
        engine.call('testcall/end', { callId: reply.value.callId }).catch(() => undefined);
        return;
      }
      const id = reply.value.callId;
      callId.current = id;
      const capture = new AudioWorkletNode(ctx, CAPTURE_PROCESSOR, { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
      capture.port.onmessage = (m: MessageEvent<Uint8Array>) => {
        if (callId.current !== id) return;
        engine.call('testcall/audio', { callId: id, payload: bytesToBase64(m.data) }).catch(() => undefined);
      };
      ctx.createMediaStreamSource(stream).connect(capture);
      // The worklet only runs while something pulls on it: a silent path to the speakers.
      const mute = ctx.createGain();
      mute.gain.value = 0;
      capture.connect(mute).connect(ctx.destination);
      audio.current.capture = capture;
      setState({ phase: 'on-call', diary, callId: id });
    },
    [engine, teardown],
  );

  const start = useCallback(
    async (diary: TestCallDiary) => {
      try {
        await begin(diary);
      } catch (err) {
        // Whatever went wrong, the button is usable again and says why.
        teardown();
        setState({ phase: 'failed', message: `The test call could not start: ${(err as Error).message}` });
      }
    },
    [begin, teardown],
  );

  const hangUp = useCallback(async () => {
    const id = callId.current;
    teardown();
    setState({ phase: 'ended', reason: 'You hung up.' });
    if (id !== null) await engine.call('testcall/end', { callId: id }).catch(() => undefined);
  }, [engine, teardown]);

  return <TestCallContext.Provider value={{ state, start, hangUp }}>{children}</TestCallContext.Provider>;
}

export function useTestCall(): TestCallControls {
  const controls = useContext(TestCallContext);
  if (!controls) throw new Error('useTestCall() needs a <TestCallProvider> above it');
  return controls;
}
