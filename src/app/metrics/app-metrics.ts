import { constantTimeEqual } from '../../integrations/telephony/constant-time.js';
import { Counter, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/**
 * The node's own metrics for Prometheus (docs/deployment.md, "Metrics"). Each thread has its own registry:
 * the server thread counts HTTP requests, the job thread (or the server thread, with BALLOU_JOB_THREAD=0)
 * counts jobs and messages. `GET /metrics` on the server thread adds the job thread's values to its own
 * (src/server/plugins/metrics.ts) and reads the desk's queue and incidents from the database (desk-gauges.ts).
 */
export const appRegistry = new Registry();

/** A registry's values as one thread hands them to another (`getMetricsAsJSON`). */
export type ThreadMetrics = MetricObjectWithValues<MetricValue<string>>[];

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpRequestSeconds = new Histogram({
  name: 'ballou_http_request_duration_seconds',
  help: 'Time from request to answer, by method, route pattern and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [appRegistry],
});

export const jobsRun = new Counter({
  name: 'ballou_jobs_run_total',
  help: 'Jobs this node ran, by kind and outcome (done, or failed: retried later or given up)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [appRegistry],
});

export const jobSeconds = new Histogram({
  name: 'ballou_job_duration_seconds',
  help: 'Time a job took to run on this node, by kind',
  labelNames: ['kind'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [appRegistry],
});

export const messagesSent = new Counter({
  name: 'ballou_messages_total',
  help: 'Messages (SMS, calls, push, e-mail) handed to a provider, or not, by channel, provider and outcome',
  labelNames: ['channel', 'provider', 'outcome'] as const,
  registers: [appRegistry],
});

export const messageQueuedSeconds = new Histogram({
  name: 'ballou_message_queued_to_sent_seconds',
  help: 'Time from a message being queued (a page decided) to its provider accepting it, by channel',
  labelNames: ['channel'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [appRegistry],
});

/** The route pattern (not the path, which holds ids and tokens) and the status class, for the histogram. */
export function observeHttpRequest(method: string, route: string | undefined, status: number, ms: number) {
  httpRequestSeconds.observe(
    { method, route: route ?? 'unmatched', status: `${Math.floor(status / 100)}xx` },
    ms / 1000,
  );
}

/** Whether a request's Authorization header carries the metrics token (compared in constant time). */
export function isMetricsScraper(metricsToken: string, authorization: string | undefined): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return metricsToken !== '' && m !== null && constantTimeEqual(m[1] as string, metricsToken);
}
