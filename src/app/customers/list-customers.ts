import {
  listAppOncallContacts,
  listCustomers as listCustomerRows,
  listTiers,
} from '../../db/repositories/customer.repository.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import type { AppContext } from '../app-context.js';
import { toCustomerView, type CustomerView } from './customer-view.js';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null on the last page. */
  nextCursor: string | null;
}

function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

function decodeCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // fall through to the error below
  }
  throw new DomainError('VALIDATION_FAILED', 'cursor: is not a cursor this API returned', [
    { path: '/cursor', message: 'is not a cursor this API returned' },
  ]);
}

/** A page of customers by name; a customer principal gets a page with only itself. */
export async function listCustomers(
  ctx: AppContext,
  principal: Principal,
  q: { limit: number; cursor?: string },
): Promise<Page<CustomerView>> {
  const nowMs = ctx.clock.now();
  const rows = await listCustomerRows(ctx.db, {
    limit: q.limit + 1,
    ...(q.cursor ? { afterName: decodeCursor(q.cursor) } : {}),
    ...(principal.role === 'customer' ? { onlyId: principal.customerId as string } : {}),
  });
  const pageRows = rows.slice(0, q.limit);
  const tiers = await listTiers(
    ctx.db,
    pageRows.map((r) => r.id),
  );
  const items = await Promise.all(
    pageRows.map(async (row) =>
      toCustomerView(
        row,
        tiers.filter((t) => t.customer_id === row.id),
        await listAppOncallContacts(ctx.db, row.id),
        nowMs,
      ),
    ),
  );
  const last = pageRows.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.name, last.id) : null };
}
