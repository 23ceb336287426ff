import type { CallDetail } from '../contract.js';
import { toSummary } from '../store/calls.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

export function registerCallHandlers(registry: HandlerRegistry, store: Store): void {
  registry.register('calls/list', (args) => {
    const limit = args.limit === undefined ? undefined : Number(args.limit);
    const beforeId = args.beforeId === undefined ? undefined : Number(args.beforeId);
    if ((limit !== undefined && !Number.isInteger(limit)) || (beforeId !== undefined && !Number.isInteger(beforeId))) {
      throw new HandlerError('BAD_REQUEST', 'limit and beforeId must be whole numbers');
    }
    return store.calls.list({ limit, beforeId }).map(toSummary);
  });

  registry.register('calls/get', (args): CallDetail => {
    const id = Number(args.id);
    if (!Number.isInteger(id)) throw new HandlerError('BAD_REQUEST', 'id must be a whole number');
    const call = store.calls.get(id);
    if (!call) throw new HandlerError('NOT_FOUND', `No call with id ${id}`);
    return {
      ...toSummary(call),
      transcript: store.transcripts.list(id),
      toolCalls: store.toolCalls.list(id),
      errors: store.systemErrors.listForCall(id),
      voicemails: store.voicemails.listForCall(id),
      summary: store.summaries.get(id),
    };
  });
}
