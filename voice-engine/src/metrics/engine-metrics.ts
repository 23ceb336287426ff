import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every this many audio frames one is timed: enough for a histogram, nothing on the hot path. */
export const AUDIO_SAMPLE_EVERY = 50;

/**
 * What IT's monitoring can scrape at GET /metrics (Prometheus text format): calls, how they
 * ended, fallbacks and errors by kind, how long the engine holds audio, event-loop lag,
 * storage write latency and backup age. Counts and durations only: no phone numbers,
 * names or words said.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  readonly callsEnded: Counter<'outcome'>;
  readonly fallbacks: Counter<'reason'>;
  readonly errors: Counter<'type' | 'severity'>;
  readonly storageWrite: Histogram;
  readonly audioForward: Histogram<'direction'>;

  constructor(sources: { liveCalls(): number; lastBackupAt(): number | null }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'deskline_', eventLoopMonitoringPrecision: 10 });
    new Gauge({ name: 'deskline_live_calls', help: 'Calls on the line now', registers, collect() {
      this.set(sources.liveCalls());
    } });
    new Gauge({ name: 'deskline_backup_age_seconds', help: 'Seconds since the newest verified backup (-1: none yet)', registers, collect() {
      const at = sources.lastBackupAt();
      this.set(at === null ? -1 : (Date.now() - at) / 1000);
    } });
    this.callsEnded = new Counter({ name: 'deskline_calls_ended_total', help: 'Calls ended since start, by outcome', labelNames: ['outcome'], registers });
    this.fallbacks = new Counter({ name: 'deskline_fallbacks_total', help: 'Calls sent to the fallback since start, by reason', labelNames: ['reason'], registers });
    this.errors = new Counter({ name: 'deskline_errors_total', help: 'Errors recorded since start (OpenAI, Twilio, Google, the engine), by type', labelNames: ['type', 'severity'], registers });
    this.storageWrite = new Histogram({
      name: 'deskline_storage_write_seconds', help: 'From asking the storage thread for a write to it being durable', registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.audioForward = new Histogram({
      name: 'deskline_audio_forward_seconds', help: 'Time the engine holds a sampled audio frame before passing it on', labelNames: ['direction'], registers,
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025],
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
