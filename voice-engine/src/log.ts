import log from 'electron-log/node';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { maskPhonesIn } from './phi.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export interface Logger {
  error(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  debug(message: string, ...details: unknown[]): void;
}

const secrets = new Set<string>();

/** Any value registered here is replaced wherever it would appear in a log line. */
export function registerSecret(value: string | null | undefined): void {
  if (value && value.length >= 6) secrets.add(value);
}

function scrub(text: string): string {
  let out = maskPhonesIn(text);
  for (const secret of secrets) out = out.split(secret).join('[secret]');
  return out;
}

function toText(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item instanceof Error) return item.stack ?? item.message;
  return inspect(item, { depth: 4, breakLength: Infinity });
}

let configured = false;

export interface TailLine {
  at: number;
  level: LogLevel;
  scope: string;
  text: string;
}

const TAIL_SIZE = 2000;
const tail: TailLine[] = [];
const tailListeners = new Set<(line: TailLine) => void>();

/** The newest lines the engine logged (already scrubbed), oldest first. */
export function recentLogLines(minLevel: LogLevel = 'debug', limit = 500): TailLine[] {
  const allowed = new Set(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(minLevel) + 1));
  return tail.filter((l) => allowed.has(l.level)).slice(-limit);
}

/** Every line as it is logged, for the Logs screen's live tail. */
export function onLogLine(listener: (line: TailLine) => void): () => void {
  tailListeners.add(listener);
  return () => tailListeners.delete(listener);
}

function toTail(message: { data: unknown[]; level: string; scope?: string; date: Date }): void {
  const level = (LOG_LEVELS as readonly string[]).includes(message.level) ? (message.level as LogLevel) : 'info';
  const line: TailLine = { at: message.date.getTime(), level, scope: message.scope ?? '', text: message.data.map((d) => toText(d)).join(' ') };
  tail.push(line);
  if (tail.length > TAIL_SIZE) tail.splice(0, tail.length - TAIL_SIZE);
  for (const listener of tailListeners) listener(line);
}

/**
 * Sends engine logs to the console and to engine.log in the data dir, through one
 * hook that masks phone numbers and registered secrets, so no call site can leak them.
 */
export function configureLogging(options: { level: LogLevel; logDir: string }): void {
  // Standalone there is no Electron app to ask for a name; the log path is ours anyway.
  log.transports.file.setAppName('Deskline');
  log.transports.file.resolvePathFn = () => join(options.logDir, 'engine.log');
  log.transports.file.level = options.level;
  log.transports.console.level = options.level;
  log.transports.file.maxSize = 10 * 1024 * 1024;
  const tailTransport = Object.assign((message: Parameters<typeof toTail>[0]) => toTail(message), { level: options.level as LogLevel | false, transforms: [] });
  (log.transports as unknown as Record<string, unknown>).tail = tailTransport;
  if (!configured) {
    log.hooks.push((message) => {
      message.data = message.data.map((item) => scrub(toText(item)));
      return message;
    });
    configured = true;
  }
}

export function createLogger(scope: string): Logger {
  const scoped = log.scope(scope);
  return {
    error: (message, ...details) => scoped.error(message, ...details),
    warn: (message, ...details) => scoped.warn(message, ...details),
    info: (message, ...details) => scoped.info(message, ...details),
    debug: (message, ...details) => scoped.debug(message, ...details),
  };
}
