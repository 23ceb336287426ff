import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: 16 MB of memory per hash, so guessing PINs offline is slow. Runs on libuv's pool, off the audio loop. */
const N = 16384;
const R = 8;
const P = 1;
const KEY_BYTES = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: 64 * 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(secret.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash`: the secret itself is never kept. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(secret, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export type SecretKindName = 'pin' | 'password';

/** A PIN is at least 6 digits; a password at least 10 characters. Returns the problem, or null. */
export function secretProblem(kind: SecretKindName, secret: unknown): string | null {
  if (typeof secret !== 'string') return kind === 'pin' ? 'Enter a PIN.' : 'Enter a password.';
  if (kind === 'pin') return /^\d{6,12}$/.test(secret) ? null : 'A PIN is 6 to 12 digits.';
  return secret.length >= 10 && secret.length <= 200 ? null : 'A password is at least 10 characters.';
}
