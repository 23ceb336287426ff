import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface TestTls {
  caCertPath: string;
  certPath: string;
  keyPath: string;
}

const TLS_DIR = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../.cache/tls');

/**
 * A throwaway CA and a server certificate for 127.0.0.1/localhost, so the Realtime
 * simulator can serve wss:// and the engine trusts it only through NODE_EXTRA_CA_CERTS,
 * exactly as it would trust a corporate proxy's CA in the field.
 */
export function ensureTestTls(dir: string = TLS_DIR): TestTls {
  const tls: TestTls = {
    caCertPath: join(dir, 'ca.pem'),
    certPath: join(dir, 'server.pem'),
    keyPath: join(dir, 'server-key.pem'),
  };
  if (existsSync(tls.caCertPath) && existsSync(tls.certPath) && existsSync(tls.keyPath)) return tls;
  mkdirSync(dir, { recursive: true });
  const caKey = join(dir, 'ca-key.pem');
  const csr = join(dir, 'server.csr');
  const ext = join(dir, 'server.ext');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', caKey, '-out', tls.caCertPath,
    '-days', '3650', '-subj', '/CN=Deskline Test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', tls.keyPath, '-out', csr, '-subj', '/CN=localhost');
  writeFileSync(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', csr, '-CA', tls.caCertPath, '-CAkey', caKey, '-CAcreateserial',
    '-out', tls.certPath, '-days', '3650', '-extfile', ext);
  return tls;
}
