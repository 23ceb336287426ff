import { silence, speech } from '../sim/audio.js';
import type { Script, SimSession } from '../sim/realtime/index.js';
import type { PlaceCallOptions, SimCall } from '../sim/twilio/index.js';
import type { Rig } from './call-rig.js';

const QUIET_MS = 400;

/**
 * True when the receptionist has nothing in flight: every response finished, every
 * function call answered, and the caller has heard all the audio sent.
 */
function settled(call: SimCall, session: SimSession): boolean {
  const calls = session.responses.filter((r) => r.kind === 'function_call').length;
  return (
    session.responses.length > 0 &&
    session.responses.every((r) => r.doneAt !== undefined) &&
    session.functionOutputs.length >= calls &&
    call.playedBytes >= session.outputBytes &&
    call.bufferedBytes === 0
  );
}

/** Waits until the receptionist's turn is over and has stayed over for a moment. */
export async function untilReceptionistDone(call: SimCall, session: SimSession, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince: number | null = null;
  for (;;) {
    if (settled(call, session)) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince >= QUIET_MS) return;
    } else {
      quietSince = null;
    }
    if (Date.now() > deadline) throw new Error(`receptionist still busy after ${timeoutMs} ms (responses ${session.responses.length}, outputs ${session.functionOutputs.length})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The caller says each line in turn, waiting for the receptionist to finish answering each. */
export async function converse(call: SimCall, session: SimSession, lines: string[]): Promise<void> {
  await untilReceptionistDone(call, session);
  for (const line of lines) {
    const heard = session.utterances.length;
    call.say(Buffer.concat([speech(line), silence(900)]));
    await session.waitFor((s) => s.utterances.length > heard, 15_000);
    await untilReceptionistDone(call, session);
  }
}

/** What the engine returned to the model for each function call, parsed. */
export function toolOutputs(session: SimSession): Array<Record<string, any>> {
  return session.functionOutputs.map((o) => JSON.parse(o.output) as Record<string, any>);
}

/** Places a call whose receptionist follows `script`, and returns it with its session and record id. */
export async function scriptedCall(rig: Rig, script: Script, from: string, to = '+15550001234', place: Partial<PlaceCallOptions> = {}) {
  rig.realtime.queueScript(script);
  const before = rig.realtime.sessions.length;
  const call = await rig.twilio.placeCall({ ...place, from, to });
  const session = await rig.realtime.waitForSession(before);
  const [row] = rig.query<{ id: number }>('SELECT id FROM calls WHERE call_sid = ?', call.callSid);
  return { call, session, callId: row!.id };
}

/** The outcome the engine settled on for a call, once it has. */
export function outcomeOf(rig: Rig, callId: number): string | null | undefined {
  return rig.query<{ outcome: string | null }>('SELECT outcome FROM calls WHERE id = ?', callId)[0]?.outcome;
}

/** Places a call and waits until the caller has heard the whole greeting. */
export async function greetedCall(rig: Rig, from: string, to = '+15550001234'): Promise<{ call: SimCall; session: SimSession; callId: number }> {
  const index = rig.realtime.sessions.length;
  const call = await rig.twilio.placeCall({ from, to });
  const session = await rig.realtime.waitForSession(index);
  await session.waitFor((s) => s.responses[0]?.doneAt !== undefined, 5000);
  await call.waitFor((c) => c.playedBytes > 0 && c.playedBytes >= session.outputBytes, 5000);
  const [row] = rig.query<{ id: number }>('SELECT id FROM calls WHERE call_sid = ?', call.callSid);
  return { call, session, callId: row!.id };
}
