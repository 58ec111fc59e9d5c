import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findAuthorization,
  findCatalogueEntry,
  insertAuthorization,
  listAuthorizations as listAuthorizationRows,
  lockActiveAuthorization,
  updateAuthorization as updateAuthorizationRow,
} from '../../db/repositories/action.repository.js';
import { findServer } from '../../db/repositories/customer.repository.js';
import type { DbOrTrx } from '../../db/database.js';
import { fromDbBool, fromDbInstant, toDbBool, toDbInstant } from '../../db/instant.js';
import type { ActionAuthorizationRow } from '../../db/tables/action.table.js';
import type { ServerRow } from '../../db/tables/customer.table.js';
import {
  validateAuthorizationTerms,
  type Authorization,
  type AuthorizationTerms,
} from '../../domain/actions/authorization.js';
import { formatInstant } from '../../domain/calendar/instant.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';
import { loadCustomerView } from '../customers/customer-view.js';

/** Customers manage their own servers' authorizations; staff who take instructions manage all. */
const MAY_MANAGE = ['admin', 'manager', 'engineer', 'customer'] as const;

export interface AuthorizationView {
  id: string;
  serverId: string;
  action: string;
  manual: boolean;
  automatic: boolean;
  alertNames: string[];
  maxRunsPerDay: number | null;
  notifyCustomer: boolean;
  withinResponsibility: boolean;
  createdAt: string;
  revokedAt: string | null;
}

export function toAuthorization(row: ActionAuthorizationRow): Authorization {
  return {
    id: row.id,
    serverId: row.server_id,
    actionKey: row.action_key,
    manual: fromDbBool(row.manual),
    automatic: fromDbBool(row.automatic),
    alertNames: JSON.parse(row.alert_names) as string[],
    maxRunsPerDay: row.max_runs_per_day,
    notifyCustomer: fromDbBool(row.notify_customer),
    withinResponsibility: fromDbBool(row.within_responsibility),
    revokedAtMs: row.revoked_at === null ? null : fromDbInstant(row.revoked_at),
  };
}

export function toAuthorizationView(row: ActionAuthorizationRow): AuthorizationView {
  const a = toAuthorization(row);
  return {
    id: a.id,
    serverId: a.serverId,
    action: a.actionKey,
    manual: a.manual,
    automatic: a.automatic,
    alertNames: a.alertNames,
    maxRunsPerDay: a.maxRunsPerDay,
    notifyCustomer: a.notifyCustomer,
    withinResponsibility: a.withinResponsibility,
    createdAt: formatInstant(fromDbInstant(row.created_at)),
    revokedAt: a.revokedAtMs === null ? null : formatInstant(a.revokedAtMs),
  };
}

/** The server, if the principal may see it; another customer's server is "not found". */
async function visibleServer(db: DbOrTrx, principal: Principal, serverId: string): Promise<ServerRow> {
  const server = await findServer(db, serverId);
  if (!server || (principal.role === 'customer' && principal.customerId !== server.customer_id)) {
    throw new DomainError('SERVER_NOT_FOUND', 'server not found');
  }
  return server;
}

export interface CreateAuthorizationInput {
  action: string;
  manual?: boolean;
  automatic: boolean;
  alertNames?: string[];
  maxRunsPerDay?: number | null;
  notifyCustomer?: boolean;
  withinResponsibility: boolean;
}

/**
 * POST /servers/{id}/authorizations: the customer's instruction that Ballou may run a catalogue action
 * on this server. Automatic runs only for customers of tier hog today; one active authorization per
 * server and action (change it with PATCH).
 */
export async function createAuthorization(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
  input: CreateAuthorizationInput,
): Promise<AuthorizationView> {
  requireRole(principal, MAY_MANAGE);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const server = await visibleServer(trx, principal, serverId);
    const action = await findCatalogueEntry(trx, input.action);
    if (!action || action.retired_at !== null) {
      throw new DomainError('VALIDATION_FAILED', `/action: ${input.action} is not in the action catalogue`, [
        { path: '/action', message: 'is not in the action catalogue (GET /actions)' },
      ]);
    }
    const customer = await loadCustomerView(trx, server.customer_id, nowMs);
    const terms = validateAuthorizationTerms(
      {
        manual: input.manual ?? true,
        automatic: input.automatic,
        alertNames: input.alertNames ?? [],
        maxRunsPerDay: input.maxRunsPerDay ?? null,
        notifyCustomer: input.notifyCustomer ?? true,
        withinResponsibility: input.withinResponsibility,
      },
      customer.tier,
    );
    if (await lockActiveAuthorization(trx, ctx.dbKind, server.id, action.key)) {
      throw new DomainError(
        'DUPLICATE',
        `/action: ${action.key} is already authorized on this server; change that authorization instead`,
        [{ path: '/action', message: 'is already authorized on this server' }],
      );
    }
    const row: ActionAuthorizationRow = {
      id: ctx.newId(),
      server_id: server.id,
      action_key: action.key,
      ...termsToRow(terms),
      created_at: toDbInstant(nowMs),
      revoked_at: null,
    };
    await insertAuthorization(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'action_authorization.created',
      entityType: 'action_authorization',
      entityId: row.id,
      customerId: server.customer_id,
      data: { authorization: toAuthorizationView(row), hostname: server.hostname, command: action.command },
    });
    return toAuthorizationView(row);
  });
}

