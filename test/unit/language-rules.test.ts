import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerClinicHandlers } from '../../voice-engine/src/api/clinic-handlers.js';
import { HandlerRegistry } from '../../voice-engine/src/api/registry.js';
import { loadKnowledge } from '../../voice-engine/src/clinic/knowledge.js';
import { buildInstructions, greetingInstructions } from '../../voice-engine/src/realtime/instructions.js';
import { Store } from '../../voice-engine/src/store/index.js';

function clinic() {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), 'deskline-lang-')), 'deskline.sqlite'));
  const registry = new HandlerRegistry();
  registerClinicHandlers(registry, store);
  return { store, registry };
}

describe('languages', () => {
  it('by default answers Spanish speakers in Spanish for the whole call, relays tool results exactly, and writes for staff in English', () => {
    const { store } = clinic();
    const text = buildInstructions(loadKnowledge(store), Date.now());
    expect(text).toContain('You may speak English, Spanish. When the caller speaks one of them, answer in it and keep to it for the whole call');
    expect(text).toMatch(/relay them in the caller’s language, keeping names, dates, times, prices and numbers exactly/);
    expect(text).toMatch(/Write everything meant for the clinic team .* in English/);
    store.close();
  });

  it('a bilingual greeting ends with one line in Spanish; off by default', async () => {
    const { store, registry } = clinic();
    expect(greetingInstructions(loadKnowledge(store))).not.toContain('Para español');
    expect((await registry.call('clinic/update', { languages: { bilingualGreeting: true } })).ok).toBe(true);
    expect(greetingInstructions(loadKnowledge(store))).toMatch(/help( you today)?\? Para español, hable en español\."$/);
    store.close();
  });

  it('refuses a language it cannot offer, naming the ones it can, and saves nothing', async () => {
    const { store, registry } = clinic();
    const reply = await registry.call('clinic/update', { languages: { alsoSpeaks: ['Klingon'] as never } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Other languages: choose one of English, Spanish/) } });
    expect(loadKnowledge(store).languages.alsoSpeaks).toEqual(['Spanish']);
    expect((await registry.call('clinic/update', { languages: { clinicLanguage: 'Spanish', alsoSpeaks: ['Spanish', 'English'] } })).ok).toBe(true);
    expect(loadKnowledge(store).languages).toMatchObject({ clinicLanguage: 'Spanish', alsoSpeaks: ['English'] });
    store.close();
  });
});
