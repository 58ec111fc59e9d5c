import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { changePassword } from '../../../app/auth/password-change.js';
import { confirmPasswordReset, requestPasswordReset } from '../../../app/auth/password-reset.js';
import {
  confirmTotpEnrolment,
  disableTotpLogin,
  regenerateRecoveryCodes,
  resetTotpByAdmin,
  startTotpEnrolment,
  totpStatus,
} from '../../../app/auth/totp.js';
import { principalOf } from '../../plugins/auth.js';
import { EVERYONE, STAFF } from '../../route-access.js';
import { Email, IdParams, STANDARD_ERRORS } from '../../schemas/common.js';

const Code = Type.String({
  minLength: 6,
  maxLength: 20,
  description: 'a 6-digit code from the authenticator app, or a recovery code (xxxx-xxxx-xxxx)',
});
const RecoveryCodes = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: 'shown once; each works once' }),
});

/** TOTP two-factor for staff, password reset by e-mail and password change (ASVS 2.5, 2.8, 6.2). */
export const accountSecurityRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  const limited = { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' };

  app.get(
    '/auth/totp',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['auth'],
        summary: 'Whether two-factor login is on for me, and whether it is required',
        response: {
          200: Type.Object({
            enabled: Type.Boolean(),
            enabledAt: Type.Union([Type.String(), Type.Null()]),
            pending: Type.Boolean(),
            required: Type.Boolean(),
            recoveryCodesLeft: Type.Integer(),
          }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (request) => totpStatus(ctx, principalOf(request)),
  );

  app.post(
    '/auth/totp/enrol',
    {
      config: { access: { roles: STAFF } },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: a new secret, shown once, pending until confirmed',
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({
            secret: Type.String({ description: 'base32, for typing into the authenticator app' }),
            uri: Type.String({ description: 'otpauth:// URI (SHA1, 6 digits, 30 s)' }),
          }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (request) => startTotpEnrolment(ctx, principalOf(request)),
  );

  app.post(
    '/auth/totp/confirm',
    {
      config: { access: { roles: STAFF }, rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Confirm enrolment with a code; turns two-factor login on and returns recovery codes once',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: RecoveryCodes, ...STANDARD_ERRORS },
      },
    },
    async (request) => confirmTotpEnrolment(ctx, principalOf(request), request.body.code),
  );

  app.post(
    '/auth/totp/disable',
    {
      config: { access: { roles: STAFF }, rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor login off (password and a current code)',
        body: Type.Object(
          { password: Type.String({ minLength: 1, maxLength: 1000 }), code: Code },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await disableTotpLogin(ctx, principalOf(request), request.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/totp/recovery-codes',
    {
      config: { access: { roles: STAFF }, rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'New recovery codes (the old ones stop working); needs a current 6-digit code',
        body: Type.Object({ code: Code }, { additionalProperties: false }),
        response: { 200: RecoveryCodes, ...STANDARD_ERRORS },
      },
    },
    async (request) => regenerateRecoveryCodes(ctx, principalOf(request), request.body.code),
  );

  app.post(
    '/users/:id/totp/reset',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: "Turn a user's two-factor login off (lost device); ends the user's sessions",
        params: IdParams,
        body: Type.Object({}, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await resetTotpByAdmin(ctx, principalOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/password-reset',
    {
      config: { access: 'public', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Ask for a password-reset link by e-mail; the same 202 whether the address exists or not',
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ message: Type.String() }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, { email: request.body.email, requestId: request.id });
      return reply.code(202).send({
        message: 'if the address belongs to an account, a link has been sent to it; it works for 30 minutes',
      });
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      config: { access: 'public', rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token from the e-mail; ends every session of the account',
        body: Type.Object(
          {
            token: Type.String({ minLength: 1, maxLength: 200 }),
            password: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(ctx, { ...request.body, requestId: request.id });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: { roles: EVERYONE }, rateLimit: limited },
      schema: {
        tags: ['auth'],
        summary:
          'Change my password, giving the current one; ends my other sessions and tells me by e-mail (not with an API token)',
        body: Type.Object(
          {
            currentPassword: Type.String({ minLength: 1, maxLength: 1000 }),
            newPassword: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null({ description: 'done, no body' }), ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => {
      await changePassword(ctx, principalOf(request), {
        ...request.body,
        sessionId: request.sessionId,
        requestId: request.id,
      });
      return reply.code(204).send(null);
    },
  );
};
