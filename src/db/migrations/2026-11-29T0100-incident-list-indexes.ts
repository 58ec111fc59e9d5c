import type { Kysely } from 'kysely';

/*
 * The incident lists at a million incidents (issue 10): keyset pagination newest first on
 * (reported_at, id), alone or after an equality on state, customer, or both. Each list query reads one
 * index range in order and stops after a page. The two older indexes without `id` are replaced: the
 * tie-break on id would otherwise sort every row of a busy second (and SQLite would pick them).
 * `incidents.state` needs no backfill: it has been kept with the timeline (appendIncidentEvent, same
 * transaction as each event) since the initial schema.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createIndex('incidents_reported_idx')
    .on('incidents')
    .columns(['reported_at', 'id'])
    .execute();
  await db.schema
    .createIndex('incidents_state_reported_idx')
    .on('incidents')
    .columns(['state', 'reported_at', 'id'])
    .execute();
  await db.schema
    .createIndex('incidents_customer_reported_idx')
    .on('incidents')
    .columns(['customer_id', 'reported_at', 'id'])
    .execute();
  await db.schema
    .createIndex('incidents_customer_state_reported_idx')
    .on('incidents')
    .columns(['customer_id', 'state', 'reported_at', 'id'])
    .execute();
  await db.schema.dropIndex('incidents_state_idx').execute();
  await db.schema.dropIndex('incidents_customer_idx').execute();
}
