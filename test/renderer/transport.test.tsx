// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionBanner } from '../../renderer/src/components/ConnectionBanner';
import { EngineProvider, useConnection } from '../../renderer/src/engine/context';
import { HandlerFailure, InMemoryEmitter, InMemoryTransport } from '../../renderer/src/transport/in-memory';
import { MessagePortTransport } from '../../renderer/src/transport/message-port';
import { obtainTransport, pickTransport, PORT_MESSAGE } from '../../renderer/src/transport/pick';
import type { EngineTransport } from '../../renderer/src/transport/types';
import { WebSocketTransport } from '../../renderer/src/transport/websocket';

afterEach(cleanup);

/** A WebSocket double the test drives by hand. */
class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];
  readyState = FakeWebSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  accept() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
  }
  push(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.();
  }
}

const latest = () => FakeWebSocket.instances[FakeWebSocket.instances.length - 1]!;

function ws(fetchStatus = 200) {
  const fetchImpl = vi.fn(async () => new Response(null, { status: fetchStatus }));
  const transport = new WebSocketTransport('ws://127.0.0.1:8081/api/events', {
    WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket,
    fetchImpl: fetchImpl as unknown as typeof fetch,
    authProbeUrl: 'http://127.0.0.1:8081/api/calls?limit=1',
    minDelayMs: 100,
    maxDelayMs: 1000,
  });
  return { transport, fetchImpl };
}

