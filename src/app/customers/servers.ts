import { appendAudit } from '../../db/repositories/audit.repository.js';
import {
  findCustomer,
  findServer,
  findServerByHostname,
  insertServer,
  listServers as listServerRows,
} from '../../db/repositories/customer.repository.js';
import { fromDbBool, toDbBool, toDbInstant } from '../../db/instant.js';
import type { ServerRow } from '../../db/tables/customer.table.js';
import { parseHostKey } from '../../domain/customers/host-key.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { assertCustomerVisible, auditActor, requireRole } from '../access.js';
import type { AppContext } from '../app-context.js';

export interface ServerView {
  id: string;
  customerId: string;
  hostname: string;
  /** How pre-authorized actions reach the server; the host key is pinned. */
  ssh: { host: string; port: number; user: string; hostKey: string } | null;
  criticalData: boolean;
  createdAt: string;
}

export function toServerView(row: ServerRow): ServerView {
  return {
    id: row.id,
    customerId: row.customer_id,
    hostname: row.hostname,
    ssh:
      row.ssh_host && row.ssh_user && row.ssh_host_key
        ? { host: row.ssh_host, port: row.ssh_port ?? 22, user: row.ssh_user, hostKey: row.ssh_host_key }
        : null,
    criticalData: fromDbBool(row.critical_data),
    createdAt: row.created_at,
  };
}

export interface AddServerInput {
  hostname: string;
  ssh?: { host: string; port?: number; user: string; hostKey: string } | null;
  criticalData?: boolean;
}

/** Registers a customer's server (staff only: the hosting company runs the machines). */
export async function addServer(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  input: AddServerInput,
): Promise<ServerView> {
  requireRole(principal, ['admin', 'manager']);
  let hostKey: string | null = null;
  if (input.ssh) {
    hostKey = parseHostKey(input.ssh.hostKey) ?? null;
    if (!hostKey) {
      throw new DomainError('VALIDATION_FAILED', '/ssh/hostKey: must be an OpenSSH public key line', [
        { path: '/ssh/hostKey', message: 'must be an OpenSSH public host key such as "ssh-ed25519 AAAA…"' },
      ]);
    }
  }
  const hostname = input.hostname.trim().toLowerCase();
  const nowMs = ctx.clock.now();
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await findCustomer(trx, customerId)))
      throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
    if (await findServerByHostname(trx, hostname)) {
      throw new DomainError('DUPLICATE', `a server named ${hostname} is already registered`, [
        { path: '/hostname', message: 'is already registered' },
      ]);
    }
    const row: ServerRow = {
      id: ctx.newId(),
      customer_id: customerId,
      hostname,
      ssh_host: input.ssh?.host ?? null,
      ssh_port: input.ssh ? (input.ssh.port ?? 22) : null,
      ssh_user: input.ssh?.user ?? null,
      ssh_host_key: hostKey,
      critical_data: toDbBool(input.criticalData ?? false),
      created_at: toDbInstant(nowMs),
    };
    await insertServer(trx, row);
    await appendAudit(trx, {
      atMs: nowMs,
      actor: auditActor(principal),
      action: 'server.created',
      entityType: 'server',
      entityId: row.id,
      customerId,
      data: { server: toServerView(row) },
    });
    return toServerView(row);
  });
}

export async function listServers(
  ctx: AppContext,
  principal: Principal,
  customerId: string,
): Promise<ServerView[]> {
  assertCustomerVisible(principal, customerId);
  if (!(await findCustomer(ctx.db, customerId)))
    throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
  return (await listServerRows(ctx.db, customerId)).map(toServerView);
}

export async function getServer(
  ctx: AppContext,
  principal: Principal,
  serverId: string,
): Promise<ServerView> {
  const row = await findServer(ctx.db, serverId);
  if (!row || (principal.role === 'customer' && principal.customerId !== row.customer_id)) {
    throw new DomainError('SERVER_NOT_FOUND', 'server not found');
  }
  return toServerView(row);
}
