import type { Kysely } from 'kysely';
import { PostgresAdapter } from 'kysely';

/**
 * The only module migrations may import. Frozen: changing it changes old migrations too, so add new
 * helpers rather than editing these.
 */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
