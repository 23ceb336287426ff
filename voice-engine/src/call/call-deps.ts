import type { EngineConfig } from '../config.js';
import type { EngineEvents } from '../events.js';
import type { StorageHealth } from '../health/storage-health.js';
import type { Logger } from '../log.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type { Store } from '../store/index.js';
import type { StorageWriter } from '../store/writer/storage-writer.js';
import type { WarmTransfers } from '../transfer/warm-transfers.js';
import type { TwilioCallControl } from '../twilio/call-control.js';
import type { FallbackService } from './fallback.js';
import type { ToolRegistry } from './tools.js';

/** What every live call is built with: the engine's services, shared by all calls. */
export interface CallDeps {
  config: EngineConfig;
  store: Store;
  /** Where lines are written: off the event loop, durable before they are reported. */
  writer: StorageWriter;
  events: EngineEvents;
  tools: ToolRegistry;
  /** What a call does when it leaves the receptionist; a test call from the dashboard has its own (test-call/). */
  fallback: Pick<FallbackService, 'prepare' | 'handOff' | 'sendRedirect'>;
  control: Pick<TwilioCallControl, 'hangUp' | 'transfer'>;
  log: Logger;
  /** The clock the supervisor runs on. */
  now?: () => number;
  /** Where sampled audio timings go (GET /metrics). */
  metrics?: EngineMetrics;
  /** Told when a line cannot be written (a full or read-only disk) and when writes work again. */
  storageHealth?: StorageHealth;
  /** Transfers on their way to the front desk: their whispers, and what comes back if nobody answers. */
  transfers: WarmTransfers;
}

/** A call coming back to the receptionist from a transfer nobody took. */
export interface ReturningCall {
  /** What the receptionist's tools knew before the transfer (identity, offered times). */
  memory: Map<string, unknown>;
  /** A person pressed the key that sends it back (rather than nobody answering). */
  declined: boolean;
}
