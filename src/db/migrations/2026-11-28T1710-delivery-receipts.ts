import type { Kysely } from 'kysely';

/*
 * Delivery receipts: what the provider last reported about a message we sent (SMS delivered/failed, a
 * call answered/no-answer/busy/failed), at the provider's time, and an index to find a message by the
 * provider's id when its report comes in.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('delivery_status', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('delivery_at', 'text').execute();
  await db.schema.alterTable('notifications').addColumn('delivery_error', 'text').execute();
  await db.schema
    .createIndex('notifications_provider_message_idx')
    .on('notifications')
    .columns(['provider', 'provider_message_id'])
    .execute();
}
