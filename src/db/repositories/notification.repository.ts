import type { Selectable } from 'kysely';
import type { DbOrTrx } from '../database.js';
import type { NotificationsTable } from '../tables/job.table.js';

export type NotificationRow = Selectable<NotificationsTable>;

export async function insertNotification(db: DbOrTrx, row: NotificationRow): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
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