describe('WebSocketTransport', () => {
  beforeEach(() => {
    FakeWebSocket.instances = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('queues calls until open, matches replies by id, and delivers events', async () => {
    const { transport } = ws();
    const statuses: string[] = [];
    transport.onStatus((s) => statuses.push(s));
    const events: unknown[] = [];
    transport.subscribe((e) => events.push(e));
    expect(transport.status()).toBe('connecting');
    const a = transport.call('status/get', {});
    const b = transport.call('calls/get', { id: 7 });
    const socket = latest();
    expect(socket.url).toBe('ws://127.0.0.1:8081/api/events');
    expect(socket.sent).toEqual([]);
    socket.accept();
    expect(statuses).toEqual(['open']);
    expect(socket.sent).toEqual([
      { id: 1, handler: 'status/get', args: {} },
      { id: 2, handler: 'calls/get', args: { id: 7 } },
    ]);
    // Replies may come in any order.
    socket.push({ id: 2, reply: { ok: false, error: { code: 'NOT_FOUND', message: 'No call 7' } } });
    socket.push({ id: 1, reply: { ok: true, value: { callsToday: 3 } } });
    await expect(b).resolves.toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No call 7' } });
    await expect(a).resolves.toEqual({ ok: true, value: { callsToday: 3 } });
    socket.push({ event: 'inbox.changed', payload: {} });
    expect(events).toEqual([{ event: 'inbox.changed', payload: {} }]);
  });

  it('fails calls in flight when the socket drops, then reconnects with backoff', async () => {
    const { transport } = ws();
    latest().accept();
    const pending = transport.call('live/list', {});
    latest().drop();
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringMatching(/dropped/) } });
    expect(transport.status()).toBe('connecting');
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
    // Refused again: the probe says the engine is up but the socket is not; wait longer.
    latest().drop();
    await vi.advanceTimersByTimeAsync(150);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeWebSocket.instances).toHaveLength(3);
    latest().accept();
    expect(transport.status()).toBe('open');
  });

  it('times out a call the engine never answers', async () => {
    const fetchImpl = vi.fn();
    const transport = new WebSocketTransport('ws://x/api/events', { WebSocketImpl: FakeWebSocket as unknown as typeof WebSocket, fetchImpl: fetchImpl as unknown as typeof fetch, timeoutMs: 5000 });
    latest().accept();
    const reply = transport.call('status/get', {});
    await vi.advanceTimersByTimeAsync(5000);
    await expect(reply).resolves.toMatchObject({ ok: false, error: { message: expect.stringMatching(/did not answer/) } });
  });

  it('recognises a missing login (401) and says how to sign in', async () => {
    const { transport, fetchImpl } = ws(401);
    render(
      <EngineProvider transport={transport}>
        <ConnectionBanner />
      </EngineProvider>,
    );
    await act(async () => {
      latest().drop();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(fetchImpl).toHaveBeenCalledWith('http://127.0.0.1:8081/api/calls?limit=1', expect.objectContaining({ credentials: 'same-origin' }));
    expect(transport.status()).toBe('closed');
    expect(transport.closedReason()).toBe('unauthorized');
    expect(screen.getByRole('alert').textContent).toBe('Sign-in needed. Open the login link printed by Deskline (or in the desktop app).');
    await expect(transport.call('status/get', {})).resolves.toMatchObject({ ok: false, error: { message: 'Not signed in to Deskline.' } });
    // It keeps checking quietly; once the cookie is set, the next attempt opens.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5000);
    });
    await act(async () => latest().accept());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('tells screens to re-fetch after a reconnect', async () => {
    const { transport } = ws();
    const generations: number[] = [];
    function Probe() {
      generations.push(useConnection().generation);
      return null;
    }
    render(
      <EngineProvider transport={transport}>
        <Probe />
        <ConnectionBanner />
      </EngineProvider>,
    );
    expect(screen.getByRole('status').textContent).toBe('Connecting to Deskline…');
    act(() => latest().accept());
    act(() => latest().drop());
    expect(screen.getByRole('status').textContent).toBe('Connection to Deskline lost. Reconnecting…');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(100);
    });
    act(() => latest().accept());
    expect(generations.at(-1)).toBe(2);
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('MessagePortTransport', () => {
  it('speaks the same messages over a MessagePort', async () => {
    const channel = new MessageChannel();
    // The engine side: answer handler calls, push an event.
    channel.port2.onmessage = (e: MessageEvent) => {
      const { id, handler, args } = e.data as { id: number; handler: string; args: { id: number } };
      channel.port2.postMessage({ id, reply: handler === 'calls/get' ? { ok: true, value: { id: args.id, transcript: [] } } : { ok: false, error: { code: 'UNKNOWN_HANDLER', message: handler } } });
    };
    const transport = new MessagePortTransport(channel.port1);
    expect(transport.status()).toBe('open');
    const events: unknown[] = [];
    transport.subscribe((e) => events.push(e));
    await expect(transport.call('calls/get', { id: 4 })).resolves.toEqual({ ok: true, value: { id: 4, transcript: [] } });
    await expect(transport.call('status/get', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER' } });
    channel.port2.postMessage({ event: 'live.state', payload: { callId: 1, state: 'speaking' } });
    await vi.waitFor(() => expect(events).toEqual([{ event: 'live.state', payload: { callId: 1, state: 'speaking' } }]));
    transport.close();
    channel.port2.close();
  });
});

describe('InMemoryTransport', () => {
  it('answers like the engine: values, error codes, unknown handlers, and events', async () => {
    const emitter = new InMemoryEmitter();
    const t = new InMemoryTransport(
      {
        'calls/flag': ({ id }) => {
          if (id === 0) throw new HandlerFailure('NOT_FOUND', 'No call 0');
          throw new Error('disk full');
        },
      },
      emitter,
    );
    await expect(t.call('calls/flag', { id: 0, needsAction: true })).resolves.toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No call 0' } });
    await expect(t.call('calls/flag', { id: 1, needsAction: true })).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk full' } });
    await expect(t.call('status/get', {})).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_HANDLER' } });
    const seen: unknown[] = [];
    const off = t.subscribe((e) => seen.push(e.event));
    emitter.emit('inbox.changed', {});
    off();
    emitter.emit('inbox.changed', {});
    expect(seen).toEqual(['inbox.changed']);
  });
});

describe('pickTransport', () => {
  it('uses the desktop shell’s port, else the same-origin WebSocket, else says it is not connected', () => {
    const channel = new MessageChannel();
    const desktop = pickTransport({ deskline: { port: channel.port1 }, location: { protocol: 'file:', host: '' } } as unknown as Window);
    expect(desktop).toBeInstanceOf(MessagePortTransport);
    (desktop as EngineTransport).close?.();
    channel.port2.close();

    const original = globalThis.WebSocket;
    FakeWebSocket.instances = [];
    globalThis.WebSocket = FakeWebSocket as unknown as typeof WebSocket;
    try {
      const web = pickTransport({ location: { protocol: 'http:', host: '127.0.0.1:8081' } } as unknown as Window);
      expect(web).toBeInstanceOf(WebSocketTransport);
      expect(latest().url).toBe('ws://127.0.0.1:8081/api/events');
      web.close?.();
    } finally {
      globalThis.WebSocket = original;
    }

    const file = pickTransport({ location: { protocol: 'file:', host: '' } } as unknown as Window);
    expect(file.status()).toBe('closed');
    expect(file.closedReason?.()).toBe('no-engine');
  });
});

describe('obtainTransport', () => {
  it('waits for the desktop shell to post its port', async () => {
    window.deskline = {};
    try {
      const pending = obtainTransport(window, 2000);
      const channel = new MessageChannel();
      channel.port2.onmessage = (e: MessageEvent) => channel.port2.postMessage({ id: (e.data as { id: number }).id, reply: { ok: true, value: 'pong' } });
      window.dispatchEvent(new MessageEvent('message', { data: PORT_MESSAGE, source: window, ports: [channel.port1] }));
      const transport = await pending;
      expect(transport).toBeInstanceOf(MessagePortTransport);
      await expect(transport.call('status/get', {})).resolves.toEqual({ ok: true, value: 'pong' });
      transport.close?.();
      channel.port2.close();
    } finally {
      delete window.deskline;
    }
  });
});
