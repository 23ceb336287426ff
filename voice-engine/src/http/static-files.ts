import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The built dashboard, next to the engine in the repository and in the packaged app. */
export function rendererDir(): string {
  return resolve(import.meta.dirname, '../../../renderer/dist');
}

/**
 * Serves a file from the built renderer, never from outside it. Unknown paths get the
 * app shell, so a reload on any screen works.
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse, headers: Record<string, string>): boolean {
  if (!existsSync(join(root, 'index.html'))) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Bad request: the path has a malformed percent-encoding.');
    return true;
  }
  const wanted = normalize(join(root, decoded));
  const inside = wanted === root || wanted.startsWith(root + sep);
  const file = inside && existsSync(wanted) && statSync(wanted).isFile() ? wanted : join(root, 'index.html');
  const hashed = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    ...headers,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  // A file that vanishes between the check and the read must not become an uncaught error.
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}
