/**
 * The job worker's thread (see job-runner.ts): the same configuration as the server (the environment is
 * inherited), its own database connection and messaging, and a JobWorker that claims and runs due jobs.
 * The server thread posts `wake` after each of its commits that enqueued a job, `metrics` when Prometheus
 * scrapes, and `stop` on shutdown: the jobs in hand finish, the connection closes and the thread ends.
 * The thread posts `incidents-changed` after its commits that changed incidents (at most every 20 ms), so
 * the live boards look at once (app/incidents/incident-change-relay.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { atMostEvery } from '../app/at-most-every.js';
import { openRuntime } from '../app/bootstrap.js';
import { jobHandlers } from '../app/jobs/job-handlers.js';
import { JobWorker } from '../app/jobs/job-worker.js';
import { appRegistry, type ThreadMetrics } from '../app/metrics/app-metrics.js';
import { loadConfig } from '../config/config.js';
import { createLogger } from '../config/logger.js';

export type JobThreadMessage = { type: 'wake' } | { type: 'stop' } | { type: 'metrics'; id: number };
/** The thread's answer to `metrics`: its registry's values (jobs run, messages sent) for `GET /metrics`. */
export interface JobThreadMetrics {
  type: 'metrics';
  id: number;
  metrics: ThreadMetrics;
}

/** The shortest time between two `incidents-changed` messages (a burst of steps is one message). */
const INCIDENTS_CHANGED_EVERY_MS = 20;

const { workerId, writeTurns } = workerData as { workerId: string; writeTurns: SharedArrayBuffer };
const config = loadConfig();
const logger = createLogger(config.logLevel).child({ thread: 'jobs' });
const runtime = await openRuntime(config, logger, writeTurns);
const worker = new JobWorker(runtime.ctx, {
  workerId,
  handlers: jobHandlers,
  leaseMs: config.jobLeaseSeconds * 1000,
  batchSize: config.jobBatchSize,
  concurrency: config.jobConcurrency,
});
// Jobs the handlers enqueue (a page's sends, the next escalation step) are claimed at once too.
runtime.database.onJobsCommitted(() => worker.wake());
const incidentsChanged = atMostEvery(INCIDENTS_CHANGED_EVERY_MS, () =>
  parentPort?.postMessage({ type: 'incidents-changed' }),
);
runtime.database.onIncidentsCommitted(() => incidentsChanged.trigger());
worker.start();

parentPort?.on('message', (message: JobThreadMessage) => {
  if (message.type === 'wake') worker.wake();
  else if (message.type === 'metrics')
    void appRegistry
      .getMetricsAsJSON()
      .then((metrics) =>
        parentPort?.postMessage({ type: 'metrics', id: message.id, metrics } satisfies JobThreadMetrics),
      );
  else if (message.type === 'stop')
    void (async () => {
      await worker.stop();
      incidentsChanged.cancel();
      await runtime.database.close();
      process.exit(0); // in a worker thread: ends this thread only
    })();
});
parentPort?.postMessage({ type: 'ready' });
