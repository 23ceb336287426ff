import WebSocket from 'ws';
import type { Rig } from './call-rig.js';
import { latestLoginLink } from './dashboard-sign-in.js';

export interface StaffSocket {
  call<T = any>(handler: string, args?: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  /** Every event this connection was sent. */
  events: Array<{ event: string; payload: any }>;
  /** Everything this connection was sent, as text. */
  raw: string[];
  close(): void;
}

/**
 * A dashboard connection as a browser on the PC makes it: the one-time login link's cookie,
 * then the staff WebSocket, on which a person signs in (or does not).
 */
const usedLinks = new Set<string>();

/** The link the engine printed after the last one was used (it prints a fresh one each time, a moment later). */
async function freshLoginLink(rig: Rig): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const link = latestLoginLink(rig);
    if (!usedLinks.has(link)) {
      usedLinks.add(link);
      return link;
    }
    if (Date.now() > deadline) throw new Error('the engine printed no fresh login link');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function staffSocket(rig: Rig): Promise<StaffSocket> {
  const res = await fetch(await freshLoginLink(rig), { redirect: 'manual' });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie) throw new Error(`the login link gave no cookie (${res.status})`);
  const ws = new WebSocket(`${rig.engine.staffUrl.replace('http', 'ws')}/api/events`, { headers: { Cookie: cookie } });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waiting = new Map<number, (reply: any) => void>();
  const events: StaffSocket['events'] = [];
  const raw: string[] = [];
  let next = 1;
  ws.on('message', (data) => {
    const text = data.toString();
    raw.push(text);
    const msg = JSON.parse(text);
    if ('reply' in msg) waiting.get(msg.id)?.(msg.reply);
    else events.push(msg);
  });
  return {
    call: (handler, args = {}) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ id, handler, args }));
      }),
    events,
    raw,
    close: () => ws.close(),
  };
}
