import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Encrypted backups: AES-256-GCM over the whole file, streamed in 1 MB pieces.
 * Layout: "DLBK1\0" | 12-byte IV | ciphertext | 16-byte tag. Synchronous on purpose: it
 * runs on the storage thread (or in the restore command), never on the event loop.
 */
const MAGIC = Buffer.from('DLBK1\0');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PIECE = 1024 * 1024;

export class BackupKeyError extends Error {}

export function isEncryptedBackup(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === MAGIC.length && head.equals(MAGIC);
  } finally {
    closeSync(fd);
  }
}

export function encryptFile(from: string, to: string, key: Buffer): void {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const input = openSync(from, 'r');
  const output = openSync(to, 'w');
  try {
    writeSync(output, MAGIC);
    writeSync(output, iv);
    const piece = Buffer.alloc(PIECE);
    for (let n = readSync(input, piece); n > 0; n = readSync(input, piece)) writeSync(output, cipher.update(piece.subarray(0, n)));
    writeSync(output, cipher.final());
    writeSync(output, cipher.getAuthTag());
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

/** Throws BackupKeyError when the key is wrong or the file was altered: GCM checks every byte. */
export function decryptFile(from: string, to: string, key: Buffer): void {
  const input = openSync(from, 'r');
  const output = openSync(to, 'w');
  try {
    const size = fstatSync(input).size;
    const head = Buffer.alloc(MAGIC.length + IV_BYTES);
    if (size < head.length + TAG_BYTES || readSync(input, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new BackupKeyError('This is not an encrypted Deskline backup.');
    }
    const tag = Buffer.alloc(TAG_BYTES);
    readSync(input, tag, 0, TAG_BYTES, size - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length));
    decipher.setAuthTag(tag);
    const piece = Buffer.alloc(PIECE);
    for (let at = head.length; at < size - TAG_BYTES; ) {
      const n = readSync(input, piece, 0, Math.min(PIECE, size - TAG_BYTES - at), at);
      at += n;
      writeSync(output, decipher.update(piece.subarray(0, n)));
    }
    try {
      writeSync(output, decipher.final());
    } catch {
      throw new BackupKeyError('The backup key does not open this backup (wrong key, or the file was changed).');
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The key as IT prints it: base32 in groups of four, e.g. ABCD-EFGH-…. */
export function recoveryKeyText(key: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of key) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out.match(/.{1,4}/g)!.join('-');
}

/** Reads a typed recovery key back; spaces, dashes and case do not matter. */
export function parseRecoveryKey(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s-]/g, '');
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of clean) {
    const digit = BASE32.indexOf(ch);
    if (digit < 0) throw new BackupKeyError(`The recovery key has a character that is not in it: "${ch}".`);
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  if (bytes.length !== 32) throw new BackupKeyError('The recovery key is incomplete: it has 52 letters and digits in groups of four.');
  return Buffer.from(bytes);
}
