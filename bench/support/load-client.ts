/**
 * The load generator, run as its own process (`node --import tsx bench/support/load-client.ts`) so it does
 * not share a CPU thread with the server it measures: autocannon against one webhook, every request with
 * unique ids (46elks call id and caller, Alertmanager group and fingerprint). Settings come as JSON in
 * BENCH_LOAD (LoadSettings); the result is printed as one JSON line (LoadResult).
 */
import autocannon from 'autocannon';
import { alertmanagerPayload } from '../../test/stand-ins/alert-senders.js';
import { contactPhone } from './desk.js';

export interface LoadSettings {
  base: string;
  kind: 'elks-voice' | 'alertmanager';
  /** Basic credentials (46elks) or a bearer token (Alertmanager). */
  authorization: string;
  connections: number;
  /** How long the run lasts. */
  seconds: number;
  /**
   * The first seeded customer whose contact calls (46elks): request n calls from customer first + n
   * (beyond the seeded ones, an unknown number: a new incident too, of tier none).
   */
  firstCustomer: number;
  /** Makes ids unique across runs on one database. */
  label: string;
  /** The real server's path or the bare ceiling's (they are the same). */
  path: string;
}

export interface LoadResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
}

function body(settings: LoadSettings, n: number): string {
  if (settings.kind === 'elks-voice') {
    return new URLSearchParams({
      callid: `bench-${settings.label}-${n}`,
      from: contactPhone(settings.firstCustomer + n),
      to: '+46766860000',
      direction: 'incoming',
      created: new Date().toISOString(),
    }).toString();
  }
  return JSON.stringify(
    alertmanagerPayload({
      groupKey: `{}:{alertname="Bench${settings.label}x${n}"}`,
      alerts: [
        {
          labels: { alertname: `Bench${settings.label}x${n}`, instance: `h${n}.bench.example:9100` },
          annotations: { summary: `bench ${settings.label} ${n}` },
          startsAt: new Date().toISOString(),
        },
      ],
    }),
  );
}

export async function runLoad(settings: LoadSettings): Promise<LoadResult> {
  let next = 0;
  const contentType =
    settings.kind === 'elks-voice' ? 'application/x-www-form-urlencoded' : 'application/json';
  const started = performance.now();
  const result = await autocannon({
    url: settings.base,
    connections: settings.connections,
    duration: settings.seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: settings.path,
        headers: { 'content-type': contentType, authorization: settings.authorization },
        setupRequest: (request) => ({ ...request, body: body(settings, next++) }),
      },
    ],
  });
  const elapsedMs = performance.now() - started;
  return {
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    elapsedMs,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

if (process.env.BENCH_LOAD) {
  const result = await runLoad(JSON.parse(process.env.BENCH_LOAD) as LoadSettings);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
