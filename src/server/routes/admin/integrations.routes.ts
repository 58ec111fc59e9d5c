import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { createIntegration, listIntegrations, revokeIntegration } from '../../../app/intake/integrations.js';
import { principalOf } from '../../plugins/auth.js';
import { Id, IdParams, Name, Nullable, STANDARD_ERRORS } from '../../schemas/common.js';

const Kind = Type.Enum(['alertmanager', 'pagerduty', 'generic']);
const Integration = Type.Object({
  id: Type.String(),
  kind: Kind,
  name: Type.String(),
  customerId: Nullable(Type.String()),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
});
const MANAGE = { roles: ['admin', 'manager'] } as const;
const tags = ['integrations'];

/** Monitoring integrations: their tokens authenticate the alert webhooks. */
export const integrationsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/integrations',
    {
      config: { access: MANAGE },
      schema: {
        tags,
        summary: 'Create an integration; its token (shown once) authenticates its webhooks',
        body: Type.Object(
          { kind: Kind, name: Name, customerId: Type.Optional(Nullable(Id)) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Intersect([Integration, Type.Object({ token: Type.String() })]),
          ...STANDARD_ERRORS,
        },
      },
    },
    async (req, reply) => reply.code(201).send(await createIntegration(ctx, principalOf(req), req.body)),
  );
  app.get(
    '/integrations',
    {
      config: { access: MANAGE },
      schema: { tags, response: { 200: Type.Array(Integration), ...STANDARD_ERRORS } },
    },
    async (req) => listIntegrations(ctx, principalOf(req)),
  );
  app.delete(
    '/integrations/:id',
    {
      config: { access: MANAGE },
      schema: { tags, params: IdParams, response: { 204: Type.Null(), ...STANDARD_ERRORS } },
    },
    async (req, reply) => {
      await revokeIntegration(ctx, principalOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
};
