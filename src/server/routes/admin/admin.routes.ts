import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../app/auth/api-tokens.js';
import { createUser, listUsers } from '../../../app/auth/users.js';
import { readAuditLog } from '../../../app/audit/audit-log.js';
import { principalOf } from '../../plugins/auth.js';
import { Email, Id, IdParams, Name, Nullable, RoleSchema, STANDARD_ERRORS } from '../../schemas/common.js';

const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  customerId: Nullable(Type.String()),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
});

const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  customerId: Nullable(Type.String()),
  engineerId: Nullable(Type.String()),
  totpEnabled: Type.Boolean(),
  createdAt: Type.String(),
});

const ADMIN = { roles: ['admin'] } as const;

const AuditRecord = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()), name: Nullable(Type.String()) }),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Nullable(Type.String()),
  customerId: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  requestId: Nullable(Type.String()),
});

const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z_]+\\.[a-z_]+$' })),
    entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z_]+$' })),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    customerId: Type.Optional(Id),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'the previous page nextBefore' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

/** API tokens, user accounts and the audit log: administrators only. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary:
          'The audit log, newest first: who changed what, logins and refusals, action runs (keyset on seq; filters by action, entity or customer)',
        querystring: AuditQuery,
        response: {
          200: Type.Object({ items: Type.Array(AuditRecord), nextBefore: Nullable(Type.Integer()) }),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (request) => readAuditLog(ctx, principalOf(request), request.query),
  );

  app.post(
    '/tokens',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Create an API token (shown once; stored hashed)',
        body: Type.Object(
          { name: Name, role: RoleSchema, customerId: Type.Optional(Nullable(Id)) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([ApiToken, Type.Object({ token: Type.String() })]),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createApiToken(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/tokens',
    {
      config: { access: ADMIN },
      schema: { tags: ['admin'], response: { 200: Type.Array(ApiToken), ...STANDARD_ERRORS } },
    },
    async (request) => listApiTokens(ctx, principalOf(request)),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        summary: 'Revoke a token',
        params: IdParams,
        response: { 200: ApiToken, ...STANDARD_ERRORS },
      },
    },
    async (request) => revokeApiToken(ctx, principalOf(request), request.params.id),
  );

  app.post(
    '/users',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['admin'],
        body: Type.Object(
          {
            email: Email,
            name: Name,
            password: Type.String({ minLength: 1, maxLength: 1000 }),
            role: RoleSchema,
            customerId: Type.Optional(Nullable(Id)),
            engineerId: Type.Optional(Nullable(Id)),
          },
          { additionalProperties: false },
        ),
        response: { 201: User, ...STANDARD_ERRORS },
      },
    },
    async (request, reply) => reply.code(201).send(await createUser(ctx, principalOf(request), request.body)),
  );

  app.get(
    '/users',
    {
      config: { access: ADMIN },
      schema: { tags: ['admin'], response: { 200: Type.Array(User), ...STANDARD_ERRORS } },
    },
    async (request) => listUsers(ctx, principalOf(request)),
  );
};
