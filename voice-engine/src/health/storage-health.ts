/**
 * What the status bar says about the disk: the newest unresolved problem with writing the
 * clinic's records or its backups (a full or read-only disk shows up here first), cleared
 * as soon as the same kind of write succeeds again.
 */
export type StorageArea = 'writes' | 'backup' | 'backup-copy';

export class StorageHealth {
  private readonly problems = new Map<StorageArea, string>();

  failed(area: StorageArea, message: string): void {
    this.problems.set(area, message);
  }

  /** A cheap call on every successful write: one map lookup when all is well. */
  ok(area: StorageArea): void {
    if (this.problems.size > 0) this.problems.delete(area);
  }

  /** One line for staff, or null when every write is going through. */
  problem(): string | null {
    const writes = this.problems.get('writes');
    if (writes) return `Call records cannot be saved: ${writes}`;
    const backup = this.problems.get('backup');
    if (backup) return `The last backup failed: ${backup}`;
    const copy = this.problems.get('backup-copy');
    return copy ? `The last backup is safe on this PC but was not copied to the second folder: ${copy}` : null;
  }
}
