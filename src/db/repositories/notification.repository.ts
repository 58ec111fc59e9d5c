import type { Selectable } from 'kysely';
import type { DatabaseKind, DbOrTrx } from '../database.js';
import type { NotificationsTable } from '../tables/job.table.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** A new row: the delivery report columns start empty. */
export type NewNotification = Omit<NotificationRow, 'delivery_status' | 'delivery_at' | 'delivery_error'>;

export async function insertNotification(db: DbOrTrx, row: NewNotification): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

/**
 * The message a provider's report is about, by the provider's own id (or by our id), locked until the
 * transaction ends on PostgreSQL so that two reports of one message are applied one after the other.
 */
export async function lockNotificationForReport(
  db: DbOrTrx,
  kind: DatabaseKind,
  by: { provider: string; providerMessageId: string } | { id: string },
): Promise<NotificationRow | undefined> {
  let q = db.selectFrom('notifications').selectAll();
  q =
    'id' in by
      ? q.where('id', '=', by.id)
      : q.where('provider', '=', by.provider).where('provider_message_id', '=', by.providerMessageId);
  if (kind === 'postgres') q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findNotification(db: DbOrTrx, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateNotification(
  db: DbOrTrx,
  id: string,
  changes: Partial<Omit<NotificationRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('notifications').set(changes).where('id', '=', id).execute();
}

export async function listNotifications(
  db: DbOrTrx,
  q: { engineerId?: string; incidentId?: string; limit: number },
): Promise<NotificationRow[]> {
  let query = db.selectFrom('notifications').selectAll().orderBy('created_at').orderBy('id').limit(q.limit);
  if (q.engineerId) query = query.where('engineer_id', '=', q.engineerId);
  if (q.incidentId) query = query.where('incident_id', '=', q.incidentId);
  return query.execute();
}

export async function markPhoneFailing(db: DbOrTrx, engineerId: string, since: string): Promise<void> {
  await db
    .updateTable('engineers')
    .set({ phone_failing_since: since })
    .where('id', '=', engineerId)
    .where('phone_failing_since', 'is', null)
    .execute();
}

/** Open incidents this engineer was paged about, newest first (an "OK" reply without a reference acknowledges the newest). */
export async function openIncidentsPagedTo(db: DbOrTrx, engineerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('notifications')
    .innerJoin('incidents', 'incidents.id', 'notifications.incident_id')
    .select(['incidents.id as id', 'incidents.reported_at as reported_at'])
    .where('notifications.engineer_id', '=', engineerId)
    .where('incidents.state', '=', 'open')
    .orderBy('incidents.reported_at', 'desc')
    .execute();
  return [...new Set(rows.map((r) => r.id))];
}
