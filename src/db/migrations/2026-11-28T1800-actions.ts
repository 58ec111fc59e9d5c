import { sql, type Kysely } from 'kysely';

/*
 * Pre-authorized actions (SPEC.md 7): actions dropped from the configured catalogue are retired (runs
 * refer to them, so they stay), one active authorization per server and action, and the facts of a run
 * the initial schema had no column for (why it was refused or failed, the check's exit code, duration,
 * the alert behind it, the work entry it billed).
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.alterTable('action_catalogue').addColumn('retired_at', 'text').execute();
  await db.schema.alterTable('action_catalogue').addColumn('updated_at', 'text').execute();

  await db.schema
    .createIndex('action_authorizations_active_uq')
    .on('action_authorizations')
    .columns(['server_id', 'action_key'])
    .unique()
    .where(sql.ref('revoked_at'), 'is', null)
    .execute();

  await db.schema.alterTable('action_runs').addColumn('reason', 'text').execute();
  await db.schema.alterTable('action_runs').addColumn('check_exit_code', 'integer').execute();
  await db.schema.alterTable('action_runs').addColumn('duration_ms', 'integer').execute();
  await db.schema.alterTable('action_runs').addColumn('alert_name', 'text').execute();
  await db.schema.alterTable('action_runs').addColumn('work_entry_id', 'text').execute();
  await db.schema
    .createIndex('action_runs_server_action_idx')
    .on('action_runs')
    .columns(['server_id', 'action_key', 'created_at'])
    .execute();
  await db.schema
    .createIndex('action_runs_incident_idx')
    .on('action_runs')
    .columns(['incident_id', 'created_at'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('not reversible; restore a backup instead');
}
