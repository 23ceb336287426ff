import { readFile } from 'node:fs/promises';
import type { InboxItem } from '../contract-views.js';
import type { EngineEvents } from '../events.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

/** A text thread waiting for staff: what the patient last wrote, which is what needs an answer. */
function lastTextFromPatient(store: Store, callId: number): string {
  const last = store.sms.messages(callId).filter((m) => m.direction === 'inbound').at(-1);
  return last ? `Waiting for a reply to “${last.body.slice(0, 200)}”` : 'Flagged for follow-up.';
}

/** Inbox rows come from three tables; the SQL for each stays in its store module. */
function inboxItems(store: Store, includeResolved: boolean): InboxItem[] {
  const items: InboxItem[] = [];
  for (const m of store.messages.listRecent(includeResolved)) {
    items.push({
      kind: 'message',
      id: m.id,
      callId: m.callId,
      title: `Message${m.callerName ? ` from ${m.callerName}` : ''}`,
      detail: `${m.reason} — call back on ${m.callbackNumber}`,
      urgency: m.urgency,
      createdAt: m.createdAt,
      resolvedAt: m.resolvedAt,
      resolvedBy: m.resolvedBy,
    });
  }
  for (const v of store.voicemails.listRecent(includeResolved)) {
    const about = v.transcript ? `“${v.transcript}”` : v.fetchState === 'failed' ? `Not fetched from Twilio: ${v.fetchDetail ?? 'unknown reason'}` : v.onThisPc ? 'Not transcribed' : 'Being fetched from Twilio…';
    items.push({
      kind: 'voicemail',
      id: v.id,
      callId: v.callId,
      title: `Voicemail, ${v.durationS ?? '?'} s`,
      detail: about,
      urgency: 'normal',
      createdAt: v.receivedAt,
      resolvedAt: v.resolvedAt,
      resolvedBy: v.resolvedBy,
      hasAudio: v.onThisPc,
    });
  }
  for (const c of store.calls.needingAction(includeResolved)) {
    const errors = store.systemErrors.listForCall(c.id);
    const texts = c.channel === 'sms';
    const reason = c.urgent
      ? `${c.urgent === 'emergency' ? 'Possible emergency' : c.urgent}${c.urgentNote ? `: ${c.urgentNote}` : ''}`
      : c.fallback ? `The receptionist could not take this call (${c.fallback}).`
      : texts ? lastTextFromPatient(store, c.id)
      : errors.length > 0 ? `Problem during the call: ${errors.at(-1)!.message}` : 'Flagged for follow-up.';
    items.push({
      kind: 'flagged_call',
      id: c.id,
      callId: c.id,
      title: `${c.urgent ? 'Urgent ' : ''}${texts ? 'Texts' : c.urgent ? 'call' : 'Call'} from ${c.fromMasked}`,
      detail: reason,
      urgency: c.urgent || c.fallback || errors.length > 0 ? 'urgent' : 'normal',
      createdAt: c.startedAt,
      resolvedAt: c.actionResolvedAt,
      resolvedBy: c.actionResolvedBy,
    });
  }
  return items.sort((a, b) => Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null) || b.createdAt - a.createdAt);
}

export function registerInboxHandlers(registry: HandlerRegistry, store: Store, events: EngineEvents): void {
  registry.register('voicemails/audio', async (args) => {
    const file = store.voicemails.localFile(Number(args.id));
    if (!file) throw new HandlerError('NOT_FOUND', 'That voicemail is not on this PC (yet).');
    try {
      return { mime: 'audio/wav', base64: (await readFile(file)).toString('base64') };
    } catch {
      throw new HandlerError('NOT_FOUND', 'The recording file is missing from the data folder.');
    }
  });

  registry.register('inbox/list', (args) => inboxItems(store, args.includeResolved === true));

  registry.register('inbox/resolve', (args, caller) => {
    // Whoever is signed in resolved it (the API token is "api"): never a name typed by hand.
    const by = caller.name;
    const now = Date.now();
    const id = Number(args.id);
    if (args.kind === 'message') store.messages.resolve(id, by, now);
    else if (args.kind === 'voicemail') store.voicemails.resolve(id, by, now);
    else if (args.kind === 'flagged_call') store.calls.resolve(id, by, now);
    else throw new HandlerError('BAD_REQUEST', `Unknown inbox item kind "${String(args.kind)}"`);
    events.emit('inbox.changed', {});
    const item = inboxItems(store, true).find((i) => i.kind === args.kind && i.id === id);
    if (!item) throw new HandlerError('NOT_FOUND', 'That item no longer exists.');
    return item;
  });
}
