import type { Role } from '../domain/shared/roles.js';

/**
 * Every API route declares who may call it; a route without a declaration is refused (fail closed,
 * ASVS 4.1.5). `public` routes need no principal (health, login, provider webhooks with their own auth).
 */
export type RouteAccess = 'public' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const STAFF: readonly Role[] = ['admin', 'manager', 'engineer', 'billing'];
export const EVERYONE: readonly Role[] = ['admin', 'manager', 'engineer', 'billing', 'customer'];
