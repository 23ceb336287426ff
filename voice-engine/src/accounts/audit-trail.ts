import { createHash } from 'node:crypto';
import type { AuditChainView } from '../contract.js';
import type { Store } from '../store/index.js';
import type { AuditRow } from '../store/audit-log.js';

/** Who did something: a person's account, the API token, or the command line. */
export interface AuditActor {
  id: number | null;
  name: string;
}

/** Entries hashed per turn of the event loop (about a millisecond), so a long chain never holds up calls. */
const PAGE = 500;

function entryHash(prevHash: string, e: Omit<AuditRow, 'id' | 'prevHash' | 'hash'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify([e.at, e.actorId, e.actorName, e.action, e.target, e.detail, e.origin])).digest('hex');
}

/**
 * The tamper-evident audit log: each entry carries the hash of the one before it, and the
 * newest entry's hash is kept apart, so an edited, deleted or inserted entry (anywhere,
 * the newest included) breaks the chain. Details name fields, never values of secrets.
 */
export class AuditTrail {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  record(actor: AuditActor, action: string, origin: string, target: string | null = null, detail: string | null = null): void {
    const prevHash = this.store.audit.last()?.hash ?? this.store.audit.anchor().hash;
    const e = { at: this.now(), actorId: actor.id, actorName: actor.name, action, target, detail: detail?.slice(0, 500) ?? null, origin };
    this.store.audit.append({ ...e, prevHash, hash: entryHash(prevHash, e) });
  }

  /** Walks the whole chain a page at a time, yielding between pages so calls are never held up. */
  async verify(): Promise<AuditChainView> {
    const anchor = this.store.audit.anchor();
    const head = this.store.audit.head();
    let prev = anchor.hash;
    let lastId = anchor.id;
    let checked = 0;
    const broken = (problem: string): AuditChainView => ({ intact: false, checked, problem });
    for (;;) {
      const page = this.store.audit.page(lastId, PAGE);
      for (const row of page) {
        if (row.prevHash !== prev) return broken(`Entry ${row.id} does not follow the entry before it: an entry was removed or inserted there.`);
        if (entryHash(row.prevHash, row) !== row.hash) return broken(`Entry ${row.id} has been changed since it was written.`);
        prev = row.hash;
        lastId = row.id;
        checked++;
      }
      if (page.length < PAGE) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (lastId !== head.id || prev !== head.hash) return broken(head.id > lastId ? `The newest entries (after ${lastId}) are missing.` : 'The newest entry is not the one last written.');
    return { intact: true, checked, problem: null };
  }
}
