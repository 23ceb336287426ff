import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerClinicHandlers } from '../../voice-engine/src/api/clinic-handlers.js';
import { HandlerRegistry } from '../../voice-engine/src/api/registry.js';
import { Store } from '../../voice-engine/src/store/index.js';
import { ToolRegistry } from '../../voice-engine/src/call/tools.js';

function clinic() {
  const store = Store.open(join(mkdtempSync(join(tmpdir(), 'deskline-limits-')), 'deskline.sqlite'));
  const registry = new HandlerRegistry();
  registerClinicHandlers(registry, store);
  return { store, registry };
}

describe('call handling settings', () => {
  it('defaults to 10 s, 10 s, 30 minutes and key 0', async () => {
    const { registry, store } = clinic();
    const reply = await registry.call('clinic/get', {});
    expect(reply.ok && reply.value.receptionist).toMatchObject({ idlePromptS: 10, idleHangUpS: 10, maxCallMinutes: 30, transferKey: '0' });
    store.close();
  });

  it('saves the limits without touching the greeting, and refuses a bad value naming the field, saving nothing', async () => {
    const { registry, store } = clinic();
    await registry.call('clinic/update', { receptionist: { greeting: 'Hi there!' } });
    const saved = await registry.call('clinic/update', { receptionist: { idlePromptS: 20, transferKey: '#' } });
    expect(saved.ok && saved.value.receptionist).toMatchObject({ greeting: 'Hi there!', idlePromptS: 20, idleHangUpS: 10, transferKey: '#' });
    const bad = await registry.call('clinic/update', { receptionist: { maxCallMinutes: 20, transferKey: '00' } });
    expect(bad).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'Key for the front desk must be one key: 0-9, * or #, or empty for none.' } });
    const tooShort = await registry.call('clinic/update', { receptionist: { idleHangUpS: 1 } });
    expect(tooShort).toMatchObject({ ok: false, error: { message: expect.stringContaining('End a silent call after a further (seconds)') } });
    const after = await registry.call('clinic/get', {});
    expect(after.ok && after.value.receptionist).toMatchObject({ maxCallMinutes: 30, transferKey: '#', idleHangUpS: 10 });
    store.close();
  });
});

describe('tool dispatch', () => {
  it('answers a call to a tool that does not exist with words the model can say, never silence', async () => {
    const outcome = await new ToolRegistry().dispatch('check_opening_hours', '{"day":"Sunday"}', {} as never);
    expect(outcome).toMatchObject({ status: 'error', result: { error: 'unknown_tool', say: expect.any(String) } });
  });
});
