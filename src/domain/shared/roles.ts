/** User roles. `customer` is always bound to exactly one customer (its tenant). */
export const ROLES = ['admin', 'manager', 'engineer', 'billing', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES: readonly Role[] = ['admin', 'manager', 'engineer', 'billing'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is acting: a user by session, an API token, an integration, or the system itself. */
export type Principal =
  | {
      kind: 'user';
      id: string;
      role: Role;
      customerId: string | null;
      name: string;
      /** The login e-mail (a session's user); `name` is the display name. */
      email?: string;
      engineerId?: string | null;
    }
  | { kind: 'token'; id: string; role: Role; customerId: string | null; name: string; engineerId?: null }
  | { kind: 'system'; id: 'system'; role: 'admin'; customerId: null; name: string; engineerId?: null };

export function isStaff(p: { role: Role }): boolean {
  return p.role !== 'customer';
}
