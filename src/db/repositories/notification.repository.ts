import type { Selectable } from 'kysely';
import type { DatabaseKind, DbOrTrx } from '../database.js';
import type { NotificationsTable } from '../tables/job.table.js';
import { columnsOf, precompiled, precompiledInsertRows } from './precompiled.js';

export type NotificationRow = Selectable<NotificationsTable>;

/** A new row: the delivery report columns start empty. */
export type NewNotification = Omit<NotificationRow, 'delivery_status' | 'delivery_at' | 'delivery_error'>;

/** Every column of a new row, in one fixed order (the compiler checks that none is missing). */
const NEW_NOTIFICATION_COLUMNS = columnsOf<NewNotification>({
  id: true,
  job_id: true,
  incident_id: true,
  engineer_id: true,
  channel: true,
  provider: true,
  recipient: true,
  subject: true,
  body: true,
  status: true,
  provider_message_id: true,
  error: true,
  created_at: true,
  sent_at: true,
  confirmed_at: true,
});

// The outbox's statements are precompiled: every page queues and sends several messages.
const notificationRows = precompiledInsertRows<NewNotification>('notifications', NEW_NOTIFICATION_COLUMNS);

/** Several messages' rows in one statement (a page's SMS and call). */
export async function insertNotifications(db: DbOrTrx, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length > 0) await notificationRows(db, rows);
}

const notificationById = precompiled<[string]>(1, (db, id) =>
  db.selectFrom('notifications').selectAll().where('id', '=', id),
);

const markSentQuery = precompiled<[string, string, string, string]>(
  4,
  (db, provider, messageId, sentAt, id) =>
    db
      .updateTable('notifications')
      .set({ status: 'sent', provider, provider_message_id: messageId, error: null, sent_at: sentAt })
      .where('id', '=', id),
);

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
  return (await notificationById<NotificationRow>(db, id)).rows[0];
}

/** The provider took the message: sent, with its id for the provider's reports, and any earlier error cleared. */
export async function markNotificationSent(
  db: DbOrTrx,
  id: string,
  sent: { provider: string; providerMessageId: string; sentAt: string },
): Promise<void> {
  await markSentQuery(db, sent.provider, sent.providerMessageId, sent.sentAt, id);
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
