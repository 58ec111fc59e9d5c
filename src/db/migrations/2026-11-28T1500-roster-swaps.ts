import { sql, type Kysely } from 'kysely';

/*
 * Roster additions: shift swap requests (an engineer offers a shift, a colleague takes it and it becomes
 * an override), and a mark on an engineer's phone when deliveries to it fail (a roster with an
 * unreachable engineer is a coverage gap). Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable('shift_swaps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('primary', 'secondary')`))
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('end_at', 'text', (c) => c.notNull())
    .addColumn('offered_by', 'text', (c) => c.notNull().references('engineers.id'))
    .addColumn('taken_by', 'text', (c) => c.references('engineers.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('offered', 'taken', 'cancelled')`))
    .addColumn('override_id', 'text', (c) => c.references('overrides.id'))
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('shift_swaps_status_idx')
    .on('shift_swaps')
    .columns(['status', 'start_at'])
    .execute();

  await db.schema.alterTable('engineers').addColumn('phone_failing_since', 'text').execute();
  await db.schema.alterTable('overrides').addColumn('created_by', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('not reversible; restore a backup instead');
}
