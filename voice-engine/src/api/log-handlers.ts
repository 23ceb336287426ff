import type { Severity } from '../contract.js';
import type { EngineEvents } from '../events.js';
import { LOG_LEVELS, onLogLine, recentLogLines, type LogLevel } from '../log.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error', 'critical'];

/** The Logs screen: recorded system errors, and a live tail of the engine log. */
export function registerLogHandlers(registry: HandlerRegistry, store: Store, events: EngineEvents): void {
  registry.register('logs/errors', (args) => {
    if (args.severity !== undefined && !SEVERITIES.includes(args.severity)) throw new HandlerError('BAD_REQUEST', `severity must be one of ${SEVERITIES.join(', ')}`);
    const limit = Math.min(Math.max(Number(args.limit ?? 200), 1), 1000);
    return store.systemErrors.listFiltered({ type: args.type || undefined, severity: args.severity }, limit);
  });

  registry.register('logs/tail', (args) => {
    const level = (args.level ?? 'debug') as LogLevel;
    if (!LOG_LEVELS.includes(level)) throw new HandlerError('BAD_REQUEST', `level must be one of ${LOG_LEVELS.join(', ')}`);
    return recentLogLines(level, Math.min(Math.max(Number(args.limit ?? 500), 1), 2000));
  });

  onLogLine((line) => events.emit('log.line', line));
}
