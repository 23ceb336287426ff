import { randomBytes } from 'node:crypto';

export const EVENT_NAMESPACE_SETTING = 'calendar.eventNamespace';

interface SettingsLike {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/**
 * This installation's namespace for Google event ids, made on first use. A restore gives
 * the restored database a fresh one, so appointments created after it (whose ids the
 * restored database hands out again) can never overwrite events written before it.
 */
export function eventNamespace(settings: SettingsLike): string {
  const existing = settings.get<string>(EVENT_NAMESPACE_SETTING);
  if (existing) return existing;
  return renewEventNamespace(settings);
}

export function renewEventNamespace(settings: SettingsLike): string {
  const fresh = randomBytes(6).toString('hex');
  settings.set(EVENT_NAMESPACE_SETTING, fresh);
  return fresh;
}
