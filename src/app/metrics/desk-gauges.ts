import { Gauge, type Registry } from 'prom-client';
import { fromDbInstant } from '../../db/instant.js';
import { openIncidentsByState } from '../../db/repositories/incident.repository.js';
import {
  dueJobsByKind,
  expiredLeasesByKind,
  failedJobsByKind,
} from '../../db/repositories/job.repository.js';
import type { AppContext } from '../app-context.js';

interface DeskReading {
  atMs: number;
  open: { state: string; n: number }[];
  due: { kind: string; due: number; oldestDueAt: string | null }[];
  expired: { kind: string; n: number }[];
  failed: { kind: string; n: number }[];
}

/**
 * The desk's state, read from the database when Prometheus scrapes: the same on every node, since all
 * nodes share the database (alert on one node's series, or on max() across them). A job queue that is
 * due and not draining is the first sign that pages are late. When the database does not answer, the
 * scrape still succeeds with `ballou_database_up 0` and the node's own metrics: that is when they matter.
 */
export function registerDeskGauges(registry: Registry, ctx: AppContext): void {
  // prom-client collects a scrape's gauges at once: they share one reading of the database.
  const reading = sharedRead(async (): Promise<DeskReading | null> => {
    const atMs = ctx.clock.now();
    try {
      const [open, due, expired, failed] = await Promise.all([
        openIncidentsByState(ctx.db),
        dueJobsByKind(ctx.db, atMs),
        expiredLeasesByKind(ctx.db, atMs),
        failedJobsByKind(ctx.db),
      ]);
      return { atMs, open, due, expired, failed };
    } catch (error) {
      ctx.logger.error({ err: error }, 'metrics: the database did not answer');
      return null;
    }
  });
  const gauge = (name: string, help: string, label: string, values: (r: DeskReading) => [string, number][]) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        const r = await reading();
        this.reset();
        if (r) for (const [value, n] of values(r)) this.set({ [label]: value }, n);
      },
    });

  new Gauge({
    name: 'ballou_database_up',
    help: '1 when the database answered this scrape, 0 when it did not (the desk gauges are then absent)',
    registers: [registry],
    async collect() {
      this.set((await reading()) ? 1 : 0);
    },
  });
  gauge('ballou_open_incidents', 'Open incidents by state (open, acknowledged, in_progress)', 'state', (r) =>
    r.open.map((o) => [o.state, o.n]),
  );
  gauge(
    'ballou_jobs_due',
    'Jobs due now and not yet claimed, by kind (pages, escalation steps, SLA checks…)',
    'kind',
    (r) => r.due.map((d) => [d.kind, d.due]),
  );
  gauge(
    'ballou_jobs_oldest_due_seconds',
    'How long the longest-waiting due job has been due, by kind',
    'kind',
    (r) =>
      r.due.map((d) => [
        d.kind,
        d.oldestDueAt ? Math.max(0, r.atMs - fromDbInstant(d.oldestDueAt)) / 1000 : 0,
      ]),
  );
  gauge(
    'ballou_jobs_lease_expired',
    'Running jobs whose node stopped before finishing them (claimed again once found), by kind',
    'kind',
    (r) => r.expired.map((e) => [e.kind, e.n]),
  );
  gauge('ballou_jobs_failed', 'Jobs given up after their last attempt, by kind', 'kind', (r) =>
    r.failed.map((f) => [f.kind, f.n]),
  );
}

/** One read shared by the callers that ask while it is under way; the next caller after it starts anew. */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = undefined;
    }));
}
