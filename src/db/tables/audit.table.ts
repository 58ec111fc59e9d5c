import type { Generated, Selectable } from 'kysely';

export interface AuditLogTable {
  seq: Generated<number>;
  at: string;
  actor_type: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  customer_id: string | null;
  data: string;
  request_id: string | null;
}
export type AuditRow = Selectable<AuditLogTable>;
