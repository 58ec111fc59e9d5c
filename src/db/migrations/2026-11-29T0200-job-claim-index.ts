import type { Kysely } from 'kysely';

/*
 * The job claim (issue 10): its second arm looks for running jobs whose lease ran out (a node crashed),
 * a range on (status, lease_until). With only (status, due_at) it read every running job and sorted
 * them on each claim. The first arm, pending jobs by due_at, already has jobs_due_idx.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema.createIndex('jobs_lease_idx').on('jobs').columns(['status', 'lease_until']).execute();
}
