import type { IncomingHttpHeaders } from 'node:http';

/** One request as the simulator received it (the `requests` log holds these). */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, or form fields as a plain object, or undefined. */
  body: unknown;
  /** The status the simulator answered with, filled in once it has. */
  status?: number;
}

export interface SimResponse {
  status: number;
  /** Serialised as JSON unless `html` is given. */
  body?: unknown;
  html?: string;
  headers?: Record<string, string>;
}
