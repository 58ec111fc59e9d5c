import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../app/auth/api-tokens.js';
import { createUser, listUsers } from '../../../app/auth/users.js';
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

/** API tokens and user accounts: administrators only. */
export const adminRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
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
