import { Gauge, type Registry } from 'prom-client';
import { fromDbInstant } from '../../db/instant.js';
import { openIncidentsByState } from '../../db/repositories/incident.repository.js';
import {
  dueJobsByKind,
  expiredLeasesByKind,
  failedJobsByKind,
} from '../../db/repositories/job.repository.js';
import type { AppContext } from '../app-context.js';

/**
 * The desk's state, read from the database when Prometheus scrapes: the same on every node, since all
 * nodes share the database (alert on one node's series, or on max() across them). A job queue that is
 * due and not draining is the first sign that pages are late.
 */
export function registerDeskGauges(registry: Registry, ctx: AppContext): void {
  // Two gauges come from one read: prom-client collects a scrape's metrics at once, so they share it.
  const dueJobs = sharedRead(async () => {
    const atMs = ctx.clock.now();
    return { atMs, rows: await dueJobsByKind(ctx.db, atMs) };
  });
  new Gauge({
    name: 'ballou_open_incidents',
    help: 'Open incidents by state (open, acknowledged, in_progress)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { state, n } of await openIncidentsByState(ctx.db)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'ballou_jobs_due',
    help: 'Jobs due now and not yet claimed, by kind (pages, escalation steps, SLA checks…)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const { rows } = await dueJobs();
      this.reset();
      for (const { kind, due } of rows) this.set({ kind }, due);
    },
  });
  new Gauge({
    name: 'ballou_jobs_oldest_due_seconds',
    help: 'How long the longest-waiting due job has been due, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const { rows, atMs } = await dueJobs();
      this.reset();
      for (const { kind, oldestDueAt } of rows)
        if (oldestDueAt) this.set({ kind }, Math.max(0, atMs - fromDbInstant(oldestDueAt)) / 1000);
    },
  });
  new Gauge({
    name: 'ballou_jobs_lease_expired',
    help: 'Running jobs whose node stopped before finishing them (claimed again once found), by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { kind, n } of await expiredLeasesByKind(ctx.db, ctx.clock.now())) this.set({ kind }, n);
    },
  });
  new Gauge({
    name: 'ballou_jobs_failed',
    help: 'Jobs given up after their last attempt, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { kind, n } of await failedJobsByKind(ctx.db)) this.set({ kind }, n);
    },
  });
}

/** One read shared by the callers that ask while it is under way; the next caller after it starts anew. */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}
