import { describe, expect, it } from 'vitest';
import { conversationText, parseSummary } from '../../voice-engine/src/after-call/call-summarizer.js';

const valid = { summary: 'Booked a facial for Friday.', intent: 'book', sentiment: 'positive', satisfaction: 8, follow_up: false, follow_up_reason: null };

describe('the summary the model returns', () => {
  it('is taken only when it fits: a score outside 1–10, an unknown intent or an empty summary is refused, never patched', () => {
    expect(parseSummary(JSON.stringify(valid))).toEqual({ summary: 'Booked a facial for Friday.', intent: 'book', sentiment: 'positive', satisfaction: 8, followUp: false, followUpReason: null });
    expect(() => parseSummary(JSON.stringify({ ...valid, satisfaction: 0 }))).toThrow(/not 1 to 10/);
    expect(() => parseSummary(JSON.stringify({ ...valid, satisfaction: 7.5 }))).toThrow(/not 1 to 10/);
    expect(() => parseSummary(JSON.stringify({ ...valid, intent: 'sales' }))).toThrow(/unknown intent/);
    expect(() => parseSummary(JSON.stringify({ ...valid, summary: ' ' }))).toThrow(/empty/);
    expect(() => parseSummary('not json')).toThrow();
    // A reason without a follow-up is dropped.
    expect(parseSummary(JSON.stringify({ ...valid, follow_up_reason: 'x' })).followUpReason).toBeNull();
  });

  it('reads the conversation as lines and what the tools did', () => {
    const line = (speaker: 'caller' | 'receptionist', text: string) => ({ id: 1, callId: 1, speaker, text, interrupted: false, spokenAt: 0 });
    const tool = { id: 1, callId: 1, name: 'book_appointment', arguments: {}, result: { done: true }, status: 'ok' as const, startedAt: 0, finishedAt: 1 };
    expect(conversationText([line('receptionist', 'Hello.'), line('caller', 'A facial please.')], [tool])).toBe('Receptionist: Hello.\nCaller: A facial please.\nActions:\n[book_appointment: done]');
  });
});
