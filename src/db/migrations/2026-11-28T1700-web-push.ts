import type { Kysely } from 'kysely';

/*
 * Web push: the browsers (phones, laptops) a user has subscribed for notifications. Each row is one
 * browser's PushSubscription; a page to an engineer goes to every subscription of the engineer's users.
 * notifications.channel has no CHECK constraint, so the new 'push' channel needs no change there.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // The push service's URL for the browser: a capability, unique per browser and origin.
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    // The browser's own expirationTime, when it gave one.
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_success_at', 'text')
    // Set by a failed delivery (other than 404/410, which delete the row), cleared by a success.
    .addColumn('failing_since', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema
    .createIndex('push_subscriptions_endpoint_uq')
    .on('push_subscriptions')
    .column('endpoint')
    .unique()
    .execute();
  await db.schema
    .createIndex('push_subscriptions_user_idx')
    .on('push_subscriptions')
    .column('user_id')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('not reversible; restore a backup instead');
}
