import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import type { AppContext } from '../app/app-context.js';
import { authPlugin } from './plugins/auth.js';
import { errorHandlerPlugin, frameworkErrors } from './plugins/error-handler.js';
import { AccessRefusalAudit } from '../app/auth/access-refusals.js';
import { metricsPlugin } from './plugins/metrics.js';
import { OneLinePerRequest } from './one-line-request-log.js';
import type { ThreadMetrics } from '../app/metrics/app-metrics.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { textGuardPlugin } from './plugins/text-guard.js';
import { registerWeb } from './plugins/web.js';
import './route-access.js';
import { adminRoutes } from './routes/admin/admin.routes.js';
import { authRoutes } from './routes/auth/auth.routes.js';
import { customersRoutes } from './routes/customers/customers.routes.js';
import { engineersRoutes } from './routes/engineers/engineers.routes.js';
import { Price, pricingRoutes } from './routes/pricing/pricing.routes.js';
import { pushRoutes } from './routes/push/push.routes.js';
import { rosterRoutes } from './routes/roster/roster.routes.js';
import { incidentsRoutes } from './routes/incidents/incidents.routes.js';
import { telephonyWebhookRoutes } from './routes/webhooks/telephony.routes.js';
import { audioRoutes } from './routes/audio/audio.routes.js';
import { alertWebhookRoutes } from './routes/webhooks/alerts.routes.js';
import { integrationsRoutes } from './routes/admin/integrations.routes.js';
import { linkPages } from './routes/links/link-pages.js';
import { linksApiRoutes } from './routes/links/links.routes.js';
import { reportsRoutes } from './routes/reports/reports.routes.js';
import { actionsRoutes } from './routes/actions/actions.routes.js';
import { systemRoutes } from './routes/system/system.routes.js';
import { billingRoutes } from './routes/billing/billing.routes.js';
import { Problem } from './schemas/common.js';
import { buildValidator } from './validation.js';

export interface BuildAppOptions {
  ctx: AppContext;
  /** Folder of the built web app (dist/web); omitted in API-only tests. */
  webRoot?: string;
  /** Sees every route as it is registered (the access-matrix test reads each route's `config.access`). */
  onRoute?: (route: RouteOptions) => void;
  /** The job thread's metrics for `GET /metrics` (`ballou serve`'s JobRunner). */
  jobMetrics?: () => Promise<ThreadMetrics>;
  /**
   * Tells the live boards that incidents may have changed (`ballou serve`: IncidentChangeRelay). Without
   * it the boards only poll, every `BALLOU_BOARD_POLL_MS`.
   */
  incidentChanges?: (listener: () => void) => () => void;
}

/** The HTTP application without listen(): tests use app.inject(), `ballou serve` listens. */
export async function buildApp({
  ctx,
  webRoot,
  onRoute,
  jobMetrics,
  incidentChanges,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    logController: new OneLinePerRequest(),
    // Behind a reverse proxy, the client address (rate limits, logs) comes from X-Forwarded-For only
    // when the proxy is listed in BALLOU_TRUST_PROXY.
    trustProxy: ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy : false,
    routerOptions: { ignoreTrailingSlash: true },
    schemaController: { compilersFactory: { buildValidator } },
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (onRoute) app.addHook('onRoute', onRoute);

  await app.register(metricsPlugin, { ctx, ...(jobMetrics ? { jobMetrics } : {}) });
  const refusals = new AccessRefusalAudit(ctx);
  await app.register(errorHandlerPlugin, {
    // A signed-in principal's refusal is on record; a request with no valid credential names nobody.
    onAccessRefused: async (request, code) => {
      if (!request.principal) return;
      await refusals.record(request.principal, {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown route',
        code,
        requestId: request.id,
      });
    },
  });
  await app.register(textGuardPlugin);
  await app.register(securityHeadersPlugin);
  // API answers hold tenant data and secrets shown once: no browser or proxy keeps them (ASVS 5.0 14.3.2),
  // unless a route chose otherwise (the calendar feed, the event stream).
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.routeOptions.url ?? request.url).startsWith('/api/v1/') && !reply.hasHeader('cache-control'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin, { ctx });
  app.addSchema(Problem);
  app.addSchema(Price);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ballou Server Assistans API',
        version: '1.0.0',
        description:
          'After-hours support desk: customers, roster, incidents, actions and billing. Times are ISO 8601 with offset ' +
          '(a time without offset is Europe/Stockholm); money is integer öre in fields ending Ore.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'ballou token create --role ROLE --name NAME',
          },
          session: { type: 'apiKey', in: 'cookie', name: '__Host-ballou_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  await app.register(
    async (api) => {
      await api.register(systemRoutes, { ctx });
      await api.register(authRoutes, { ctx });
      await api.register(adminRoutes, { ctx });
      await api.register(customersRoutes, { ctx });
      await api.register(engineersRoutes, { ctx });
      await api.register(pricingRoutes, { ctx });
      await api.register(rosterRoutes, { ctx });
      await api.register(incidentsRoutes, { ctx, ...(incidentChanges ? { incidentChanges } : {}) });
      await api.register(telephonyWebhookRoutes, { ctx, prefix: '' });
      await api.register(alertWebhookRoutes, { ctx, prefix: '' });
      await api.register(integrationsRoutes, { ctx });
      await api.register(linksApiRoutes, { ctx });
      await api.register(reportsRoutes, { ctx });
      await api.register(actionsRoutes, { ctx });
      await api.register(billingRoutes, { ctx });
      await api.register(pushRoutes, { ctx });
    },
    { prefix: '/api/v1' },
  );
  // API.md names the provider webhooks without the /api/v1 prefix; both paths work.
  await app.register(telephonyWebhookRoutes, { ctx, prefix: '', hidden: true });
  await app.register(alertWebhookRoutes, { ctx, prefix: '', hidden: true });
  await app.register(linkPages, { ctx });
  await app.register(audioRoutes);

  await registerWeb(app, webRoot);
  return app;
}
