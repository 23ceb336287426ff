import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { EngineClient, type EnginePort, type Reply as ShellReply } from '../../electron/engine-client.js';
import type { Reply as ContractReply } from '../../voice-engine/src/contract.js';

/** The engine's side of a port: answers contract requests from a table, can push events. */
class FakeEnginePort implements EnginePort {
  listener: ((event: { data: unknown }) => void) | null = null;
  readonly requests: Array<{ id: number; handler: string }> = [];
  closed = false;
  constructor(private readonly answers: Record<string, unknown>) {}
  on(_event: 'message', listener: (event: { data: unknown }) => void) {
    this.listener = listener;
  }
  start() {}
  close() {
    this.closed = true;
  }
  postMessage(message: unknown) {
    const m = message as { id: number; handler: string };
    this.requests.push(m);
    if (m.handler in this.answers) queueMicrotask(() => this.listener?.({ data: { id: m.id, reply: { ok: true, value: this.answers[m.handler] } } }));
  }
  event(name: string, payload: unknown = {}) {
    this.listener?.({ data: { event: name, payload } });
  }
}

const READY = { ready: true, checks: { database: { ready: true }, openai: { ready: true }, twilio: { ready: true }, publicUrl: { ready: true } } };
const NO_KEY = { ready: false, checks: { database: { ready: true }, openai: { ready: false, reason: 'OPENAI_API_KEY is not set' }, twilio: { ready: true }, publicUrl: { ready: true } } };

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
afterEach(() => vi.useRealTimers());

describe('EngineClient (main\'s own contract client)', () => {
  it('speaks the contract\'s Reply type exactly', () => {
    expectTypeOf<ShellReply<number>>().toEqualTypeOf<ContractReply<number>>();
  });

  it('on a new port learns the live call count and readiness', async () => {
    const changes: unknown[] = [];
    const client = new EngineClient((v) => changes.push(v));
    const port = new FakeEnginePort({ 'session/state': { callsInProgress: 2 }, 'health/ready': NO_KEY });
    client.deliver(port);
    await vi.waitFor(() => expect(client.view()).toEqual({ connected: true, activeCalls: 2, notReady: 'OPENAI_API_KEY is not set' }));
    expect(port.requests.map((r) => r.handler).sort()).toEqual(['health/ready', 'session/state']);
    expect(changes.length).toBeGreaterThan(0);
  });

  it('re-counts after call events', async () => {
    const answers: Record<string, unknown> = { 'session/state': { callsInProgress: 0 }, 'health/ready': READY };
    const client = new EngineClient();
    const port = new FakeEnginePort(answers);
    client.deliver(port);
    await vi.waitFor(() => expect(client.view().activeCalls).toBe(0));
    answers['session/state'] = { callsInProgress: 1 };
    port.event('call.started');
    port.event('live.state'); // not a call-count event
    vi.advanceTimersByTime(250);
    await vi.waitFor(() => expect(client.view().activeCalls).toBe(1));
  });

  it('looks again every 30 s, so a key entered in Settings clears "not answering"', async () => {
    const answers: Record<string, unknown> = { 'session/state': { callsInProgress: 0 }, 'health/ready': NO_KEY };
    const client = new EngineClient();
    client.deliver(new FakeEnginePort(answers));
    await vi.waitFor(() => expect(client.view().notReady).toBe('OPENAI_API_KEY is not set'));
    answers['health/ready'] = READY;
    vi.advanceTimersByTime(30_000);
    await vi.waitFor(() => expect(client.view().notReady).toBeNull());
  });

  it('fails pending calls and resets when the engine goes away, and times out silent engines', async () => {
    const client = new EngineClient(undefined, 1_000);
    const port = new FakeEnginePort({});
    client.deliver(port);
    const pending = client.call('live/list');
    vi.advanceTimersByTime(1_000);
    expect(await pending).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'The voice engine did not answer in time.' } });
    const another = client.call('live/list');
    client.disconnect();
    expect((await another).ok).toBe(false);
    expect(port.closed).toBe(true);
    expect(client.view()).toEqual({ connected: false, activeCalls: 0, notReady: null });
    expect((await client.call('live/list')).ok).toBe(false);
  });
});
