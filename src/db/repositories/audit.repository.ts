import type { DbOrTrx } from '../database.js';
import { toDbInstant } from '../instant.js';
import type { AuditRow } from '../tables/audit.table.js';

export interface AuditEntry {
  atMs: number;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  customerId?: string | null;
  data?: Record<string, unknown>;
  requestId?: string | null;
}

/** Appends one audit record; call it inside the transaction that makes the change it records. */
export async function appendAudit(db: DbOrTrx, entry: AuditEntry): Promise<void> {
  await appendAudits(db, [entry]);
}

/** Appends several audit records in one statement (in order), inside the transaction that made them. */
export async function appendAudits(db: DbOrTrx, entries: readonly AuditEntry[]): Promise<void> {
  // 500 rows of 10 columns: well under the bound-parameter limits.
  for (let i = 0; i < entries.length; i += 500) {
    await db
      .insertInto('audit_log')
      .values(
        entries.slice(i, i + 500).map((entry) => ({
          at: toDbInstant(entry.atMs),
          actor_type: entry.actor.type,
          actor_id: entry.actor.id,
          actor_name: entry.actor.name,
          action: entry.action,
          entity_type: entry.entityType,
          entity_id: entry.entityId,
          customer_id: entry.customerId ?? null,
          data: JSON.stringify(entry.data ?? {}),
          request_id: entry.requestId ?? null,
        })),
      )
      .execute();
  }
}

export interface AuditQuery {
  action?: string;
  entityType?: string;
  entityId?: string;
  customerId?: string;
  /** Keyset: records before this one (seq), newest first. */
  beforeSeq?: number;
  limit: number;
}

/** Newest first, one index range from the cursor back (migration 2026-11-30T0100). */
export async function listAudit(db: DbOrTrx, q: AuditQuery): Promise<AuditRow[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(q.limit);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.entityType) query = query.where('entity_type', '=', q.entityType);
  if (q.entityId) query = query.where('entity_id', '=', q.entityId);
  if (q.customerId) query = query.where('customer_id', '=', q.customerId);
  if (q.beforeSeq !== undefined) query = query.where('seq', '<', q.beforeSeq);
  return query.execute();
}
