import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where an internal error in a request goes: a system_errors row and a log line. */
export type InternalErrorSink = (where: string, error: Error) => void;

/**
 * Runs a request handler so that nothing it throws or rejects with can reach the process:
 * the client gets a 500 with a one-line reason (or the socket is closed when the answer
 * had already started), and the error is recorded.
 */
export function guarded(
  where: string,
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  sink: InternalErrorSink,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handler(req, res).catch((err: unknown) => {
      const error = err instanceof Error ? err : new Error(String(err));
      sink(where, error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Internal error: it has been recorded for the clinic’s IT.');
    });
  };
}

/** decodeURIComponent that answers null instead of throwing on a malformed escape. */
export function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
