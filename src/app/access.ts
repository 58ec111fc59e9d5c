import { DomainError } from '../domain/shared/domain-error.js';
import type { Principal, Role } from '../domain/shared/roles.js';

/** Resource-level role check (routes check too: two layers, ASVS 13.1.4). */
export function requireRole(principal: Principal, roles: readonly Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new DomainError('FORBIDDEN', `this needs one of the roles ${roles.join(', ')}`);
  }
}

/**
 * Tenant check: a customer principal sees only its own customer. Another tenant's data answers
 * "not found", so a customer cannot even learn that an id exists.
 */
export function assertCustomerVisible(principal: Principal, customerId: string): void {
  if (principal.role === 'customer' && principal.customerId !== customerId) {
    throw new DomainError('CUSTOMER_NOT_FOUND', 'customer not found');
  }
}

/** The audit log's view of who acted. */
export function auditActor(principal: Principal): { type: string; id: string | null; name: string | null } {
  return { type: principal.kind, id: principal.id, name: principal.name };
}
