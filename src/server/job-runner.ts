import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { clearWriteTurnFlag, sharedWriteTurnsMemory, type Runtime } from '../app/bootstrap.js';
import { jobHandlers } from '../app/jobs/job-handlers.js';
import { JobWorker } from '../app/jobs/job-worker.js';
import type { Config } from '../config/config.js';
import type { ThreadMetrics } from '../app/metrics/app-metrics.js';
import type { JobThreadMessage, JobThreadMetrics } from './job-thread.js';

/** Whatever runs this node's jobs: woken after a commit that enqueued one, stopped on shutdown. */
export interface JobRunner {
  wake(): void;
  /** Claims nothing more and waits for the jobs in hand. */
  stop(): Promise<void>;
  /**
   * The job worker's metrics when it runs on a thread of its own (none when it shares the server's
   * thread and registry); none from a thread that does not answer within `timeoutMs`.
   */
  metrics(timeoutMs?: number): Promise<ThreadMetrics>;
  /**
   * Runs `listener` when the runner's own connection committed incident changes (an escalation step, a
   * delivery's outcome). A runner on this thread shares the server's connection, whose signal says it.
   */
  onIncidentsChanged(listener: () => void): void;
}

/** A restarted thread waits this long, so a thread that fails at start does not spin. */
const RESTART_DELAY_MS = 1_000;
/** A thread that has not ended this long after `stop` is terminated. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts the job worker of `ballou serve`: on a thread of its own (BALLOU_JOB_THREAD, the default), so
 * the HTTP side and the pages each have a core, or in this thread. Worker ids start with the process id,
 * as the operators' tools and the crash tests expect (`<pid>-<uuid>`).
 */
export function startJobRunner(runtime: Runtime, config: Config, logger: Logger): JobRunner {
  const runner = config.jobThread ? new JobThread(logger) : inProcess(runtime, config);
  // A page enqueued by a webhook is claimed as soon as its transaction commits, not at the next poll.
  runtime.database.onJobsCommitted(() => runner.wake());
  return runner;
}

function inProcess(runtime: Runtime, config: Config): JobRunner {
  const worker = new JobWorker(runtime.ctx, {
    workerId: `${process.pid}-${randomUUID()}`,
    handlers: jobHandlers,
    leaseMs: config.jobLeaseSeconds * 1000,
    batchSize: config.jobBatchSize,
    concurrency: config.jobConcurrency,
  });
  worker.start();
  return {
    wake: () => worker.wake(),
    stop: () => worker.stop(),
    metrics: () => Promise.resolve([]),
    onIncidentsChanged: () => undefined,
  };
}

/** The thread's program: job-thread.ts/js, or (tests) another module speaking the same messages. */
export type ThreadEntry = URL;

/** The job worker on a worker thread (job-thread.ts), started again if it ever ends unasked. */
export class JobThread implements JobRunner {
  private thread: Worker | undefined;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private metricsAsked = 0;
  private readonly metricsWaiting = new Map<number, (metrics: ThreadMetrics) => void>();
  private readonly incidentListeners = new Set<() => void>();

  constructor(
    private readonly logger: Logger,
    private readonly entry: ThreadEntry = new URL(
      import.meta.url.endsWith('.ts') ? './job-thread.ts' : './job-thread.js',
      import.meta.url,
    ),
    private readonly restartDelayMs = RESTART_DELAY_MS,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const workerData = { workerId: `${process.pid}-${randomUUID()}`, writeTurns: sharedWriteTurnsMemory() };
    const thread = this.entry.pathname.endsWith('.ts')
      ? // From the sources (tests, the bench, `tsx`): the thread registers tsx itself (loader hooks of
        // the parent's --import tsx do not reach worker threads on Node 20), then loads the entry.
        new Worker(
          `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(this.entry.href)}); })`,
          { eval: true, workerData },
        )
      : new Worker(this.entry, { workerData });
    thread.on('error', (error) => this.logger.error({ err: error }, 'job thread failed'));
    thread.on('message', (message: JobThreadMetrics | { type: string }) => {
      if (message.type === 'incidents-changed') for (const listener of this.incidentListeners) listener();
      if (message.type !== 'metrics') return;
      const { id, metrics } = message as JobThreadMetrics;
      this.metricsWaiting.get(id)?.(metrics);
    });
    // Read now: Node sets it to -1 once the thread has ended.
    const { threadId } = thread;
    thread.on('exit', (code) => {
      // A thread ended while waiting for SQLite's write lock must not keep the server thread yielding.
      clearWriteTurnFlag(threadId);
      if (this.thread === thread) this.thread = undefined;
      if (this.stopping) return;
      // Pages must not stop because the thread did: the jobs it held are claimed again after their lease.
      this.logger.error({ code }, 'job thread ended; starting a new one');
      this.restartTimer = setTimeout(() => this.spawn(), this.restartDelayMs);
    });
    this.thread = thread;
  }

  wake(): void {
    this.thread?.postMessage({ type: 'wake' } satisfies JobThreadMessage);
  }

  onIncidentsChanged(listener: () => void): void {
    this.incidentListeners.add(listener);
  }

  metrics(timeoutMs = 2_000): Promise<ThreadMetrics> {
    const thread = this.thread;
    if (!thread) return Promise.resolve([]);
    const id = ++this.metricsAsked;
    return new Promise((resolve) => {
      const done = (metrics: ThreadMetrics) => {
        clearTimeout(timer);
        this.metricsWaiting.delete(id);
        resolve(metrics);
      };
      const timer = setTimeout(() => done([]), timeoutMs);
      this.metricsWaiting.set(id, done);
      thread.postMessage({ type: 'metrics', id } satisfies JobThreadMessage);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const thread = this.thread;
    if (!thread) return;
    const exited = new Promise((resolve) => thread.once('exit', resolve));
    thread.postMessage({ type: 'stop' } satisfies JobThreadMessage);
    const timer = setTimeout(() => void thread.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
