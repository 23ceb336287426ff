import type { EngineConfig } from '../config.js';
import type { Readiness, ReadinessCheck } from '../contract.js';
import type { Store } from '../store/index.js';
import type { HandlerRegistry } from './registry.js';

function check(ready: boolean, reason: string): ReadinessCheck {
  return ready ? { ready } : { ready, reason };
}

export function readiness(config: EngineConfig, store: Store): Readiness {
  let database: ReadinessCheck;
  try {
    store.ping();
    database = { ready: true };
  } catch (err) {
    database = check(false, `The database cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const checks = {
    database,
    openai: check(Boolean(config.openai.apiKey), 'OPENAI_API_KEY is not set'),
    twilio: check(
      Boolean(config.twilio.accountSid && config.twilio.authToken),
      !config.twilio.accountSid ? 'TWILIO_ACCOUNT_SID is not set' : 'TWILIO_AUTH_TOKEN is not set',
    ),
    publicUrl: check(Boolean(config.publicBaseUrl), 'PUBLIC_BASE_URL is not set'),
  };
  return { ready: Object.values(checks).every((c) => c.ready), checks };
}

export function registerHealthHandlers(registry: HandlerRegistry, config: EngineConfig, store: Store): void {
  registry.register('health/ready', () => readiness(config, store));
}
