import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../harness/call-rig.js';
import { converse, scriptedCall } from '../harness/conversation.js';

const GREETING = [{ say: 'Thank you for calling Glow Med Spa.' }];
const SUMMARY = {
  summary: 'The caller asked whether there is parking; the receptionist said there is free parking behind the building.',
  intent: 'question', sentiment: 'positive', satisfaction: 9, follow_up: false, follow_up_reason: null,
};

/** After each call, a summary made through the Responses API with a strict JSON schema, or plainly none. */
describe('after-call summary', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ realtime: { script: { greeting: GREETING } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  /** Polls an async condition (the staff API) until it holds. */
  async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const summaryOf = async (callId: number) => {
    const detail = await rig.handler<{ summary: Record<string, unknown> | null }>('calls/get', { id: callId });
    if (!detail.ok) throw new Error(detail.error.message);
    return detail.value.summary;
  };
  async function callAbout(from: string, line: string) {
    const placed = await scriptedCall(rig, { greeting: GREETING, turns: [{ user: line, replies: [{ say: 'Yes, there is free parking behind the building.' }] }], afterScript: 'quiet' }, from);
    await converse(placed.call, placed.session, [line]);
    await placed.call.hangup();
    return placed;
  }

  it('a call ends with a summary, intent, sentiment, a 1–10 score and a follow-up flag, in the clinic’s language', async () => {
    const before = rig.realtime.responses.requests.length;
    rig.realtime.responses.queueStructured({ json: SUMMARY });
    const { callId } = await callAbout('+15035552001', 'Is there parking at the clinic?');
    await eventually(async () => (await summaryOf(callId))?.state === 'done', 15_000, 'the summary');
    expect(await summaryOf(callId)).toMatchObject({
      state: 'done', summary: SUMMARY.summary, intent: 'question', sentiment: 'positive', satisfaction: 9, followUp: false, followUpReason: null,
    });
    const request = rig.realtime.responses.requests.slice(before)[0]!.body;
    expect(request.text.format).toMatchObject({ type: 'json_schema', name: 'call_summary', strict: true });
    expect(request.instructions).toMatch(/Write in English/);
    expect(request.input[0].content).toMatch(/^Receptionist: Thank you for calling Glow Med Spa\.\nCaller: Is there parking/);
    expect(rig.realtime.responses.refusals).toEqual([]);
    // The call log filters by what the summary says.
    const byIntent = await rig.handler<{ calls: Array<{ id: number }> }>('calls/search', { intent: 'question' });
    expect(byIntent.ok && byIntent.value.calls.map((c) => c.id)).toEqual([callId]);
    const needingFollowUp = await rig.handler<{ calls: Array<{ id: number }> }>('calls/search', { summaryFollowUp: true });
    expect(needingFollowUp.ok && needingFollowUp.value.calls.map((c) => c.id)).toEqual([]);
    expect(await rig.handler('calls/search', { intent: 'sales' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const bySentiment = async (sentiment: string) => {
      const found = await rig.handler<{ calls: Array<{ id: number }> }>('calls/search', { sentiment });
      return found.ok ? found.value.calls.map((c) => c.id) : found.error.code;
    };
    expect(await bySentiment('positive')).toEqual([callId]);
    expect(await bySentiment('negative')).toEqual([]);
    expect(await bySentiment('angry')).toBe('BAD_REQUEST');
    // Searching finds the call by what its summary says, words nobody spoke on the call.
    const bySummary = async () => {
      const found = await rig.handler<{ calls: Array<{ id: number }> }>('calls/search', { text: 'asked whether' });
      return found.ok && found.value.calls.some((c) => c.id === callId);
    };
    await eventually(bySummary, 5000, 'the call found by its summary');
    // The export carries it; a call without one has empty columns, not a made-up score.
    const csv = await rig.handler<{ csv: string }>('calls/export-csv', {});
    const row = csv.ok ? csv.value.csv.split('\r\n').find((r) => r.startsWith(`${callId},`)) : undefined;
    expect(row).toMatch(/,question,positive,9,no,The caller asked whether there is parking/);
    // The staff dashboard is told, so an open call detail fills in.
    expect(rig.events.some((e) => e.event === 'call.updated' && e.payload.id === callId)).toBe(true);
  }, 60_000);

  it('OpenAI failing: retried, then the call says there is no summary, and nothing is made up', async () => {
    const before = rig.realtime.responses.requests.length;
    rig.realtime.responses.queueStructured({ fail: 503 }, { fail: 503 }, { fail: 503 }, { fail: 503 });
    const { callId } = await callAbout('+15035552002', 'Is there parking at the clinic?');
    await eventually(async () => (await summaryOf(callId))?.state === 'failed', 20_000, 'the failed summary');
    expect(await summaryOf(callId)).toMatchObject({ state: 'failed', summary: null, intent: null, sentiment: null, satisfaction: null, followUp: null, detail: expect.stringMatching(/^no summary: /) });
    expect(rig.realtime.responses.requests.length - before).toBe(4);
  }, 60_000);

  it('a call where nobody spoke is not sent to OpenAI at all', async () => {
    const before = rig.realtime.responses.requests.length;
    const call = await rig.twilio.placeCall({ from: '+15035552003', to: '+15550001234' });
    await call.hangup();
    const [row] = rig.query<{ id: number }>('SELECT id FROM calls WHERE call_sid = ?', call.callSid);
    await eventually(async () => (await summaryOf(row!.id))?.state === 'skipped', 15_000, 'skipped');
    expect(rig.realtime.responses.requests.length).toBe(before);
  }, 60_000);
});
