import type { PricingSettings } from '../clinic/knowledge.js';
import type { TokenUsage } from '../realtime/protocol.js';

/**
 * The cost of a call's Realtime tokens at the prices in Settings: cached input at the cached
 * price, the rest of the input and all output at theirs.
 */
export function openaiCostUsd(t: TokenUsage, p: PricingSettings): number {
  const perM = (tokens: number, price: number) => (tokens * price) / 1_000_000;
  return (
    perM(Math.max(0, t.textIn - t.cachedTextIn), p.textInPerM) +
    perM(t.cachedTextIn, p.cachedTextInPerM) +
    perM(Math.max(0, t.audioIn - t.cachedAudioIn), p.audioInPerM) +
    perM(t.cachedAudioIn, p.cachedAudioInPerM) +
    perM(t.textOut, p.textOutPerM) +
    perM(t.audioOut, p.audioOutPerM)
  );
}

/** Twilio bills each started minute. */
export function billedMinutes(durationMs: number): number {
  return durationMs <= 0 ? 0 : Math.ceil(durationMs / 60_000);
}
