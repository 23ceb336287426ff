import { describe, expect, it } from 'vitest';
import { deriveOutcome } from '../../voice-engine/src/call/outcome.js';
import { transferSettings } from '../../voice-engine/src/clinic/receptionist-settings.js';
import { TRANSFER_DEFAULTS } from '../../voice-engine/src/clinic/knowledge.js';
import { WarmTransfers } from '../../voice-engine/src/transfer/warm-transfers.js';
import { whisperSentence } from '../../voice-engine/src/transfer/whisper.js';
import { whisperAnsweredTwiml, whisperTwiml } from '../../voice-engine/src/twilio/twiml.js';
import { parseTwiml } from '../sim/twilio/twiml.js';
import type { ToolCallRecord } from '../../voice-engine/src/contract.js';

describe('the whisper the front desk hears', () => {
  it('says who (name if given, last four digits read singly) and why, in one sentence', () => {
    expect(whisperSentence({ callerName: 'Ana Lopez', callerNumber: '+15035550601', reason: 'wants to move her facial.' })).toBe(
      'Call from Ana Lopez, number ending 0 6 0 1: wants to move her facial.',
    );
    expect(whisperSentence({ callerNumber: '+15035550601' })).toBe('Call from a caller, number ending 0 6 0 1.');
    expect(whisperSentence({ callerNumber: '+15035550601', reason: 'Knocked-out tooth', urgent: true })).toBe('Urgent call from a caller, number ending 0 6 0 1: Knocked-out tooth.');
  });

  it('keeps markup and long speeches out: the model’s words are cut at a word and never become TwiML', () => {
    const sentence = whisperSentence({ callerName: '<Hangup/>Eve', callerNumber: 'anonymous', reason: 'x '.repeat(200) + 'tail' });
    expect(sentence).not.toMatch(/[<>]/);
    expect(sentence.length).toBeLessThan(260);
    expect(sentence).not.toContain('number ending');
    const twiml = parseTwiml(whisperTwiml(sentence, true, 'https://clinic.test/twilio/transfer/answer?call=CA1'));
    expect(twiml.verbs.map((v) => v.name)).toEqual(['Gather', 'Say', 'Hangup']);
  });

  it('asks for a key by default, and with "stay on the line" reports the answer by a redirect instead', () => {
    const press = parseTwiml(whisperTwiml('Call from a caller.', true, 'https://clinic.test/a?call=CA1'));
    expect(press.verbs[0]).toMatchObject({ name: 'Gather', attrs: { numDigits: '1', action: 'https://clinic.test/a?call=CA1' } });
    expect(press.verbs[0]!.children[0]!.text).toMatch(/Press 1 to take the call, or 2 to send it back/);
    const stay = parseTwiml(whisperTwiml('Call from a caller.', false, 'https://clinic.test/a?call=CA1'));
    expect(stay.verbs.map((v) => [v.name, v.text])).toEqual([['Say', 'Call from a caller. Connecting you now.'], ['Redirect', 'https://clinic.test/a?call=CA1']]);
    // Accepting is an empty document (Twilio then connects the parties); declining hangs the desk's leg up.
    expect(parseTwiml(whisperAnsweredTwiml(true)).verbs).toEqual([]);
    expect(parseTwiml(whisperAnsweredTwiml(false)).verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
  });
});

describe('transfers on their way', () => {
  const base = { callSid: 'CA1', callId: 1, whisper: 'w', returnToReceptionist: true, startedAt: 1_000, memory: new Map() };

  it('remembers whether the desk took the call until the dial is over, then forgets it', () => {
    const t = new WarmTransfers();
    t.start(base);
    expect(t.get('CA1')).toMatchObject({ accepted: false, declined: false });
    t.answer('CA1', false);
    expect(t.get('CA1')).toMatchObject({ accepted: false, declined: true });
    t.answer('CA1', true);
    expect(t.finish('CA1')).toMatchObject({ accepted: true, declined: false });
    expect(t.finish('CA1')).toBeUndefined();
  });

  it('drops transfers older than an hour when a new one starts', () => {
    const t = new WarmTransfers();
    t.start(base);
    t.start({ ...base, callSid: 'CA2', startedAt: base.startedAt + 61 * 60_000 });
    expect(t.get('CA1')).toBeUndefined();
    expect(t.get('CA2')).toBeDefined();
  });

  it('a transfer nobody took does not make the call "transferred"; one that went through does', () => {
    const transfer: ToolCallRecord = { id: 1, callId: 1, name: 'transfer_to_staff', arguments: {}, result: { done: true }, status: 'ok', startedAt: 0, finishedAt: 1 };
    expect(deriveOutcome({ toolCalls: [transfer], wentToFallback: false, callerSpoke: true, handedOff: true })).toBe('transferred');
    expect(deriveOutcome({ toolCalls: [transfer], wentToFallback: false, callerSpoke: true, handedOff: false })).toBe('info_only');
  });

  it('the setting takes only the two ways a desk can take a call', () => {
    expect(TRANSFER_DEFAULTS.connect).toBe('press-key');
    expect(transferSettings({ connect: 'stay-on-line' }, TRANSFER_DEFAULTS)).toEqual({ connect: 'stay-on-line' });
    expect(transferSettings({}, { connect: 'stay-on-line' })).toEqual({ connect: 'stay-on-line' });
    expect(() => transferSettings({ connect: 'ring-forever' as never }, TRANSFER_DEFAULTS)).toThrow(/presses 1 or stays on the line/);
  });
});
