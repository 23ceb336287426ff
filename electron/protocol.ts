import { readFile as fsReadFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security.js';

/**
 * Serves renderer/dist as app://deskline/…. Registered privileged before `ready`:
 * `standard` gives the page a real origin and relative URLs, `secure` makes it a secure
 * context, `supportFetchAPI`/`corsEnabled` let `<script type="module" crossorigin>` load
 * from it, `codeCache` keeps start-up fast. Nothing else may serve this scheme.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ProtocolHandlerOptions {
  /** The built dashboard: renderer/dist. */
  root: string;
  readFile?: (path: string) => Promise<Uint8Array>;
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
}

/**
 * For `protocol.handle('app', …)`. Only GET/HEAD on app://deskline/, only files inside
 * root (decoded, normalised and checked after resolving, so `..` and `%2e%2e` cannot
 * escape), and every response carries the CSP and nosniff.
 */
export function createAppProtocolHandler(options: ProtocolHandlerOptions): (request: { url: string; method: string }) => Promise<Response> {
  const root = resolve(options.root);
  const readFile = options.readFile ?? fsReadFile;
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST) return plain(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return plain(400, 'Bad request');
    }
    if (pathname.includes('\0')) return plain(400, 'Bad request');
    if (pathname === '/' || pathname === '') pathname = '/index.html';
    const file = resolve(join(root, pathname));
    if (!file.startsWith(root + sep)) return plain(404, 'Not found');
    let body: Uint8Array;
    try {
      body = await readFile(file);
    } catch {
      return plain(404, 'Not found');
    }
    const headers = {
      'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      // The bundle changes with every update; hashed asset names make re-reading cheap anyway.
      'Cache-Control': 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
  };
}
