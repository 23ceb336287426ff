/**
 * The last line of defence for the event loop that carries every caller's audio: an
 * error nothing else caught is recorded (system_errors, the log, the Logs screen) and
 * the engine keeps serving calls. Only a corrupt database, where carrying on would make
 * things worse, ends the process; the desktop supervisor then restarts it.
 */

export interface ProcessLike {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

export interface GuardDeps {
  /** Records the error for staff; must not throw (the guard catches it if it does). */
  record(type: 'unhandled_rejection' | 'uncaught_exception', error: Error): void;
  log(message: string): void;
  exit(code: number): void;
}

/** SQLite says the file itself is damaged: nothing written from here on can be trusted. */
const CORRUPT = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX']);

export function isCorruptState(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPT.has(code);
}

/** Installs the handlers; returns a function that removes them. */
export function guardProcess(proc: ProcessLike, deps: GuardDeps): () => void {
  const handle = (type: 'unhandled_rejection' | 'uncaught_exception', raw: unknown): void => {
    const error = raw instanceof Error ? raw : new Error(`non-error thrown: ${String(raw)}`);
    try {
      deps.record(type, error);
    } catch (recordError) {
      deps.log(`Could not record ${type}: ${(recordError as Error).message}`);
    }
    deps.log(`${type === 'unhandled_rejection' ? 'Unhandled rejection' : 'Uncaught exception'} (the engine keeps running): ${error.message}`);
    if (isCorruptState(error)) {
      deps.log('The database is damaged; stopping so the engine restarts on a clean footing.');
      deps.exit(1);
    }
  };
  const onRejection = (reason: unknown) => handle('unhandled_rejection', reason);
  const onException = (error: Error) => handle('uncaught_exception', error);
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
