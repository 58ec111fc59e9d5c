import { sql } from 'kysely';
import type { AppContext } from './app-context.js';

/** Health as the load balancer sees it: the database answers a query. */
export async function checkHealth(
  ctx: AppContext,
): Promise<{ status: 'ok' | 'degraded'; database: 'sqlite' | 'postgres' }> {
  try {
    await sql`select 1`.execute(ctx.db);
    return { status: 'ok', database: ctx.dbKind };
  } catch (error) {
    ctx.logger.error({ err: error }, 'health check: database unreachable');
    return { status: 'degraded', database: ctx.dbKind };
  }
}
