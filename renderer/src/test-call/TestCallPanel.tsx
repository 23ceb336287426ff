import { useId, useState } from 'react';
import { Badge } from '../components/common';
import type { TestCallDiary } from '../contract';
import { useSession } from '../engine/session';
import { useTestCall } from './test-call';

/**
 * "Talk to the receptionist" (Live calls, and the last step of the setup): a call from this
 * PC's microphone, through the same receptionist as a phone call. Its card appears on Live
 * calls like any call, marked as a test. Only people who may book can make one.
 */
export function TestCallPanel({ intro }: { intro?: string }) {
  const { state, start, hangUp } = useTestCall();
  const { view } = useSession();
  const [diary, setDiary] = useState<TestCallDiary>('sandbox');
  const groupId = useId();
  const role = view?.account?.role;
  if (role !== 'admin' && role !== 'front_desk') return null;

  if (state.phase === 'starting' || state.phase === 'on-call') {
    return (
      <section className="test-call on-call" aria-label="Test call">
        <p>
          <Badge tone="accent">Test call</Badge>{' '}
          {state.phase === 'starting' ? 'Connecting… allow the microphone if the browser asks.' : `On a test call (${state.diary === 'sandbox' ? 'sandbox diary' : 'real diary'}). Speak as a caller would.`}
        </p>
        <button type="button" className="danger" onClick={() => void hangUp()}>
          Hang up
        </button>
      </section>
    );
  }

  return (
    <section className="test-call" aria-label="Test call">
      {intro ? <p className="muted">{intro}</p> : null}
      <fieldset>
        <legend id={groupId}>Bookings in the test call go to</legend>
        <label>
          <input type="radio" name={groupId} checked={diary === 'sandbox'} onChange={() => setDiary('sandbox')} /> A sandbox (nothing reaches the clinic’s diary)
        </label>
        <label>
          <input type="radio" name={groupId} checked={diary === 'real_diary'} onChange={() => setDiary('real_diary')} /> The real diary (marked as a test)
        </label>
      </fieldset>
      <button type="button" className="primary" onClick={() => void start(diary)}>
        Talk to the receptionist
      </button>
      {state.phase === 'ended' ? <p role="status">Test call ended. {state.reason}</p> : null}
      {state.phase === 'failed' ? <p role="alert" className="error-note">{state.message}</p> : null}
    </section>
  );
}

/** How a test call is marked wherever it shows (live card, call log, Appointments). */
export function TestCallBadge({ diary }: { diary: TestCallDiary | null }) {
  if (!diary) return null;
  return <Badge tone="accent">{diary === 'sandbox' ? 'Test call · sandbox' : 'Test call'}</Badge>;
}
