import type { CallSummary, LiveCallState, LiveCallView, ToolCallRecord, TranscriptLine } from '../../contract';

export interface LiveCard extends LiveCallView {
  /** Set when call.ended arrived: the card lingers briefly, marked as ended. */
  ended: boolean;
}

export type LiveAction =
  | { type: 'snapshot'; views: LiveCallView[] }
  | { type: 'started' | 'updated'; call: CallSummary }
  | { type: 'ended'; call: CallSummary }
  | { type: 'line'; line: TranscriptLine }
  | { type: 'tool'; tool: ToolCallRecord }
  | { type: 'state'; callId: number; state: LiveCallState }
  | { type: 'remove'; callId: number };

export type LiveCards = ReadonlyMap<number, LiveCard>;

const ACTIVE = new Set(['ringing', 'in-progress']);

function mergeLines(a: TranscriptLine[], b: TranscriptLine[]): TranscriptLine[] {
  const byId = new Map<number, TranscriptLine>();
  for (const line of a) byId.set(line.id, line);
  for (const line of b) byId.set(line.id, line);
  return [...byId.values()].sort((x, y) => x.spokenAt - y.spokenAt || x.id - y.id);
}

function upsertTool(tools: ToolCallRecord[], tool: ToolCallRecord): ToolCallRecord[] {
  const i = tools.findIndex((t) => t.id === tool.id);
  if (i === -1) return [...tools, tool];
  const current = tools[i]!;
  // A late "running" copy must not undo a finished one.
  if (current.status !== 'running' && tool.status === 'running') return tools;
  const next = tools.slice();
  next[i] = tool;
  return next;
}

function mergeTools(a: ToolCallRecord[], b: ToolCallRecord[]): ToolCallRecord[] {
  let out = a;
  for (const t of b) out = upsertTool(out, t);
  return out;
}

/**
 * The live board: one card per active call, kept current from events. Returns the same
 * map when an event changes nothing, and `unknown` when an event names a call the board
 * has not seen (the caller should fetch `live/list` again).
 */
export function liveReducer(cards: LiveCards, action: LiveAction): LiveCards {
  const next = new Map(cards);
  switch (action.type) {
    case 'snapshot': {
      const fresh = new Map<number, LiveCard>();
      for (const view of action.views) {
        const had = cards.get(view.call.id);
        fresh.set(view.call.id, {
          ...view,
          ended: false,
          transcript: had ? mergeLines(had.transcript, view.transcript) : view.transcript,
          toolCalls: had ? mergeTools(had.toolCalls, view.toolCalls) : view.toolCalls,
        });
      }
      // Ended cards that are still lingering stay until their timer removes them.
      for (const [id, card] of cards) if (card.ended && !fresh.has(id)) fresh.set(id, card);
      return fresh;
    }
    case 'started':
    case 'updated': {
      const had = cards.get(action.call.id);
      if (had) {
        next.set(action.call.id, { ...had, call: action.call });
        return next;
      }
      if (!ACTIVE.has(action.call.status)) return cards;
      next.set(action.call.id, { call: action.call, callerName: null, state: 'greeting', transcript: [], toolCalls: [], ended: false });
      return next;
    }
    case 'ended': {
      const had = cards.get(action.call.id);
      if (!had) return cards;
      next.set(action.call.id, { ...had, call: action.call, ended: true });
      return next;
    }
    case 'line': {
      const had = cards.get(action.line.callId);
      if (!had) return cards;
      next.set(had.call.id, { ...had, transcript: mergeLines(had.transcript, [action.line]) });
      return next;
    }
    case 'tool': {
      const had = cards.get(action.tool.callId);
      if (!had) return cards;
      next.set(had.call.id, { ...had, toolCalls: upsertTool(had.toolCalls, action.tool) });
      return next;
    }
    case 'state': {
      const had = cards.get(action.callId);
      if (!had || had.state === action.state) return cards;
      next.set(had.call.id, { ...had, state: action.state });
      return next;
    }
    case 'remove': {
      if (!cards.has(action.callId)) return cards;
      next.delete(action.callId);
      return next;
    }
  }
}

/** The call an action is about, when it is not on the board yet. */
export function unknownCallId(cards: LiveCards, action: LiveAction): number | null {
  switch (action.type) {
    case 'line':
      return cards.has(action.line.callId) ? null : action.line.callId;
    case 'tool':
      return cards.has(action.tool.callId) ? null : action.tool.callId;
    case 'state':
      return cards.has(action.callId) ? null : action.callId;
    default:
      return null;
  }
}
