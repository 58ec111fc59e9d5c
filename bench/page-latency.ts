// Page latency: from the moment the Alertmanager webhook is accepted (its 2xx answer arrives at the
// sender) to the moment the page SMS arrives at the local 46elks stand-in, at a paced 100 new incidents per
// second for 20 s, p50 and p99. The real server process on a fresh database and the reliability tests'
// desk (every report a callout); the alerts come from no customer's server, so each opens an incident and
// pages the primary on call. Both clocks are this process's (the sender and the stand-in run here).
import { performance } from 'node:perf_hooks';
import { alertmanagerPayload } from '../test/stand-ins/alert-senders.js';
import type { ElksSms } from '../test/stand-ins/elks-stand-in.js';
import { startProviders } from '../test/reliability/support/desk-fixture.js';
import { ServerProcess } from '../test/reliability/support/server-process.js';
import type { Figure } from './figure.js';
import { reportBug } from './support/bugs.js';
import { benchEngines, freshDatabase, prepareBenchDesk, type Engine } from './support/desk.js';
import { benchProfileArgs, benchServerEnv, cpuMs } from './support/processes.js';

const RATE = Number(process.env.BALLOU_BENCH_PAGE_RATE ?? 100);
const SECONDS = Number(process.env.BALLOU_BENCH_PAGE_SECONDS ?? 20);
/** Warm-up seconds at the measured rate (not measured). */
const WARMUP_SECONDS = Number(process.env.BALLOU_BENCH_PAGE_WARMUP_SECONDS ?? 5);
const TARGET_P99_MS = 1000;
const GRACE_MS = 30_000;
const MARKER = /bench-page-(\d+)/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] as number);

