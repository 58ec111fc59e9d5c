import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppContext } from '../../../app/app-context.js';
import { checkHealth } from '../../../app/health.js';

const Health = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  database: Type.Enum(['sqlite', 'postgres']),
});

/** Health and the OpenAPI document: open to everyone. */
export const systemRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const health = await checkHealth(ctx);
      return reply.code(health.status === 'ok' ? 200 : 503).send(health);
    },
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
};
