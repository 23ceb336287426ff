import type { SmsThreadView } from '../contract-views.js';
import type { EngineEvents } from '../events.js';
import type { Store } from '../store/index.js';
import { toSummary } from '../store/calls.js';
import type { SmsOutbox } from '../sms/sms-outbox.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

const MAX_TEXT = 1600;

/**
 * A text thread as staff work it: read it, take it over (the assistant then stays quiet on
 * it), reply by hand, and hand it back. Who took it over is the signed-in person.
 */
export function registerSmsHandlers(registry: HandlerRegistry, deps: { store: Store; events: EngineEvents; outbox: SmsOutbox }): void {
  const { store, events, outbox } = deps;

  const view = (callId: number): SmsThreadView => {
    const thread = store.sms.threadOf(callId);
    if (!thread) throw new HandlerError('NOT_FOUND', 'That is not a text thread.');
    return {
      callId,
      takenOver: thread.takenOverBy !== null,
      optedOut: store.sms.isOptedOut(thread.phone),
      messages: store.sms.messages(callId).map((m) => ({ id: m.id, direction: m.direction, author: m.author, body: m.body, status: m.status, at: m.createdAt })),
    };
  };
  const changed = (callId: number) => {
    const call = store.calls.get(callId);
    if (call) events.emit('call.updated', toSummary(call));
  };

  registry.register('sms/thread', (args) => view(Number(args.callId)));

  registry.register('sms/take-over', (args, caller) => {
    const callId = view(Number(args.callId)).callId;
    store.sms.takeOver(callId, caller.name, Date.now());
    changed(callId);
    return view(callId);
  });

  registry.register('sms/hand-back', (args) => {
    const callId = view(Number(args.callId)).callId;
    store.sms.takeOver(callId, null, Date.now());
    changed(callId);
    return view(callId);
  });

  registry.register('sms/reply', async (args) => {
    const current = view(Number(args.callId));
    const body = typeof args.body === 'string' ? args.body.trim() : '';
    if (!body) throw new HandlerError('BAD_REQUEST', 'Write the text to send.');
    if (body.length > MAX_TEXT) throw new HandlerError('BAD_REQUEST', `A text can be at most ${MAX_TEXT} characters.`);
    if (!current.takenOver) throw new HandlerError('BAD_REQUEST', 'Take over the thread first, so the assistant does not answer as well.');
    if (current.optedOut) throw new HandlerError('BAD_REQUEST', 'This number replied STOP: it cannot be texted until it replies START.');
    const thread = store.sms.threadOf(current.callId)!;
    try {
      await outbox.send({ phone: thread.phone, from: thread.clinicNumber, body, author: 'staff' });
    } catch (err) {
      throw new HandlerError('BAD_REQUEST', `The text was not sent: ${(err as Error).message}`);
    }
    changed(current.callId);
    return view(current.callId);
  });
}
