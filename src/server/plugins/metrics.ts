import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AggregatorRegistry, collectDefaultMetrics, Registry } from 'prom-client';
import type { AppContext } from '../../app/app-context.js';
import { appRegistry, isMetricsScraper, observeHttpRequest } from '../../app/metrics/app-metrics.js';
import { registerDeskGauges } from '../../app/metrics/desk-gauges.js';
import type { ThreadMetrics } from '../../app/metrics/app-metrics.js';
import { sendProblem } from './error-handler.js';

let processMetricsOn = false;
/** Node's process metrics (CPU, memory, event-loop lag, GC), once per process, on the server thread. */
function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: appRegistry, prefix: 'ballou_' });
}

export interface MetricsOptions {
  ctx: AppContext;
  /** The job thread's metrics (`JobRunner.metrics`); none when the worker shares this thread. */
  jobMetrics?: () => Promise<ThreadMetrics>;
}

/**
 * Prometheus metrics: every answer is timed by route pattern, and `GET /metrics` serves this node's
 * process, HTTP and job metrics with the desk's queue and incidents read from the database, to a scraper
 * that sends `Authorization: Bearer <BALLOU_METRICS_TOKEN>`. Without that setting the endpoint is off
 * (404): the figures (queue depth, incident counts) are not for everyone who can reach the server.
 */
export const metricsPlugin = fp(async (app: FastifyInstance, { ctx, jobMetrics }: MetricsOptions) => {
  collectProcessMetrics();
  const deskRegistry = new Registry();
  registerDeskGauges(deskRegistry, ctx);

  app.addHook('onResponse', (request, reply, done) => {
    observeHttpRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
    done();
  });

  app.get('/metrics', { config: { access: 'provider' }, schema: { hide: true } }, async (request, reply) => {
    const token = ctx.config.metricsToken;
    if (token === '')
      return sendProblem(
        reply,
        request,
        404,
        'NOT_FOUND',
        'metrics are off: set BALLOU_METRICS_TOKEN to turn them on',
      );
    if (!isMetricsScraper(token, request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendProblem(reply, request, 401, 'UNAUTHENTICATED', 'a valid metrics token is required');
    }
    const [own, desk, jobs] = await Promise.all([
      appRegistry.getMetricsAsJSON(),
      deskRegistry.getMetricsAsJSON(),
      jobMetrics ? jobMetrics() : Promise.resolve([]),
    ]);
    const merged = AggregatorRegistry.aggregate([own, desk, jobs]);
    return reply
      .header('content-type', merged.contentType)
      .header('cache-control', 'no-store')
      .send(await merged.metrics());
  });
});
