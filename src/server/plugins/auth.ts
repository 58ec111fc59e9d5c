import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../../app/app-context.js';
import { authenticateApiToken } from '../../app/auth/api-tokens.js';
import { secretsEqual } from '../../app/auth/secrets.js';
import { authenticateSession } from '../../app/auth/sessions.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { Principal } from '../../domain/shared/roles.js';
import { sendProblem } from './error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    sessionId: string | null;
    /** The session's CSRF token, so the web app can recover it after a reload (GET /auth/me). */
    sessionCsrfToken: string | null;
    /** A staff session that must enrol TOTP first (BALLOU_TOTP_REQUIRED_FOR_STAFF). */
    totpEnrolmentRequired: boolean;
  }
}

export function sessionCookieName(secure: boolean): string {
  // __Host- binds the cookie to this exact origin over HTTPS (ASVS 3.4.4); browsers refuse it without Secure.
  return secure ? '__Host-ballou_session' : 'ballou_session';
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * Authentication and the router-level access check, before the body is even validated: a bearer token
 * (integrations) or a session cookie (browsers; then state-changing requests also need the session's
 * CSRF token in X-CSRF-Token). Routes without an access declaration are refused.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  const { ctx } = opts;
  const cookieName = sessionCookieName(ctx.config.cookieSecure);
  await app.register(cookie);
  app.decorateRequest('principal', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('sessionCsrfToken', null);
  app.decorateRequest('totpEnrolmentRequired', false);

  app.addHook('onRequest', async (request, reply) => {
    // The browsable docs (/api/docs) are static and public; every /api/v1 route declares its access.
    // Decided by the matched route, not the raw URL: the router decodes `/%61pi/v1/…` to an API route.
    if (!(request.routeOptions.url ?? request.url).startsWith('/api/v1/')) return;
    const access = request.routeOptions.config.access;
    // The webhook checks its provider's credentials itself; an API token lookup would only cost a read.
    if (access === 'provider') return;
    const token = bearerToken(request);
    if (token) {
      request.principal = (await authenticateApiToken(ctx, token)) ?? null;
      if (!request.principal && access !== 'public') {
        return sendProblem(reply, request, 401, 'UNAUTHENTICATED', 'the bearer token is unknown or revoked');
      }
    } else if (request.headers.authorization && access !== 'public') {
      // Public routes (provider webhooks) may carry their own scheme, e.g. 46elks' basic auth.
      return sendProblem(reply, request, 401, 'UNAUTHENTICATED', 'use Authorization: Bearer <token>');
    } else {
      const sessionToken = request.cookies[cookieName];
      if (sessionToken) {
        const session = await authenticateSession(ctx, sessionToken);
        if (session) {
          request.principal = session.principal;
          request.sessionId = session.sessionId;
          request.sessionCsrfToken = session.csrfToken;
          request.totpEnrolmentRequired = session.totpEnrolmentRequired;
          const sent = request.headers['x-csrf-token'];
          if (
            UNSAFE_METHODS.has(request.method) &&
            access !== 'public' &&
            (typeof sent !== 'string' || !secretsEqual(sent, session.csrfToken))
          ) {
            // Thrown, not sent: the error handler answers every refusal the same way and puts it on record.
            throw new DomainError('CSRF_FAILED', 'missing or wrong X-CSRF-Token header');
          }
        }
      }
    }
    if (access === 'public') return;
    if (access === undefined) {
      // Unknown routes fall through to the 404 handler; a real route without a declaration is a bug.
      if (request.routeOptions.url === undefined) return;
      request.log.error({ url: request.routeOptions.url }, 'route has no access declaration');
      return sendProblem(reply, request, 403, 'FORBIDDEN', 'this route is not open to anyone');
    }
    if (!request.principal) {
      return sendProblem(
        reply,
        request,
        401,
        'UNAUTHENTICATED',
        'log in or send Authorization: Bearer <token>',
      );
    }
    if (!access.roles.includes(request.principal.role)) {
      throw new DomainError('FORBIDDEN', `this needs one of the roles ${access.roles.join(', ')}`);
    }
    // Until a required second factor is enrolled, the session reaches only its own account routes.
    if (request.totpEnrolmentRequired && !request.routeOptions.url?.startsWith('/api/v1/auth/')) {
      return sendProblem(
        reply,
        request,
        403,
        'TOTP_ENROLMENT_REQUIRED',
        'two-factor login is required for staff: enrol at /account/security first',
      );
    }
  });
});

/** The principal of an authenticated route; routes with roles never run without one. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf used on a route without authentication');
  return request.principal;
}
