import type { PricingSettings } from '../clinic/knowledge.js';
import type { StoredCall } from '../store/calls.js';
import type { Store } from '../store/index.js';
import type { CallFigures } from '../call/call-figures.js';
import { billedMinutes, openaiCostUsd } from './call-cost.js';

/** Keeps what a call (or its stretch back from a transfer) used and cost, at the prices of the day. */
export function recordCallFigures(store: Store, call: StoredCall, figures: CallFigures, pricing: PricingSettings, now: number): void {
  const minutes = billedMinutes(now - call.startedAt);
  store.figures.add(
    call.id,
    { tokens: figures.tokens, openaiUsd: openaiCostUsd(figures.tokens, pricing), twilioUsd: minutes * pricing.twilioPerMinute, minutes, replyMs: figures.replyMs, bargeIns: figures.bargeIns },
    now,
  );
}