function termsToRow(terms: AuthorizationTerms) {
  return {
    manual: toDbBool(terms.manual),
    automatic: toDbBool(terms.automatic),
    alert_names: JSON.stringify(terms.alertNames),
    max_runs_per_day: terms.maxRunsPerDay,
    notify_customer: toDbBool(terms.notifyCustomer),
    within_responsibility: toDbBool(terms.withinResponsibility),
  };
}

/** GET /servers/{id}/authorizations (revoked ones too with `includeRevoked`). */
export async function listAuthorizations(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
  opts: { includeRevoked?: boolean } = {},
): Promise<AuthorizationView[]> {
  const server = await visibleServer(ctx.db, principal, serverId);
  return (await listAuthorizationRows(ctx.db, server.id, opts)).map(toAuthorizationView);
}

/** The authorization, if it is this server's and visible to the principal. */
async function visibleAuthorization(
  db: DbOrTrx,
  principal: Principal,
  serverId: string,
  authorizationId: string,
): Promise<{ server: ServerRow; row: ActionAuthorizationRow }> {
  const server = await visibleServer(db, principal, serverId);
  const row = await findAuthorization(db, authorizationId);
  if (!row || row.server_id !== server.id) throw new DomainError('NOT_FOUND', 'authorization not found');
  return { server, row };
}

export type UpdateAuthorizationInput = Partial<Omit<CreateAuthorizationInput, 'action'>>;

/** PATCH /servers/{id}/authorizations/{authorizationId}: changes the terms; revoked ones cannot change. */
export async function updateAuthorization(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
  authorizationId: string,
  input: UpdateAuthorizationInput,
): Promise<AuthorizationView> {
  requireRole(principal, MAY_MANAGE);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { server, row } = await visibleAuthorization(trx, principal, serverId, authorizationId);
    if (row.revoked_at !== null) {
      throw new DomainError('CONFLICT', 'this authorization is revoked; create a new one');
    }
    const current = toAuthorization(row);
    const customer = await loadCustomerView(trx, server.customer_id, nowMs);
    const terms = validateAuthorizationTerms(
      {
        manual: input.manual ?? current.manual,
        automatic: input.automatic ?? current.automatic,
        alertNames: input.alertNames ?? current.alertNames,
        maxRunsPerDay: input.maxRunsPerDay === undefined ? current.maxRunsPerDay : input.maxRunsPerDay,
        notifyCustomer: input.notifyCustomer ?? current.notifyCustomer,
        withinResponsibility: input.withinResponsibility ?? current.withinResponsibility,
      },
      // Keeping automatic runs a customer already has is not a new grant (a run still checks the tier);
      // switching them on is.
      input.automatic === true && !current.automatic ? customer.tier : 'hog',
    );
    const changes = termsToRow(terms);
    await updateAuthorizationRow(trx, row.id, changes);
    const updated = { ...row, ...changes };
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'action_authorization.changed',
      entityType: 'action_authorization',
      entityId: row.id,
      customerId: server.customer_id,
      data: { before: toAuthorizationView(row), after: toAuthorizationView(updated) },
    });
    return toAuthorizationView(updated);
  });
}

/** DELETE /servers/{id}/authorizations/{authorizationId}: revokes it (kept for the record); idempotent. */
export async function revokeAuthorization(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
  authorizationId: string,
): Promise<AuthorizationView> {
  requireRole(principal, MAY_MANAGE);
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    const { server, row } = await visibleAuthorization(trx, principal, serverId, authorizationId);
    if (row.revoked_at !== null) return toAuthorizationView(row);
    const revoked = { ...row, revoked_at: toDbInstant(nowMs) };
    await updateAuthorizationRow(trx, row.id, { revoked_at: revoked.revoked_at });
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'action_authorization.revoked',
      entityType: 'action_authorization',
      entityId: row.id,
      customerId: server.customer_id,
      data: { authorization: toAuthorizationView(revoked) },
    });
    return toAuthorizationView(revoked);
  });
}
