import type { Kysely } from 'kysely';

/*
 * Reading the audit log (GET /api/v1/audit, newest first, keyset on seq): by customer and by action, each
 * an index range read backwards from the cursor, however long the log has grown. The entity filter
 * already has audit_log_entity_idx (on SQLite its entries end in the rowid, seq; PostgreSQL sorts the
 * one entity's few rows).
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createIndex('audit_log_customer_idx')
    .on('audit_log')
    .columns(['customer_id', 'seq'])
    .execute();
  await db.schema.createIndex('audit_log_action_idx').on('audit_log').columns(['action', 'seq']).execute();
}
