import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findApiToken,
  findApiTokenByHash,
  insertApiToken,
  listApiTokens as listTokenRows,
  markApiTokenUsed,
  revokeApiTokenRow,
} from '../../db/repositories/auth.repository.js';
import { findCustomer } from '../../db/repositories/customer.repository.js';
import { toDbInstant } from '../../db/instant.js';
import type { ApiTokenRow } from '../../db/tables/auth.table.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { isRole, type Principal, type Role } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { generateSecret, hashSecret } from './secrets.js';

export interface ApiTokenView {
  id: string;
  name: string;
  role: Role;
  customerId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function toView(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    customerId: row.customer_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Creates an API token. The secret is returned once and only its hash is stored. A `customer` token is
 * bound to one customer, every other role to none.
 */
export async function createApiToken(
  ctx: AppContext,
  principal: Principal,
  input: { name: string; role: string; customerId?: string | null },
): Promise<ApiTokenView & { token: string }> {
  requireRole(principal, ['admin']);
  if (!isRole(input.role)) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `role must be one of admin, manager, engineer, billing, customer`,
      [{ path: '/role', message: 'must be one of admin, manager, engineer, billing, customer' }],
    );
  }
  if (input.role === 'customer' && !input.customerId) {
    throw new DomainError('VALIDATION_FAILED', 'a customer token needs the customer it belongs to', [
      { path: '/customerId', message: 'is required for role customer' },
    ]);
  }
  if (input.role !== 'customer' && input.customerId) {
    throw new DomainError('VALIDATION_FAILED', 'only customer tokens are bound to a customer', [
      { path: '/customerId', message: 'is only allowed for role customer' },
    ]);
  }
  const token = generateSecret('bsa');
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (input.customerId && !(await findCustomer(trx, input.customerId))) {
      throw new DomainError('CUSTOMER_NOT_FOUND', `customer ${input.customerId} not found`, [
        { path: '/customerId', message: 'no such customer' },
      ]);
    }
    const row: ApiTokenRow = {
      id: ctx.newId(),
      name: input.name,
      token_hash: hashSecret(token),
      role: input.role,
      customer_id: input.customerId ?? null,
      created_by: principal.id,
      created_at: toDbInstant(nowMs),
      last_used_at: null,
      revoked_at: null,
    };
    await insertApiToken(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: row.id,
      customerId: row.customer_id,
      data: { name: row.name, role: row.role },
    });
    return { ...toView(row), token };
  });
}

export async function listApiTokens(ctx: AppContext, principal: Principal): Promise<ApiTokenView[]> {
  requireRole(principal, ['admin']);
  return (await listTokenRows(ctx.db)).map(toView);
}

/** Revokes a token at once: the next request with it is 401. */
export async function revokeApiToken(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<ApiTokenView> {
  requireRole(principal, ['admin']);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const row = await findApiToken(trx, id);
    if (!row) throw new DomainError('TOKEN_NOT_FOUND', 'token not found');
    if (!row.revoked_at) {
      await revokeApiTokenRow(trx, id, toDbInstant(nowMs));
      await appendAudit(trx, {
        atMs: nowMs,
        actor: auditActor(principal),
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: id,
        customerId: row.customer_id,
        data: { name: row.name },
      });
    }
    return toView((await findApiToken(trx, id)) as ApiTokenRow);
  });
}

/** The principal of a bearer token, or undefined when it is unknown or revoked. */
export async function authenticateApiToken(ctx: AppContext, token: string): Promise<Principal | undefined> {
  const row = await findApiTokenByHash(ctx.db, hashSecret(token));
  if (!row || row.revoked_at) return undefined;
  const nowMs = ctx.clock.now();
  // Record use at most once a minute: a busy integration should not turn every read into a write.
  if (!row.last_used_at || Date.parse(row.last_used_at) < nowMs - 60_000) {
    await markApiTokenUsed(ctx.db, row.id, toDbInstant(nowMs));
  }
  return { kind: 'token', id: row.id, role: row.role as Role, customerId: row.customer_id, name: row.name };
}
