import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../db/repositories/audit.repository.js';
import { findCustomer } from '../../db/repositories/customer.repository.js';
import {
  findIntegrationByHash,
  insertIntegration,
  listIntegrations as listRows,
  revokeIntegrationRow,
  type IntegrationRow,
} from '../../db/repositories/integration.repository.js';
import { toDbInstant } from '../../db/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { hashSecret } from '../auth/secrets.js';

export type IntegrationKind = 'alertmanager' | 'pagerduty' | 'generic';

export interface IntegrationView {
  id: string;
  kind: IntegrationKind;
  name: string;
  customerId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

const toView = (row: IntegrationRow): IntegrationView => ({
  id: row.id,
  kind: row.kind as IntegrationKind,
  name: row.name,
  customerId: row.customer_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/**
 * A monitoring integration and its secret token (shown once). The token is 32 hex characters because
 * PagerDuty's Events API requires a `routing_key` of exactly 32 alphanumerics; Alertmanager and the
 * generic webhook send it as a bearer token.
 */
export async function createIntegration(
  ctx: AppContext,
  principal: Principal,
  input: { kind: IntegrationKind; name: string; customerId?: string | null },
): Promise<IntegrationView & { token: string }> {
  requireRole(principal, ['admin', 'manager']);
  const token = randomBytes(16).toString('hex');
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (input.customerId && !(await findCustomer(trx, input.customerId))) {
      throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found', [
        { path: '/customerId', message: 'no such customer' },
      ]);
    }
    const row: IntegrationRow = {
      id: ctx.newId(),
      kind: input.kind,
      name: input.name,
      customer_id: input.customerId ?? null,
      token_hash: hashSecret(token),
      created_at: toDbInstant(nowMs),
      revoked_at: null,
    };
    await insertIntegration(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'integration.created',
      entityType: 'integration',
      entityId: row.id,
      customerId: row.customer_id,
      data: { kind: row.kind, name: row.name },
    });
    return { ...toView(row), token };
  });
}

export async function listIntegrations(ctx: AppContext, principal: Principal): Promise<IntegrationView[]> {
  requireRole(principal, ['admin', 'manager']);
  return (await listRows(ctx.db)).map(toView);
}

export async function revokeIntegration(ctx: AppContext, principal: Principal, id: string): Promise<void> {
  requireRole(principal, ['admin', 'manager']);
  const nowMs = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    if ((await revokeIntegrationRow(trx, id, toDbInstant(nowMs))) === 0) {
      throw new DomainError('NOT_FOUND', 'integration not found or already revoked');
    }
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'integration.revoked',
      entityType: 'integration',
      entityId: id,
    });
  });
}

/** The integration a webhook token belongs to, if it is known, not revoked and of the expected kind. */
export async function authenticateIntegration(
  ctx: AppContext,
  token: string | undefined,
  kinds: readonly IntegrationKind[],
): Promise<IntegrationRow | undefined> {
  if (!token) return undefined;
  const row = await findIntegrationByHash(ctx.db, hashSecret(token));
  if (!row || row.revoked_at || !kinds.includes(row.kind as IntegrationKind)) return undefined;
  return row;
}
