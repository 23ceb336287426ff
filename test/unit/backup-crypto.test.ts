import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BackupKeyError, decryptFile, encryptFile, isEncryptedBackup, parseRecoveryKey, recoveryKeyText } from '../../voice-engine/src/store/backup-crypto.js';

describe('encrypted backups', () => {
  it('round-trips a database, which cannot be read or searched without the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-crypto-'));
    const plain = join(dir, 'plain.sqlite');
    const db = new Database(plain);
    db.exec("CREATE TABLE patients (name TEXT); INSERT INTO patients VALUES ('Jane Doe, born 1984-07-04')");
    db.close();
    const key = randomBytes(32);
    encryptFile(plain, join(dir, 'backup.enc'), key);
    const sealed = readFileSync(join(dir, 'backup.enc'));
    expect(isEncryptedBackup(join(dir, 'backup.enc'))).toBe(true);
    expect(isEncryptedBackup(plain)).toBe(false);
    expect(sealed.includes(Buffer.from('Jane Doe'))).toBe(false);
    expect(() => new Database(join(dir, 'backup.enc'), { readonly: true }).prepare('SELECT * FROM patients').all()).toThrow();
    decryptFile(join(dir, 'backup.enc'), join(dir, 'back.sqlite'), key);
    expect(readFileSync(join(dir, 'back.sqlite')).equals(readFileSync(plain))).toBe(true);
  });

  it('refuses the wrong key and a changed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-crypto-'));
    writeFileSync(join(dir, 'plain'), randomBytes(3 * 1024 * 1024 + 17));
    const key = randomBytes(32);
    encryptFile(join(dir, 'plain'), join(dir, 'enc'), key);
    expect(() => decryptFile(join(dir, 'enc'), join(dir, 'out'), randomBytes(32))).toThrow(BackupKeyError);
    const bytes = readFileSync(join(dir, 'enc'));
    bytes[2_000_000] = bytes[2_000_000]! ^ 1;
    writeFileSync(join(dir, 'enc'), bytes);
    expect(() => decryptFile(join(dir, 'enc'), join(dir, 'out'), key)).toThrow(/wrong key, or the file was changed/);
  });

  it('prints the key for IT in groups of four and reads it back however it is typed', () => {
    const key = randomBytes(32);
    const text = recoveryKeyText(key);
    expect(text).toMatch(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/);
    expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' ')).equals(key)).toBe(true);
    expect(() => parseRecoveryKey(text.slice(0, 20))).toThrow(/incomplete/);
  });
});
