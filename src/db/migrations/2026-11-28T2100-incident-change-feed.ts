import type { Kysely } from 'kysely';

/*
 * The live boards' feed reads incidents changed since a moment, every second on every node
 * (src/app/incidents/incident-change-feed.ts): an index on (updated_at, id) keeps that a range read however
 * many incidents there are.
 * Frozen: never edit, add a new migration.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createIndex('incidents_updated_idx')
    .on('incidents')
    .columns(['updated_at', 'id'])
    .execute();
}
