import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { login, loginWithTotp, logout, type LoginResult } from '../../../app/auth/sessions.js';
import { principalOf, sessionCookieName } from '../../plugins/auth.js';
import { sendProblem } from '../../plugins/error-handler.js';
import { EVERYONE } from '../../route-access.js';
import { Nullable, RoleSchema, STANDARD_ERRORS } from '../../schemas/common.js';
import { accountSecurityRoutes } from './account-security.routes.js';

const Me = Type.Object({
  id: Type.String(),
  /** Who timelines and notices say did it: a user's display name, a token's name. */
  name: Type.String(),
  /** A browser session's login e-mail; null for an API token. */
  email: Nullable(Type.String()),
  role: RoleSchema,
  customerId: Nullable(Type.String()),
  kind: Type.String(),
  engineerId: Nullable(Type.String()),
  /** Only for a browser session: the token to send in X-CSRF-Token (same-origin JS reads it). */
  csrfToken: Nullable(Type.String()),
  /** Staff without TOTP while it is required: everything but /auth/* answers 403 until they enrol. */
  totpEnrolmentRequired: Type.Boolean(),
});

const SessionAnswer = Type.Object({
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    role: RoleSchema,
    customerId: Nullable(Type.String()),
  }),
  csrfToken: Type.String(),
  expiresAt: Type.String(),
  totpEnrolmentRequired: Type.Boolean(),
});

const TotpDue = Type.Object({
  totpRequired: Type.Literal(true),
  challenge: Type.String({ description: 'send back to POST /auth/login/totp with the code' }),
  expiresAt: Type.String(),
});

/** Browser login with a server-side session in an HttpOnly, SameSite=Strict cookie. */
export const authRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookieName = sessionCookieName(ctx.config.cookieSecure);
  await app.register(accountSecurityRoutes, { ctx });

  // A login in a browser that still has a session ends that session: one token per login (ASVS 5.0 7.2.4).
  const endPreviousSession = async (request: FastifyRequest) => {
    if (request.sessionId && request.principal) await logout(ctx, request.principal, request.sessionId);
  };
  const startSession = (reply: FastifyReply, result: LoginResult) => {
    reply.setCookie(cookieName, result.sessionToken, {
      path: '/',
      httpOnly: true,
      secure: ctx.config.cookieSecure,
      sameSite: 'strict',
      expires: new Date(result.expiresAt),
    });
    return {
      user: result.user,
      csrfToken: result.csrfToken,
      expiresAt: result.expiresAt,
      totpEnrolmentRequired: result.totpEnrolmentRequired,
    };
  };

  app.post(
    '/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in; sets the session cookie and returns the CSRF token for later writes',
        body: Type.Object(
          {
            email: Type.String({ minLength: 3, maxLength: 254 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Union([SessionAnswer, TotpDue]), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await login(ctx, { ...request.body, requestId: request.id });
      if ('totpRequired' in result) return result;
      await endPreviousSession(request);
      return startSession(reply, result);
    },
  );

  app.post(
    '/auth/login/totp',
    {
      config: {
        access: 'public',
        rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Second login step for accounts with TOTP: the challenge and a code (or a recovery code)',
        body: Type.Object(
          {
            challenge: Type.String({ minLength: 1, maxLength: 200 }),
            code: Type.String({ minLength: 6, maxLength: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionAnswer, ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      const result = await loginWithTotp(ctx, { ...request.body, requestId: request.id });
      await endPreviousSession(request);
      return startSession(reply, result);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: { roles: EVERYONE } },
      schema: {
        tags: ['auth'],
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      if (!request.sessionId)
        return sendProblem(reply, request, 400, 'NO_SESSION', 'there is no browser session to end');
      await logout(ctx, principalOf(request), request.sessionId);
      reply.clearCookie(cookieName, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: { roles: EVERYONE } },
      schema: { tags: ['auth'], response: { 200: Me, ...STANDARD_ERRORS } },
    },
    async (request) => {
      const p = principalOf(request);
      return {
        id: p.id,
        name: p.name,
        email: p.kind === 'user' ? (p.email ?? null) : null,
        role: p.role,
        customerId: p.customerId,
        kind: p.kind,
        engineerId: p.engineerId ?? null,
        csrfToken: request.sessionCsrfToken,
        totpEnrolmentRequired: request.totpEnrolmentRequired,
      };
    },
  );
};
