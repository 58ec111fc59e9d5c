import type { Role } from '../domain/shared/roles.js';

/**
 * Every API route declares who may call it; a route without a declaration is refused (fail closed,
 * ASVS 4.1.5). `public` routes need no principal (health, login, one-time links); `provider` routes are
 * webhooks that authenticate the request themselves (basic auth, a signature, an integration's bearer
 * token), so no API token or session is looked up for them.
 */
export type RouteAccess = 'public' | 'provider' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const STAFF: readonly Role[] = ['admin', 'manager', 'engineer', 'billing'];
export const EVERYONE: readonly Role[] = ['admin', 'manager', 'engineer', 'billing', 'customer'];
