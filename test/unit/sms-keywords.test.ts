import { describe, expect, it } from 'vitest';
import { helpText, keywordOf } from '../../voice-engine/src/sms/keywords.js';

describe('carrier keywords', () => {
  it('recognises STOP, START and HELP and their synonyms as the whole message, in any case', () => {
    for (const w of ['STOP', 'stop', ' Stop. ', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']) expect(keywordOf(w, false)).toBe('stop');
    for (const w of ['START', 'unstop']) expect(keywordOf(w, false)).toBe('start');
    for (const w of ['HELP', 'info']) expect(keywordOf(w, false)).toBe('help');
  });

  it('a sentence is not a keyword, and YES opts back in only a number that opted out', () => {
    expect(keywordOf('Please stop texting me about Tuesday', false)).toBeNull();
    expect(keywordOf('cancel my appointment', false)).toBeNull();
    expect(keywordOf('Yes', false)).toBeNull();
    expect(keywordOf('Yes', true)).toBe('start');
  });

  it('the HELP answer names the clinic, how to reach it, and how to stop', () => {
    expect(helpText('Glow Med Spa', '+15550001234')).toBe('Glow Med Spa: texts about your appointments. To reach us, call +15550001234. Msg & data rates may apply. Reply STOP to opt out.');
    expect(helpText('Glow Med Spa', '')).not.toContain('call');
  });
});
