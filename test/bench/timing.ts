import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/** Waiting primitives that a level's abort (its timeout) cuts short, so nothing lingers after it. */

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : undefined);
}

/** Polls `check` every 50 ms; false once `timeoutMs` passed without it holding. */
export async function waitUntil(check: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(50, signal);
  }
  return true;
}

/** Rejects after `ms` if `p` has not settled; `p` itself keeps running. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`${what} took over ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** A promise that rejects with the signal's reason once it aborts (never resolves). */
export function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, rej) => {
    if (signal.aborted) rej(signal.reason);
    else signal.addEventListener('abort', () => rej(signal.reason), { once: true });
  });
}