async function pageLatencyOn(engine: Engine): Promise<Figure[]> {
  const database = await freshDatabase(engine, 'page');
  const providers = await startProviders();
  // When each page SMS arrived, by the number in its alert's summary.
  const arrived = new Map<number, number>();
  const sms = providers.elks.sms;
  const push = sms.push.bind(sms);
  sms.push = (...records: ElksSms[]) => {
    const at = performance.now();
    for (const record of records) {
      const n = Number(MARKER.exec(record.message)?.[1] ?? Number.NaN);
      if (!Number.isNaN(n) && !arrived.has(n)) arrived.set(n, at);
    }
    return push(...records);
  };
  try {
    const desk = await prepareBenchDesk(database.url, 0);
    const server = await ServerProcess.start({
      name: `page-${engine}`,
      env: { BALLOU_DATABASE_URL: database.url, ...providers.env, ...benchServerEnv() },
      nodeArgs: benchProfileArgs(),
      logDir: database.dir,
    });
    try {
      const accepted = new Map<number, number>();
      let refused = 0;
      const send = async (n: number): Promise<void> => {
        const body = alertmanagerPayload({
          groupKey: `{}:{alertname="BenchPage${n}"}`,
          alerts: [
            {
              labels: { alertname: `BenchPage${n}`, instance: `p${n}.bench.example:9100` },
              annotations: { summary: `bench-page-${n}` },
              startsAt: new Date().toISOString(),
            },
          ],
        });
        try {
          const response = await fetch(`${server.url}/api/v1/webhooks/alertmanager`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${desk.alertmanagerToken}`,
            },
            body: JSON.stringify(body),
          });
          await response.arrayBuffer();
          if (response.ok) accepted.set(n, performance.now());
          else refused++;
        } catch {
          refused++;
        }
      };
      const waitUntil = async (done: () => boolean, ms: number) => {
        const deadline = Date.now() + ms;
        while (!done() && Date.now() < deadline) await sleep(50);
      };
      const waitForPages = (from: number, to: number, ms: number) =>
        waitUntil(() => [...accepted.keys()].every((n) => n < from || n >= to || arrived.has(n)), ms);
      // Request n leaves at start + n / RATE seconds, whether or not the earlier ones were answered.
      const paced = async (first: number, count: number): Promise<void> => {
        const inFlight: Promise<void>[] = [];
        const start = performance.now();
        for (let i = 0; i < count; i++) {
          const wait = start + (i * 1000) / RATE - performance.now();
          if (wait > 1) await sleep(wait);
          inFlight.push(send(first + i));
        }
        await Promise.all(inFlight);
      };
      // Warm-up (not measured): the same load for a few seconds, so the measured run meets a steady
      // server (the JIT's optimized code, full connection pools), not a cold one. After a burst of 200
      // as warm-up, PostgreSQL runs often fell behind in their first seconds; with this one, fewer did
      // (ADR 0023), though a loaded machine still can. It ends once its SMS and calls are all out.
      const warmUp = RATE * WARMUP_SECONDS;
      const callsBefore = providers.elks.calls.length;
      await paced(0, warmUp);
      await waitForPages(0, warmUp, GRACE_MS);
      await waitUntil(() => providers.elks.calls.length - callsBefore >= accepted.size, GRACE_MS);
      const first = warmUp;
      const total = RATE * SECONDS;
      const start = performance.now();
      const cpuAtStart = cpuMs(server.pid as number);
      await paced(first, total);
      const sentSeconds = (performance.now() - start) / 1000;
      await waitForPages(first, first + total, GRACE_MS);
      const gaveUpAt = performance.now();
      const cpuPerIncident = (cpuMs(server.pid as number) - cpuAtStart) / total;
      const latencies: number[] = [];
      let late = 0;
      for (let n = first; n < first + total; n++) {
        const at = accepted.get(n);
        if (at === undefined) continue;
        const smsAt = arrived.get(n);
        // Not paged yet (a backlog, not a loss: lost pages are the reliability tests' business): counted
        // at the time waited, so the percentiles are lower bounds.
        if (smsAt === undefined) late++;
        latencies.push(Math.max(0, (smsAt ?? gaveUpAt) - at));
      }
      // BALLOU_BENCH_PAGE_TIMELINE=1: the latency of the first alert of each second, to tell a run that
      // fell behind at its start from one that met a stall later.
      if (process.env.BALLOU_BENCH_PAGE_TIMELINE) {
        const bySecond: string[] = [];
        for (let n = first; n < first + total; n += RATE) {
          const at = accepted.get(n);
          const smsAt = arrived.get(n);
          bySecond.push(at !== undefined && smsAt !== undefined ? (smsAt - at).toFixed(0) : '–');
        }
        console.log(`page latency (${engine}) by second, ms: ${bySecond.join(' ')}`);
      }
      if (refused > 0) reportBug(`page latency (${engine}): ${refused} alerts refused or unanswered`);
      latencies.sort((a, b) => a - b);
      const note =
        `${total} alerts paced at ${RATE}/s (sent in ${sentSeconds.toFixed(1)} s) after ${warmUp} warm-up ones at that rate; ` +
        'webhook 2xx at the sender → SMS request at the 46elks stand-in' +
        (late > 0
          ? `; ${late} not paged ${GRACE_MS / 1000} s after the last was sent (counted as then)`
          : '');
      return [
        {
          name: `page latency p50 (${engine})`,
          value: percentile(latencies, 0.5),
          unit: 'ms',
          better: 'lower',
          note,
        },
        {
          name: `page latency p99 (${engine})`,
          value: percentile(latencies, 0.99),
          unit: 'ms',
          better: 'lower',
          target: { kind: 'absolute', value: TARGET_P99_MS },
        },
        {
          name: `server CPU per paged incident (${engine})`,
          value: cpuPerIncident,
          unit: 'ms',
          better: 'lower',
          note:
            'user + system CPU of the server process from the first paced alert until its pages were sent, per ' +
            `incident (intake, escalation, SMS, call, push); ${(1000 / cpuPerIncident).toFixed(0)} incidents/s ` +
            'would fill one core',
        },
      ];
    } finally {
      await server.stop();
    }
  } finally {
    await providers.close();
    await database.drop();
  }
}

export async function benchPageLatency(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const engine of benchEngines()) figures.push(...(await pageLatencyOn(engine)));
  return figures;
}
