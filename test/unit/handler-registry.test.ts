import { describe, expect, it } from 'vitest';
import { HandlerError, HandlerRegistry } from '../../voice-engine/src/api/registry.js';

describe('handler registry', () => {
  it('refuses a handler name registered twice', () => {
    const registry = new HandlerRegistry();
    registry.register('calls/list', () => []);
    expect(() => registry.register('calls/list', () => [])).toThrow(/already registered/);
  });

  it('wraps results and errors in replies, never throwing across the boundary', async () => {
    const registry = new HandlerRegistry();
    registry.register('calls/list', () => []);
    registry.register('calls/get', () => {
      throw new HandlerError('NOT_FOUND', 'No call with id 9');
    });
    registry.register('health/ready', () => {
      throw new Error('disk on fire at /secret/path');
    });
    expect(await registry.call('calls/list', {})).toEqual({ ok: true, value: [] });
    expect(await registry.call('calls/get', { id: 9 })).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No call with id 9' } });
    const internal = await registry.call('health/ready', {});
    expect(internal.ok).toBe(false);
    expect(JSON.stringify(internal)).not.toContain('/secret/path');
    expect(await registry.call('nope/nothing', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER' } });
  });
});
