import { fromDbInstant } from '../../db/instant.js';
import { listAudit } from '../../db/repositories/audit.repository.js';
import type { Principal } from '../../domain/shared/roles.js';
import { formatInstant } from '../../domain/calendar/instant.js';
import { requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';

export interface AuditRecordView {
  seq: number;
  at: string;
  actor: { type: string; id: string | null; name: string | null };
  action: string;
  entityType: string;
  entityId: string | null;
  customerId: string | null;
  data: Record<string, unknown>;
  requestId: string | null;
}

export interface AuditPage {
  items: AuditRecordView[];
  /** Pass as `before` for the next (older) page; null on the last. */
  nextBefore: number | null;
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  customerId?: string;
  before?: number;
  limit?: number;
}

/**
 * The audit log, newest first, for administrators: who changed what (before/after), who signed in or was
 * refused, every action run and its consent (ADR 0007). Read only: nothing here can change a record.
 */
export async function readAuditLog(
  ctx: AppContext,
  principal: Principal,
  filter: AuditFilter,
): Promise<AuditPage> {
  requireRole(principal, ['admin']);
  const limit = filter.limit ?? 50;
  const rows = await listAudit(ctx.db, {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.before !== undefined ? { beforeSeq: filter.before } : {}),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      seq: Number(r.seq),
      at: formatInstant(fromDbInstant(r.at)),
      actor: { type: r.actor_type, id: r.actor_id, name: r.actor_name },
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      customerId: r.customer_id,
      data: JSON.parse(r.data) as Record<string, unknown>,
      requestId: r.request_id,
    })),
    nextBefore: rows.length > limit ? Number(page.at(-1)?.seq) : null,
  };
}
