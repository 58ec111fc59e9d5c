import { sql, type Kysely } from 'kysely';

/*
 * The incident desk: who acted is named on each timeline event, the alerts behind an incident are kept
 * (firing/resolved per fingerprint), and one-time links let an engineer acknowledge from a page and a
 * customer give consent from the portal.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('incident_events').addColumn('actor_name', 'text').execute();

  await db.schema
    .createTable('incident_alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('alert_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('firing', 'resolved', 'acknowledged')`),
    )
    .addColumn('summary', 'text')
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_alerts_incident_fp_uq')
    .on('incident_alerts')
    .columns(['incident_id', 'source', 'fingerprint'])
    .unique()
    .execute();

  // One-time links: an engineer acknowledges from the page SMS, a customer gives consent from the portal.
  await db.schema
    .createTable('action_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ack', 'consent')`))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('engineer_id', 'text', (c) => c.references('engineers.id'))
    .addColumn('contact_name', 'text')
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('action_links_hash_uq')
    .on('action_links')
    .column('token_hash')
    .unique()
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('not reversible; restore a backup instead');
}
